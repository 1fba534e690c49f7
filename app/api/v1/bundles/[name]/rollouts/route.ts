import { createBundleRollout, listBundleRollouts } from "@/lib/experiments/rollouts/bundle-rollouts";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";

export const GET = route(endpoints.listBundleRollouts, async ({ db, project, params, query }) =>
  json({ rollouts: await listBundleRollouts(db, project.id, params.name, query.environment) }),
);

export const POST = route(endpoints.createBundleRollout, async ({ domain, params, body }) =>
  json({ rollout: await createBundleRollout(domain, params.name, body) }, 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
