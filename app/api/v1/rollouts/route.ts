import { listRollouts } from "@/lib/experiments/rollouts/rollout-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/rollouts";

export const GET = route(endpoints.listRollouts, async ({ db, project, query }) =>
  json({ rollouts: await listRollouts(db, project.id, query) }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
