// Webhooks and deliveries as the API shows them, and a webhook's signing secret (stored AES-256-GCM
// encrypted, bound to the webhook's id).
import { webhookDeliveries, webhooks } from "../../db/schema";
import { decryptSecret } from "../llm/secrets";
import type { webhookFormats } from "./webhook-config";

export type WebhookSummary = {
  id: string;
  url: string;
  events: string[];
  description: string;
  format: (typeof webhookFormats)[number];
  secretHint: string;
  createdBy: string;
  createdAt: string;
};

export type DeliverySummary = {
  id: string;
  webhookId: string;
  eventId: string;
  type: string;
  status: "pending" | "delivered" | "failed" | "retrying";
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
  redeliveryOf: string | null;
  payload: unknown;
};

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export const summary = (r: WebhookRow): WebhookSummary => ({
  id: r.id,
  url: r.url,
  events: r.events,
  description: r.description,
  format: r.format,
  secretHint: r.secretHint,
  createdBy: r.createdByLabel,
  createdAt: r.createdAt.toISOString(),
});

export const deliverySummary = (r: DeliveryRow): DeliverySummary => ({
  id: r.id,
  webhookId: r.webhookId,
  eventId: r.eventId,
  type: r.type,
  status: r.status,
  attempts: r.attempts,
  lastStatusCode: r.lastStatusCode,
  lastError: r.lastError,
  nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
  deliveredAt: r.deliveredAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
  redeliveryOf: r.redeliveryOf,
  payload: r.payload,
});

export const secretContext = (webhookId: string) => `webhook:${webhookId}`;

/** The signing secret of a webhook, decrypted (for signing deliveries only; never returned by an API). */
export const webhookSecret = (row: Pick<WebhookRow, "id" | "secret">, key: Uint8Array) =>
  decryptSecret(row.secret, key, secretContext(row.id));
