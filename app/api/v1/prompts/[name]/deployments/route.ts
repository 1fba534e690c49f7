// POST /api/v1/prompts/{name}/deployments (promote) and GET (history, or what was live at ?at=). Admin key.
import { getPrompt } from "@/lib/registry/prompts";
import { deploymentHistory, liveAt } from "@/lib/release/deployments";
import { promote, promoteInput } from "@/lib/release/promote";
import { deploymentDto } from "@/lib/release/dto";
import { getEnvironment, listEnvironments } from "@/lib/release/environments";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { getEvents } from "@/lib/server/wiring/events";
import { deploymentsQuery } from "@/lib/server/http/prompt-api";

export const POST = withApiKey("admin", { body: promoteInput }, async ({ db, actor, project, params, body }) => {
  const d = await promote({ db, actor, projectId: project.id, events: await getEvents() }, params.name!, body);
  return json(deploymentDto(d, body.environment), 201);
});

export const GET = withApiKey(
  "admin",
  { query: deploymentsQuery, action: "prompt.read" },
  async ({ db, project, params, query }) => {
    const prompt = await getPrompt(db, project.id, params.name!);
    if (query.at) {
      const at = new Date(query.at);
      const envs = query.environment
        ? [await getEnvironment(db, project.id, query.environment)]
        : await listEnvironments(db, project.id);
      const live = await Promise.all(envs.map(async (e) => [e.name, await liveAt(db, prompt.id, e.id, at)] as const));
      return json({
        at: at.toISOString(),
        live: Object.fromEntries(live.map(([name, d]) => [name, d ? deploymentDto(d, name) : null])),
      });
    }
    const rows = await deploymentHistory(db, project.id, prompt, {
      environment: query.environment,
      limit: query.limit,
    });
    return json({ data: rows.map((r) => deploymentDto(r.deployment, r.environment, r.actorName)) });
  },
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
