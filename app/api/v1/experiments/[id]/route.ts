import { getExperiment } from "@/lib/experiments/store";
import { experimentDto } from "@/lib/experiments/dto";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/experiments";

export const GET = route(endpoints.getExperiment, async ({ db, project, params }) =>
  json(experimentDto(await getExperiment(db, project.id, params.id))),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
