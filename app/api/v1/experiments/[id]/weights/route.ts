import { setExperimentWeights } from "@/lib/experiments/lifecycle";
import { experimentDto } from "@/lib/experiments/dto";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/experiments";

export const POST = route(endpoints.setExperimentWeights, async ({ domain, params, body }) =>
  json(experimentDto(await setExperimentWeights(domain, params.id, body))),
);

export const { GET, PUT, PATCH, DELETE } = otherMethods("POST");
