import "server-only";
import { z } from "zod";
import { createApiKeyInput } from "@/lib/auth/api-keys";
import { contentSchema } from "@/lib/registry/content";
import { createPromptInput, updatePromptDetailsInput } from "@/lib/registry/prompts";
import { createVersionInput } from "@/lib/registry/versions";
import { promoteInput } from "@/lib/release/promote";
import { rollbackInput } from "@/lib/release/rollback";
import { createDraftInput, mergeDraftInput } from "@/lib/release/drafts";
import { environmentInput, environmentRulesInput } from "@/lib/release/environments";
import { decideReviewInput, requestReviewInput } from "@/lib/release/reviews";
import {
  langfuseCreateBody,
  langfuseDeleteQuery,
  langfuseGetQuery,
  langfuseListQuery,
  langfusePatchBody,
} from "@/lib/runtime/langfuse";
import { resolveBody, resolveQuery } from "@/lib/runtime/resolve";
import { snapshotInput } from "@/lib/snapshots/format";
import { importLangfuseInput } from "@/lib/import/langfuse";
import { createExperimentInput } from "@/lib/experiments/definition";
import { metricEventSchema } from "@/lib/experiments/events";
import { experimentReleaseInput, setWeightsInput, stopExperimentInput } from "@/lib/experiments/lifecycle";
import { onlineEvalInput } from "@/lib/evaluation/online/rules";
import { createDatasetInput, listItemsInput, restoreVersionInput, updateDatasetInput } from "@/lib/evaluation/datasets";
import { itemPatchSchema, itemSchema } from "@/lib/evaluation/datasets/parse";
import { compareInput, createRunInput, listRunItemsInput, listRunsInput } from "@/lib/evaluation/runs";
import { createWebhookInput, listDeliveriesInput, webhookEvents } from "@/lib/webhooks";
import { createConnectionInput, updateConnectionInput } from "@/lib/llm/connections";
import { testConnectionInput } from "@/lib/llm/connection-test";
import { setPricesInput } from "@/lib/llm/project-prices";
import { playgroundInput } from "@/lib/evaluation/playground";
import { deploymentsQuery, diffQuery, listPromptsQuery, listVersionsQuery, releasePlanQuery } from "./prompt-api";
import { snapshotImportQuery } from "./snapshot-api";

// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the routes validate with.
type Endpoint = {
  method: "get" | "post" | "put" | "patch" | "delete";
  path: string;
  summary: string;
  scope: "runtime" | "admin";
  query?: z.ZodType;
  body?: z.ZodType | object;
  bodyTypes?: Record<string, object>;
  status?: number;
};

const schema = (s: z.ZodType | object) =>
  s instanceof z.ZodType ? z.toJSONSchema(s, { io: "input", unrepresentable: "any" }) : s;
const withContent = (meta: z.ZodType) => ({ allOf: [schema(meta), schema(contentSchema)] });

const endpoints: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/prompts/resolve",
    summary:
      "Resolve the prompt live in an environment (ETag / 304; `at` for point-in-time). With `names=a,b,c` instead of `name`: a batch of up to 100 prompts, `{prompts, errors: [{name, error}]}`",
    scope: "runtime",
    query: resolveQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts/resolve",
    summary:
      "Resolve and render with variables (partials expanded). With `names: [...]` or `all: true` instead of `name`: a batch, `{prompts, errors}`, as the GET batch",
    scope: "runtime",
    body: resolveBody,
  },
  {
    method: "get",
    path: "/api/v1/events",
    summary: "Server-Sent Events: prompt.changed {name, environment, version}; Last-Event-ID resume",
    scope: "runtime",
  },
  {
    method: "get",
    path: "/api/v1/prompts",
    summary:
      "List prompts: tag, folder, search (names, descriptions, the latest text), environment (live there), status (live, not_live), owner (id or e-mail), hasExperiment, hasAlert; sort name|updated|created; paginated; each with its owner",
    scope: "admin",
    query: listPromptsQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts",
    summary: "Create a prompt (version 1, draft)",
    scope: "admin",
    body: withContent(createPromptInput),
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}",
    summary: "Prompt metadata, latest version and what each environment serves",
    scope: "admin",
  },
  {
    method: "patch",
    path: "/api/v1/prompts/{name}",
    summary: "Change a prompt's description and tags (not versioned)",
    scope: "admin",
    body: updatePromptDetailsInput,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/versions",
    summary: "Version history with status and where each was live",
    scope: "admin",
    query: listVersionsQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/versions",
    summary: "Save a new version (409 when baseVersion is not the latest)",
    scope: "admin",
    body: withContent(createVersionInput),
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/versions/{version}",
    summary: "One version (immutable: PUT/PATCH/DELETE answer 405)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/versions/{version}/diff",
    summary: "Diff of a version against another (default: the previous)",
    scope: "admin",
    query: diffQuery,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/versions/{version}/release-plan",
    summary:
      "The version's release plan for an environment (?environment=, default production): each rule's step, met or missing, with the action a missing one needs, and what a release would also do (stop a running experiment)",
    scope: "admin",
    query: releasePlanQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/deployments",
    summary:
      "Promote a version to an environment. The release plan is checked under the prompt's lock; a refusal (409 conflict or gate_failed, 400 for unconfirmed breaking changes) carries the plan in details.plan. To a protected environment, changes that break its callers need confirmBreaking: true",
    scope: "admin",
    body: promoteInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/deployments",
    summary: "Deployment history, or what was live at an instant (?at=)",
    scope: "admin",
    query: deploymentsQuery,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/rollback",
    summary: "Roll back (default: to the previously live version)",
    scope: "admin",
    body: rollbackInput,
    status: 201,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/reviews",
    summary:
      "Request a review of a version for an environment; the answer carries the release plan. When an approval could not deploy it yet (other steps missing) it answers 409 with the plan unless acknowledgeMissing: true",
    scope: "admin",
    body: requestReviewInput,
    status: 201,
  },
  { method: "get", path: "/api/v1/prompts/{name}/reviews", summary: "Reviews of a prompt", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/reviews/{id}",
    summary:
      "Approve (optionally deploying: the release plan applies; deploy: false approves only) or reject a review. Only people decide reviews (the web UI); an API key gets 403",
    scope: "admin",
    body: decideReviewInput,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/drafts",
    summary: "Copy a version into a named draft",
    scope: "admin",
    body: createDraftInput,
    status: 201,
  },
  { method: "get", path: "/api/v1/prompts/{name}/drafts", summary: "Open drafts of a prompt", scope: "admin" },
  {
    method: "get",
    path: "/api/v1/drafts/{id}",
    summary: "A draft with its diffs against its base and the latest version",
    scope: "admin",
  },
  {
    method: "put",
    path: "/api/v1/drafts/{id}",
    summary: "Replace a draft's content (and optionally move its base after resolving conflicts)",
    scope: "admin",
    body: {
      type: "object",
      properties: { content: schema(contentSchema), baseVersion: { type: "integer" } },
      required: ["content"],
    },
  },
  { method: "delete", path: "/api/v1/drafts/{id}", summary: "Discard a draft", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/drafts/{id}/merge",
    summary: "Merge a draft back as a new version (three-way; 409 lists conflicts)",
    scope: "admin",
    body: mergeDraftInput,
    status: 201,
  },
  { method: "get", path: "/api/v1/environments", summary: "Environments and their rules", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/environments",
    summary: "Add an environment",
    scope: "admin",
    body: environmentInput,
    status: 201,
  },
  {
    method: "patch",
    path: "/api/v1/environments/{name}",
    summary:
      "Change an environment's protection and promotion rules; evaluationGate {dataset (id or name), minScore, maxDrop, datasetVersion?, scorers?} | null makes promotions need a completed run of the version, made with the gate's scorers, on the dataset's current (or pinned) version scoring ≥ minScore and at most maxDrop below the live version's run (409 gate_failed otherwise); left out, datasetVersion and scorers keep the stored ones while the dataset is unchanged (datasetVersion: null unpins); autoPromote {minScore} | null promotes a version whose run on the gate's dataset scores ≥ minScore",
    scope: "admin",
    body: environmentRulesInput,
  },
  {
    method: "post",
    path: "/api/v1/datasets",
    summary: "Create a dataset, optionally tied to a prompt (CSV cells are then parsed against its variable types)",
    scope: "admin",
    body: createDatasetInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/datasets",
    summary: "Datasets with their current version and item count (?prompt=)",
    scope: "admin",
  },
  { method: "get", path: "/api/v1/datasets/{id}", summary: "One dataset (id or name)", scope: "admin" },
  {
    method: "patch",
    path: "/api/v1/datasets/{id}",
    summary: "Rename, describe or (un)tie a dataset to a prompt",
    scope: "admin",
    body: updateDatasetInput,
  },
  {
    method: "delete",
    path: "/api/v1/datasets/{id}",
    summary: "Delete a dataset, its items and its runs (409 while an environment's gate uses it)",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/datasets/{id}/items",
    summary:
      "Add items as a new dataset version: application/json {items: [{input, expected?, tags?, metadata?}]} or {sampleIds: [online sample ids]}, text/csv (a column per variable, expected, tags split on ';', metadata) or application/x-ndjson. All or nothing: 422 details.errors lists each bad row {row, field, message}",
    scope: "admin",
    body: {
      type: "object",
      properties: {
        items: { type: "array", items: schema(itemSchema) },
        sampleIds: { type: "array", items: { type: "integer" } },
      },
    },
    bodyTypes: { "text/csv": { schema: { type: "string" } }, "application/x-ndjson": { schema: { type: "string" } } },
    status: 201,
  },
  {
    method: "post",
    path: "/api/v1/datasets/{id}/restore",
    summary:
      "Undo: a new dataset version with the items of an earlier one (default: the one before the current); runs made on those items count for gates again",
    scope: "admin",
    body: restoreVersionInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/items",
    summary: "Items of a dataset version (default: current), page by page",
    scope: "admin",
    query: listItemsInput,
  },
  {
    method: "patch",
    path: "/api/v1/datasets/{id}/items/{itemId}",
    summary: "Edit an item: a new dataset version with a new revision of the item (its new id is returned)",
    scope: "admin",
    body: itemPatchSchema,
  },
  {
    method: "delete",
    path: "/api/v1/datasets/{id}/items/{itemId}",
    summary: "Remove an item: a new dataset version without it",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/datasets/{id}/export",
    summary: "Download a dataset version as CSV or JSONL (?format=csv|jsonl&version=)",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/eval-runs",
    summary:
      "Start an evaluation run of a prompt version over a dataset version (default: current) → 202 {id, status: queued}; a durable job scores every item (× repetitions) with the scorers",
    scope: "admin",
    body: createRunInput,
    status: 202,
  },
  {
    method: "get",
    path: "/api/v1/eval-runs",
    summary: "Evaluation runs, newest first (?prompt=&version=&dataset=&status=)",
    scope: "admin",
    query: listRunsInput,
  },
  {
    method: "get",
    path: "/api/v1/eval-runs/{id}",
    summary:
      "A run: status (queued, running, completed, failed, cancelled), progress {done, total}, score, scores per scorer, per-tag breakdown, costUsd, tokens, startedAt, finishedAt",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/eval-runs/{id}/items",
    summary:
      "A run's results per item: input, expected, output, each scorer's score and reason, latency, tokens, cost (?failed=true)",
    scope: "admin",
    query: listRunItemsInput,
  },
  {
    method: "post",
    path: "/api/v1/eval-runs/{id}/cancel",
    summary: "Cancel a queued or running run (calls in flight are aborted; 409 once finished)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/eval-runs/compare",
    summary:
      "Two runs on the same dataset version side by side per item: outputs, scores, deltas (?a=&b=&regressions=true)",
    scope: "admin",
    query: compareInput,
  },
  {
    method: "get",
    path: "/api/v1/environments/{name}",
    summary:
      "One environment and its rules, including evaluationGate {dataset, datasetName, minScore, maxDrop} and autoPromote {minScore}",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/snapshot",
    summary:
      "Export the whole project (format lectern.project/1): environments and their rules, every prompt with its full version history and deployment log",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/snapshot",
    summary:
      "Import a snapshot in one transaction: adds the versions and deployments this project lacks (numbers and instants kept); importing again changes nothing (changed: false); 409 lists the conflicts when histories diverged, writing nothing; ?dryRun=true only reports",
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
  { method: "get", path: "/api/v1/audit", summary: "The audit log, newest first", scope: "admin" },
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
      "Record metric events (generation with output and tokens, feedback, outcome, custom metrics), at most 1,000 per call; resent ids are counted once; sampled generation outputs are queued for online evaluation in the same transaction",
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
    summary: "Create an experiment (draft) with its variants, weights, metrics and planned sample size",
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
      "Per arm n, mean and sd; lift with its interval, p-value, chance to win, and beside it the CUPED-adjusted lift, interval, p-value and variance reduction (or adjustedReason); sample ratio mismatch; progress and a verdict",
    scope: "admin",
  },
  {
    method: "put",
    path: "/api/v1/prompts/{name}/online-evaluation",
    summary:
      "Create or replace the online evaluation rule of a prompt in an environment: sampling, scorers, signals, window, alert and automatic rollback thresholds (422 names the field)",
    scope: "admin",
    body: onlineEvalInput,
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/online-evaluation",
    summary:
      "The rule of an environment (?environment=, default production), its samples per version and the last check's decision",
    scope: "admin",
  },
  {
    method: "delete",
    path: "/api/v1/prompts/{name}/online-evaluation",
    summary: "Remove the rule of an environment (?environment=)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/online-evaluation/samples",
    summary:
      "Scored production outputs of a version, newest first, with each scorer's score and reason (?environment=&version=&before=&limit=)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/prompts/{name}/online-evaluation/series",
    summary: "Mean score per version, hour or day and scorer, for charts (?environment=&bucket=)",
    scope: "admin",
  },
  {
    method: "get",
    path: "/api/v1/alerts",
    summary: "Alerts (regression, auto_rollback, rollback_withheld), newest first (?open=true&prompt=)",
    scope: "admin",
  },
  {
    method: "post",
    path: "/api/v1/alerts/{id}/acknowledge",
    summary: "Acknowledge an alert (idempotent)",
    scope: "admin",
    status: 204,
  },
  {
    method: "post",
    path: "/api/v1/connections",
    summary:
      "Add a model connection (openai, anthropic or openai-compatible: base URL, key, limits). The key is stored AES-256-GCM encrypted and never returned, only a mask like …abcd; 409 when the name is taken",
    scope: "admin",
    body: createConnectionInput,
    status: 201,
  },
  {
    method: "get",
    path: "/api/v1/connections",
    summary: "The project's model connections (keys masked)",
    scope: "admin",
  },
  {
    method: "patch",
    path: "/api/v1/connections/{id}",
    summary:
      "Change a connection; apiKey replaces the stored key (null removes it); cached callers pick the change up at once",
    scope: "admin",
    body: updateConnectionInput,
  },
  { method: "delete", path: "/api/v1/connections/{id}", summary: "Delete a connection", scope: "admin" },
  {
    method: "post",
    path: "/api/v1/connections/{id}/test",
    summary:
      "One short call through the connection (model: the given one or the connection's default model): ok, reply, latency and the classified error",
    scope: "admin",
    body: testConnectionInput,
  },
  {
    method: "get",
    path: "/api/v1/prices",
    summary:
      "Model prices in USD per million tokens: the default table (and the date it was checked) and the project's overrides",
    scope: "admin",
  },
  {
    method: "put",
    path: "/api/v1/prices",
    summary: "Replace the project's price overrides; they apply before the defaults to every cost Lectern computes",
    scope: "admin",
    body: setPricesInput,
  },
  {
    method: "post",
    path: "/api/v1/prompts/{name}/playground",
    summary:
      "Run a version once with the given variables against its model (or `model`) through a project connection (default: the project's default, else LLM_BASE_URL): output, tokens, cost, latency, attempts and any error",
    scope: "admin",
    body: playgroundInput,
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

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: { type: "object" } },
      required: ["code", "message"],
    },
  },
  required: ["error"],
};

function queryParameters(q: z.ZodType) {
  const js = z.toJSONSchema(q, { io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, object>;
    required?: string[];
  };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: "query",
    required: js.required?.includes(name) ?? false,
    schema: s,
  }));
}

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const pathParams = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: "path",
      required: true,
      schema: { type: "string" },
      description: m[1] === "name" ? "Prompt name, URL-encoded (folders use '/': encode as %2F)" : undefined,
    }));
    paths[e.path] ??= {};
    paths[e.path]![e.method] = {
      summary: e.summary,
      security: [{ bearer: [] }],
      "x-lectern-scope": e.scope,
      parameters: [...pathParams, ...(e.query ? queryParameters(e.query) : [])],
      ...(e.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: schema(e.body) }, ...e.bodyTypes },
            },
          }
        : {}),
      responses: {
        [String(e.status ?? 200)]: { description: "Success" },
        default: {
          description: "Error (400, 401, 403, 404, 405, 409, 413, 422, 429)",
          content: { "application/json": { schema: errorSchema } },
        },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Lectern API",
      version: "1.0.0",
      description:
        "Prompt registry, release workflow and runtime resolve API. Runtime keys may call runtime endpoints; admin keys may call everything.",
    },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "A Lectern API key" },
        basic: { type: "http", scheme: "basic", description: "Langfuse-compatible: project public id : API key" },
      },
    },
    paths,
  };
}
