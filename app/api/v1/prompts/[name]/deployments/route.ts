// POST /api/v1/prompts/{name}/deployments (promote) and GET (history, or what was live at ?at=). Admin key.
import { promote, promoteInput } from "@/lib/release/promote";
import { deploymentDto, deploymentsResponse } from "@/lib/release/dto";
import { promptDeployments } from "@/lib/release/prompt-reads";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";
import { deploymentsQuery } from "@/lib/server/http/prompt-api";

export const POST = withApiKey("admin", { body: promoteInput }, async ({ db, actor, project, params, body }) => {
  const d = await promote({ db, actor, projectId: project.id, events: await getEvents() }, params.name!, body);
  return json(deploymentDto(d, body.environment), 201);
});

export const GET = withApiKey(
  "admin",
  { query: deploymentsQuery, response: deploymentsResponse, action: "prompt.read" },
  async ({ db, project, params, query }) => json(await promptDeployments(db, project.id, params.name!, query)),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
