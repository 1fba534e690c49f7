import { runPromptPlayground } from "@/lib/evaluation/playground";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";
import { callerResolver } from "@/lib/server/wiring/models-wiring";

export const POST = route(endpoints.runPromptPlayground, async ({ req, domain, params, body }) =>
  json(await runPromptPlayground(domain, params.name, body, callerResolver(), req.signal)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
