// GET /api/v1/bundles/{name}/experiments?environment=: the bundle's experiments, newest first.
// POST {environment, arms: [{key, weight, versions}], name, primaryMetric, …}: creates one as drafts — an experiment
// per member its arms change, with one seed. Start, reweight and stop any member (/api/v1/experiments/{id}/…)
// and every member moves with it; shipping an arm is one bundle release. Admin key.
import { createBundleExperiment, listBundleExperiments } from "@/lib/experiments/bundle-experiments";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/bundles";

export const GET = route(endpoints.listBundleExperiments, async ({ db, project, params, query }) =>
  json({ experiments: await listBundleExperiments(db, project.id, params.name, query.environment) }),
);

// The operation parses the body itself (its arms, then each member's definition as for one prompt).
export const POST = route(endpoints.createBundleExperiment, async ({ domain, params, body }) =>
  json({ experiment: await createBundleExperiment(domain, params.name, body) }, 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
