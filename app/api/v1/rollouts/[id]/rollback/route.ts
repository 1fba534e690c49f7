// POST /api/v1/rollouts/{id}/rollback {reason}: sends every subject back to the live version; the version counts as rolled back for the release plan. Audited with the reason. Admin key.
import { actOnRollout } from "@/lib/experiments/rollout-control";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/release";

export const POST = route(endpoints.rollbackRollout, async ({ domain, params, body }) =>
  json({ rollout: await actOnRollout(domain, params.id, "rollback", body) }),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
