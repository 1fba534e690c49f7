// POST /api/v1/prompts/{name}/playground {version, variables, connection?, model?}: run a version once against its model through the project's connection; answers the output, tokens, cost, latency and any error. Admin key.
import { runPlayground } from "@/lib/evaluation/playground";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";
import { callerResolver } from "@/lib/server/wiring/models";

export const POST = route(endpoints.runPromptPlayground, async ({ req, db, actor, project, params, body }) =>
  json(await runPlayground(db, actor, project.id, params.name, body, callerResolver(), req.signal)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
