import { createExperiment, listExperiments } from "@/lib/experiments/store";
import { experimentDto } from "@/lib/experiments/dto";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/experiments";

export const GET = route(endpoints.listExperiments, async ({ db, project, query }) =>
  json({ data: (await listExperiments(db, project.id, query)).map(experimentDto) }),
);

// 422 naming the field, nothing written.
export const POST = route(endpoints.createExperiment, async ({ domain, body }) =>
  json(experimentDto(await createExperiment(domain, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
