// GET /api/v1/experiments/{id}: the definition, status, phases and decision. Admin key.
import { experimentDto, getExperiment } from "@/lib/experiments/store";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "experiment.read" }, async ({ db, project, params }) =>
  json(experimentDto(await getExperiment(db, project.id, params.id!))),
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
