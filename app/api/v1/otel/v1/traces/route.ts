// POST /api/v1/otel/v1/traces: OpenTelemetry traces over HTTP (OTLP, JSON or protobuf, gzip or not).
// Spans that describe a model call and name a prompt version become generation events; the others are
// skipped or dropped and counted in the answer. Runtime key as Authorization: Bearer or x-lectern-key.
// The implementation is lib/server/http/runtime-http.ts, shared with Lectern's own server (server/main.ts).
import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/runtime";
import { runtimeRoute } from "@/lib/server/http/next-runtime";

export const dynamic = "force-dynamic";

export const POST = runtimeRoute(endpoints.ingestOtlpTraces);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
