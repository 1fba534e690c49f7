// The endpoints of webhooks, connections, API keys, alerts and the audit log: one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
import "server-only";
import { apiKeyListResponse, apiKeySummarySchema, createApiKeyInput, createdApiKeyResponse } from "@/lib/auth/api-keys";
import { auditPageResponse, auditQuery } from "@/lib/audit/record";
import { alertListResponse, alertsQuery } from "@/lib/evaluation/online/alerts";
import { connectionTestResponse, testConnectionInput } from "@/lib/llm/connection-test";
import {
  connectionListResponse,
  connectionSummarySchema,
  createConnectionInput,
  deletedConnectionResponse,
  updateConnectionInput,
} from "@/lib/llm/connections";
import {
  createdWebhookResponse,
  createWebhookInput,
  deletedWebhookResponse,
  deliveryLogResponse,
  deliverySummarySchema,
  listDeliveriesInput,
  webhookEvents,
  webhookListResponse,
} from "@/lib/webhooks";
import { endpoint, noContent } from "../endpoint";
import { deliveryParams, idParams } from "../path-params";

export const createWebhook = endpoint({
  method: "POST",
  path: "/api/v1/webhooks",
  summary: `Create a webhook (the signing secret is shown only in this response). Events: ${webhookEvents.join(", ")}. Deliveries are POSTs of {id, type, createdAt, project, data} signed with Lectern-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">; URLs must reach public addresses (422 otherwise)`,
  scope: "admin",
  permission: "webhook.manage",
  body: createWebhookInput,
  status: 201,
  response: createdWebhookResponse,
});

export const listWebhooks = endpoint({
  method: "GET",
  path: "/api/v1/webhooks",
  summary: "List webhooks (no secrets)",
  scope: "admin",
  permission: "webhook.manage",
  response: webhookListResponse,
});

export const deleteWebhook = endpoint({
  method: "DELETE",
  path: "/api/v1/webhooks/{id}",
  params: idParams("webhook"),
  summary: "Delete a webhook; deliveries still waiting are dropped",
  scope: "admin",
  permission: "webhook.manage",
  response: deletedWebhookResponse,
});

export const listWebhookDeliveries = endpoint({
  method: "GET",
  path: "/api/v1/webhooks/{id}/deliveries",
  params: idParams("webhook"),
  summary:
    "The delivery log, newest first: status (pending, retrying, delivered, failed), attempts, last status code and error, next attempt",
  scope: "admin",
  permission: "webhook.manage",
  query: listDeliveriesInput,
  response: deliveryLogResponse,
});

export const redeliverWebhookDelivery = endpoint({
  method: "POST",
  path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
  params: deliveryParams,
  summary: "Send a delivery's event again, as a new delivery with the same event id and body",
  scope: "admin",
  permission: "webhook.manage",
  status: 201,
  response: deliverySummarySchema,
});

export const createConnection = endpoint({
  method: "POST",
  path: "/api/v1/connections",
  summary:
    "Add a model connection (openai, anthropic or openai-compatible: base URL, key, limits). The key is stored AES-256-GCM encrypted and never returned, only a mask like …abcd; 409 when the name is taken",
  scope: "admin",
  permission: "connection.manage",
  body: createConnectionInput,
  status: 201,
  response: connectionSummarySchema,
});

export const listConnections = endpoint({
  method: "GET",
  path: "/api/v1/connections",
  summary: "The project's model connections (keys masked)",
  scope: "admin",
  permission: "connection.manage",
  response: connectionListResponse,
});

export const updateConnection = endpoint({
  method: "PATCH",
  path: "/api/v1/connections/{id}",
  params: idParams("connection"),
  summary:
    "Change a connection; apiKey replaces the stored key (null removes it); cached callers pick the change up at once",
  scope: "admin",
  permission: "connection.manage",
  body: updateConnectionInput,
  response: connectionSummarySchema,
});

export const deleteConnection = endpoint({
  method: "DELETE",
  path: "/api/v1/connections/{id}",
  params: idParams("connection"),
  summary: "Delete a connection",
  scope: "admin",
  permission: "connection.manage",
  response: deletedConnectionResponse,
});

export const testConnection = endpoint({
  method: "POST",
  path: "/api/v1/connections/{id}/test",
  params: idParams("connection"),
  summary:
    "One short call through the connection (model: the given one or the connection's default model): ok, reply, latency and the classified error",
  scope: "admin",
  permission: "connection.manage",
  body: testConnectionInput,
  response: connectionTestResponse,
});

export const createApiKey = endpoint({
  method: "POST",
  path: "/api/v1/api-keys",
  summary: "Create an API key (the key is shown only in this response)",
  scope: "admin",
  permission: "apikey.manage",
  body: createApiKeyInput,
  status: 201,
  response: createdApiKeyResponse,
});

export const listApiKeys = endpoint({
  method: "GET",
  path: "/api/v1/api-keys",
  summary: "List API keys (no secrets)",
  scope: "admin",
  permission: "apikey.manage",
  response: apiKeyListResponse,
});

export const revokeApiKey = endpoint({
  method: "DELETE",
  path: "/api/v1/api-keys/{id}",
  params: idParams("API key"),
  summary: "Revoke an API key, at once on every instance",
  scope: "admin",
  permission: "apikey.manage",
  response: apiKeySummarySchema,
});

export const listAlerts = endpoint({
  method: "GET",
  path: "/api/v1/alerts",
  summary:
    "Alerts (kind: regression, auto_rollback, rollback_withheld, experiment_regression, rollout_regression), newest first (?open=true&prompt=)",
  scope: "admin",
  permission: "evaluation.read",
  query: alertsQuery,
  response: alertListResponse,
});

export const acknowledgeAlert = endpoint({
  method: "POST",
  path: "/api/v1/alerts/{id}/acknowledge",
  params: idParams("alert"),
  summary: "Acknowledge an alert (idempotent)",
  scope: "admin",
  permission: "alert.acknowledge",
  status: 204,
  response: noContent,
});

export const listAuditLog = endpoint({
  method: "GET",
  path: "/api/v1/audit",
  summary: "The audit log, newest first",
  scope: "admin",
  permission: "audit.read",
  query: auditQuery,
  response: auditPageResponse,
});
