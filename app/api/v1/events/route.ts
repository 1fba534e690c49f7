// GET /api/v1/events: Server-Sent Events of `prompt.changed {name, environment, version}` for the key's project,
// with heartbeats and Last-Event-ID resume (every missed change replayed, page by page, or an explicit `reset`);
// at most LECTERN_SSE_MAX_PER_KEY open streams per key (429). Runtime key.
// POST /api/v1/events {events: [...]}: metric events (exposure, feedback, outcome, generation, metric), up to
// 1,000 per call. Any invalid event → 422 listing each; otherwise 202 {accepted, duplicates} once durable.
// The implementation is lib/server/http/runtime-http.ts, shared with Lectern's own server (server/main.ts).
import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/runtime";
import { runtimeRoute } from "@/lib/server/http/next-runtime";

export const dynamic = "force-dynamic";

export const GET = runtimeRoute(endpoints.streamPromptChanges);
export const POST = runtimeRoute(endpoints.recordMetricEvents);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
