// The /api/v1 endpoints of events and OpenTelemetry in, experiments, keys, webhooks, snapshots and the
// Langfuse-compatible API, for the OpenAPI document (../openapi.ts).
import "server-only";
import { z } from "zod";
import { createApiKeyInput } from "@/lib/auth/api-keys";
import {
  langfuseCreateBody,
  langfuseDeleteQuery,
  langfuseGetQuery,
  langfuseListQuery,
  langfusePatchBody,
} from "@/lib/runtime/langfuse";
import { snapshotInput } from "@/lib/snapshots/format";
import { importLangfuseInput } from "@/lib/import/langfuse";
import { createExperimentInput, resultsQueryInput } from "@/lib/experiments/definition";
import { metricEventSchema } from "@/lib/experiments/events";
import { experimentReleaseInput, setWeightsInput, stopExperimentInput } from "@/lib/experiments/lifecycle";
import { createWebhookInput, listDeliveriesInput, webhookEvents } from "@/lib/webhooks";
import { snapshotImportQuery } from "../snapshot-api";
import { type Endpoint } from "./shared";

export const platformEndpoints: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/snapshot",
    summary:
      "Export the whole project (format lectern.project/1, or lectern.project/2 when it has bundles): environments and their rules, every prompt with its full version history and deployment log, datasets, bundles",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/snapshot",
    summary:
      "Import a snapshot in one transaction: adds the versions and deployments this project lacks (numbers and instants kept); importing again changes nothing (changed: false); bundles are created or take the snapshot's members (400 naming the bundle and member when a member is neither in the snapshot nor the project); 409 lists the conflicts when histories diverged, writing nothing; ?dryRun=true only reports",
    scope: "admin",
    query: snapshotImportQuery,
    body: snapshotInput,
  },
  {
    method: "get",
    path: "/api/v1/project",
    summary: "The key's project: slug, name and the public id Langfuse-compatible clients use",
    scope: "runtime",
  },
  {
    method: "post",
    path: "/api/v1/api-keys",
    summary: "Create an API key (the key is shown only in this response)",
    scope: "admin",
    body: createApiKeyInput,
    status: 201,
  },
  { method: "get", path: "/api/v1/api-keys", summary: "List API keys (no secrets)", scope: "admin" },
  {
    method: "delete",
    path: "/api/v1/api-keys/{id}",
    summary: "Revoke an API key, at once on every instance",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/webhooks",
    summary: `Create a webhook (the signing secret is shown only in this response). Events: ${webhookEvents.join(", ")}. Deliveries are POSTs of {id, type, createdAt, project, data} signed with Lectern-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">; URLs must reach public addresses (422 otherwise)`,
    scope: "admin",
    body: createWebhookInput,
    status: 201,
  },
  { method: "get", path: "/api/v1/webhooks", summary: "List webhooks (no secrets)", scope: "admin" },
  {
    method: "delete",
    path: "/api/v1/webhooks/{id}",
    summary: "Delete a webhook; deliveries still waiting are dropped",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    summary:
      "The delivery log, newest first: status (pending, retrying, delivered, failed), attempts, last status code and error, next attempt",
    scope: "admin",
    query: listDeliveriesInput,
  },
  {
    method: "post",
    path: "/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver",
    summary: "Send a delivery's event again, as a new delivery with the same event id and body",
    scope: "admin",
    status: 201,
  },
  {
    method: "post",
    path: "/api/v1/events",
    summary:
      "Record metric events (generation with output and tokens, feedback, outcome, custom metrics), at most 1,000 per call; resent ids are counted once; an event may carry `experiment` exactly as resolve answered it ({id, variant, phase} or null) instead of experimentId, variant and phase; sampled generation outputs are queued for online evaluation in the same transaction",
    scope: "runtime",
    body: z.object({ events: z.array(metricEventSchema) }),
    status: 202,
  },
  {
    method: "post",
    path: "/api/v1/otel/v1/traces",
    summary:
      "OpenTelemetry traces (OTLP over HTTP: application/json or application/x-protobuf, gzip or not; key as Bearer or x-lectern-key). Model-call spans (gen_ai.*, the AI SDK's ai.*.doGenerate/doStream, OpenInference) that name lectern.prompt.name and lectern.prompt.version (on the span, an ancestor, or as AI SDK telemetry metadata) become generation events; cost from the price table. Answers an ExportTraceServiceResponse whose partialSuccess counts and names dropped spans",
    scope: "runtime",
  },
  {
    method: "post",
    path: "/api/v1/experiments",
    summary:
      "Create an experiment (draft) with its variants, weights, metrics and planned sample size; namespace {name, range: [start, end]} makes it mutually exclusive with the namespace's other experiments (an overlap with a running one is a 409 naming it and the free shares)",
    scope: "admin",
    body: createExperimentInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/experiments",
    summary: "List experiments (?prompt=, ?status=draft|running|stopped)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/experiments/namespaces",
    summary:
      "Namespaces in use (?name=): experiments in one never share a subject. Per namespace its draft and running experiments with their shares [start, end) of the hash space, and the free shares no running experiment holds",
    scope: "admin",
  },
  { method: "get", path: "/api/v1/experiments/{id}", summary: "One experiment with its phases", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/experiments/{id}/start",
    summary:
      "Start: traffic is split by consistent hashing of the subject from now on. The control must be what the environment serves; every other variant with traffic must meet the environment's release plan (or have been served there before). A promotion or rollback of the prompt there stops it",
    scope: "admin",
    body: experimentReleaseInput,
  },
  {
    method: "post",
    path: "/api/v1/experiments/{id}/weights",
    summary: "Change the split (starts a new phase; earlier phases stay in the results)",
    scope: "admin",
    body: setWeightsInput,
  },
  {
    method: "post",
    path: "/api/v1/experiments/{id}/stop",
    summary: "Stop, optionally shipping a variant: the ship is a promotion in the release log",
    scope: "admin",
    body: stopExperimentInput,
  },
  {
    method: "get",
    path: "/api/v1/experiments/{id}/results",
    summary:
      "Per arm n, mean and sd; lift with its interval (on the log of the ratio, never below −100%), p-value (no Bayesian chance to win: fixed and sequential experiments decide by the interval; a bandit's P(best) is in weights), and beside it the CUPED-adjusted lift, interval, p-value and variance reduction (or adjustedReason), with pre-exposure history (same prompt and environment) from the experiment's cupedLookbackDays or ?lookbackDays=N (1–90); where it applies to the primary metric the adjusted comparison decides winner and verdict, always with the experiment's own look-back (?lookbackDays changes only the numbers shown); ratios: per ratio metric (Σ numerator / Σ denominator, e.g. cost per completed task) each arm's ratio and the comparison by the delta method with the subject as the unit; sample ratio mismatch; progress and a verdict",
    scope: "admin",
    query: resultsQueryInput,
  },
  {
    method: "get",
    path: "/api/public/v2/prompts/{name}",
    summary: "Langfuse-compatible get (label = environment)",
    scope: "runtime",
    query: langfuseGetQuery,
  },
  {
    method: "get",
    path: "/api/public/v2/prompts",
    summary: "Langfuse-compatible list",
    scope: "runtime",
    query: langfuseListQuery,
  },
  {
    method: "post",
    path: "/api/public/v2/prompts",
    summary: "Langfuse-compatible create",
    scope: "admin",
    body: langfuseCreateBody,
    status: 201,
  },
  {
    method: "post",
    path: "/api/v1/import/langfuse",
    summary:
      "Import a Langfuse project's prompts (every version, labels as environments); dryRun plans; idempotent, all or nothing per prompt",
    scope: "admin",
    body: importLangfuseInput,
  },
  {
    method: "patch",
    path: "/api/public/v2/prompts/{name}/versions/{version}",
    summary: "Langfuse-compatible label update: each label (an environment) moves to this version through promote",
    scope: "admin",
    body: langfusePatchBody,
  },
  {
    method: "delete",
    path: "/api/public/v2/prompts/{name}",
    summary: "Langfuse-compatible delete (version, label or all): archives; hidden from listing and resolve",
    scope: "admin",
    query: langfuseDeleteQuery,
    status: 204,
  },
];
