// GET, PATCH {name?, description?, prompt?} and DELETE /api/v1/datasets/{id} (id or name). Admin key.
import {
  datasetDetail,
  datasetDto,
  datasetSchema,
  deleteDataset,
  parseUpdateDatasetInput,
  updateDataset,
} from "@/lib/evaluation/datasets";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { response: datasetSchema, action: "evaluation.read" },
  async ({ db, project, params }) => json(await datasetDetail(db, project.id, params.id!)),
);

// The action is checked before the body, as updateDataset does (403 before 422).
export const PATCH = withApiKey(
  "admin",
  { body: parseUpdateDatasetInput, response: datasetSchema, action: "evaluation.run" },
  async ({ db, actor, project, params, body }) =>
    json(await datasetDto(db, await updateDataset({ db, actor, projectId: project.id }, params.id!, body))),
);

export const DELETE = withApiKey("admin", {}, async ({ db, actor, project, params }) => {
  const ds = await deleteDataset({ db, actor, projectId: project.id }, params.id!);
  return json({ id: ds.id, name: ds.name, deleted: true });
});

export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
