// GET /api/v1/bundles/{name}/experiments?environment=: the bundle's experiments, newest first.
// POST {environment, arms: [{key, weight, versions}], name, primaryMetric, …}: creates one as drafts — an experiment
// per member its arms change, with one seed. Start, reweight and stop any member (/api/v1/experiments/{id}/…)
// and every member moves with it; shipping an arm is one bundle release. Admin key.
import { createBundleExperiment, listBundleExperiments } from "@/lib/experiments/bundle-experiments";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { dependentsQuery } from "@/lib/server/http/prompt-api";

export const GET = withApiKey(
  "admin",
  { query: dependentsQuery, action: "prompt.read" },
  async ({ db, project, params, query }) =>
    json({ experiments: await listBundleExperiments(db, project.id, params.name!, query.environment) }),
);

// The operation parses the body itself (its arms, then each member's definition as for one prompt).
export const POST = withApiKey(
  "admin",
  { body: (value: unknown) => value },
  async ({ db, actor, project, params, body }) => {
    const experiment = await createBundleExperiment({ db, actor, projectId: project.id }, params.name!, body);
    return json({ experiment }, 201);
  },
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
