// POST /api/v1/prompts/{name}/playground {version, variables, connection?, model?}: run a version once against its model through the project's connection; answers the output, tokens, cost, latency and any error. Admin key.
import { playgroundInput, runPlayground } from "@/lib/evaluation/playground";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { callerResolver } from "@/lib/server/wiring/models";

export const POST = withApiKey(
  "admin",
  { body: playgroundInput, action: "evaluation.run" },
  async ({ req, db, actor, project, params, body }) =>
    json(await runPlayground(db, actor, project.id, params.name!, body, callerResolver(), req.signal)),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
