import { startRollout } from "@/lib/experiments/rollouts/rollouts";
import { listPromptRollouts } from "@/lib/experiments/rollouts/rollout-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/rollouts";

export const GET = route(endpoints.listPromptRollouts, async ({ db, project, params, query }) =>
  json({ rollouts: await listPromptRollouts(db, project.id, params.name, query.environment) }),
);

export const POST = route(endpoints.startRollout, async ({ domain, params, body }) =>
  json({ rollout: await startRollout(domain, params.name, body) }, 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
