import { getRollout } from "@/lib/experiments/rollouts/rollout-reads";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/rollouts";

export const GET = route(endpoints.getRollout, async ({ db, project, params }) =>
  json({ rollout: await getRollout(db, project.id, params.id) }),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
