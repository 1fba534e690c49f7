import { testConnection } from "@/lib/llm/connection-test";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/platform";
import { callerResolver } from "@/lib/server/wiring/models-wiring";

export const POST = route(endpoints.testConnection, async ({ domain, params, body }) =>
  json(await testConnection(domain, params.id, body, callerResolver())),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
