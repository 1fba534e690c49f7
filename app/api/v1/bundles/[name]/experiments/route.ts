import { createBundleExperiment, listBundleExperiments } from "@/lib/experiments/bundles/bundle-experiments";
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
