import { actOnRollout } from "@/lib/experiments/rollouts/rollout-control";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/rollouts";

export const POST = route(endpoints.rollbackRollout, async ({ domain, params, body }) =>
  json({ rollout: await actOnRollout(domain, params.id, "rollback", body) }),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
