// GET /api/v1/prompts/resolve?name=&environment=&version=&subject=&at=&include=experiment (ETag, 304) and POST (with variables → rendered). Runtime key.
// The implementation is lib/server/http/runtime-http.ts, shared with Lectern's own server (server/main.ts).
import { otherMethods } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/runtime";
import { runtimeRoute } from "@/lib/server/http/next-runtime";

export const dynamic = "force-dynamic";

export const GET = runtimeRoute(endpoints.resolvePrompt);
export const POST = runtimeRoute(endpoints.resolveAndRenderPrompt);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
