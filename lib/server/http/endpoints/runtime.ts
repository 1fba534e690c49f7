// The endpoints of the runtime paths (resolve, events, OTLP): one declaration each (../endpoint.ts), read by the route and by the OpenAPI document.
// Their handlers are runtimeRoute(declaration) (../next-runtime.ts): the framework-free core (../runtime-http.ts),
// shared with Lectern's own server, authenticates, checks the action and parses; these say what it does.
import "server-only";
import { ingestEventsResponse } from "@/lib/ingest/ingest";
import { otlpTraceResponse } from "@/lib/ingest/otlp-ingest";
import { metricEventsInput } from "@/lib/experiments/metric-events";
import { resolveGetResponse, resolveOrBatchBody, resolveOrBatchQuery, resolvePostResponse } from "@/lib/runtime/batch";
import { endpoint, renderErrors, resolveErrors } from "../endpoint";
import { EVENTS_MAX_BODY_BYTES, OTLP_KEY_HEADER } from "../runtime-ingest";

export const resolvePrompt = endpoint({
  method: "GET",
  path: "/api/v1/prompts/resolve",
  summary:
    "Resolve the prompt live in an environment (ETag / 304; `at` for point-in-time). With `names=a,b,c` instead of `name`: a batch of up to 100 prompts, `{prompts, errors: [{name, error}]}`",
  scope: "runtime",
  permission: "runtime.resolve",
  errors: [...resolveErrors],
  query: resolveOrBatchQuery,
  response: resolveGetResponse,
});

export const resolveAndRenderPrompt = endpoint({
  method: "POST",
  path: "/api/v1/prompts/resolve",
  summary:
    "Resolve and render with variables (partials expanded). With `names: [...]` or `all: true` instead of `name`: a batch, `{prompts, errors}`, as the GET batch",
  scope: "runtime",
  permission: "runtime.resolve",
  errors: [...resolveErrors, ...renderErrors],
  body: resolveOrBatchBody,
  response: resolvePostResponse,
});

export const streamPromptChanges = endpoint({
  method: "GET",
  path: "/api/v1/events",
  summary:
    "Server-Sent Events: prompt.changed {name, environment, version} for the key's project, with heartbeats; Last-Event-ID resume (every missed change replayed, page by page, or an explicit reset); at most LECTERN_SSE_MAX_PER_KEY open streams per key (429)",
  scope: "runtime",
  permission: "runtime.events",
  response: {
    contentType: "text/event-stream",
    description:
      "Server-Sent Events: `prompt.changed` and `experiment.changed` {name, environment, version, action}, each with the id to resume from (Last-Event-ID or ?lastEventId=); heartbeats; `reset` when changes may have been missed",
  },
});

export const recordMetricEvents = endpoint({
  method: "POST",
  path: "/api/v1/events",
  summary:
    "Record metric events (generation with output and tokens, feedback, outcome, custom metrics), at most 1,000 per call; resent ids are counted once; an event may carry `experiment` exactly as resolve answered it ({id, variant, phase} or null) instead of experimentId, variant and phase — it counts in that arm only for a subject the server served it (recorded exposure or recomputed assignment) between the phase's start and the experiment's stop, else it is kept and counted apart (the results' `unattributed`), and its composition is the one the phase served that arm, whatever it sent; sampled generation outputs are queued for online evaluation in the same transaction",
  scope: "runtime",
  permission: "runtime.feedback",
  body: metricEventsInput,
  maxBodyBytes: EVENTS_MAX_BODY_BYTES,
  status: 202,
  response: ingestEventsResponse,
});

export const ingestOtlpTraces = endpoint({
  method: "POST",
  path: "/api/v1/otel/v1/traces",
  summary:
    "OpenTelemetry traces (OTLP over HTTP: application/json or application/x-protobuf, gzip or not; key as Bearer or x-lectern-key). Model-call spans (gen_ai.*, the AI SDK's ai.*.doGenerate/doStream, OpenInference) that name lectern.prompt.name and lectern.prompt.version (on the span, an ancestor, or as AI SDK telemetry metadata) become generation events; cost from the price table. Answers an ExportTraceServiceResponse whose partialSuccess counts and names dropped spans",
  scope: "runtime",
  permission: "runtime.feedback",
  keyHeader: OTLP_KEY_HEADER,
  bodyTypes: {
    "application/json": { schema: { type: "object", description: "An OTLP/JSON ExportTraceServiceRequest" } },
    "application/x-protobuf": {
      schema: { type: "string", format: "binary", description: "An OTLP ExportTraceServiceRequest" },
    },
  },
  maxBodyBytes: EVENTS_MAX_BODY_BYTES,
  response: otlpTraceResponse,
});
