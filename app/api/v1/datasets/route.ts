// GET /api/v1/datasets[?prompt=] and POST /api/v1/datasets {name, prompt?, description?}. Admin key.
import { z } from "zod";
import {
  createDataset,
  datasetDto,
  datasetListResponse,
  datasetSchema,
  listDatasets,
  parseCreateDatasetInput,
} from "@/lib/evaluation/datasets";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

const query = z.object({ prompt: z.string().max(200).optional() });

export const GET = withApiKey(
  "admin",
  { query, response: datasetListResponse, action: "evaluation.read" },
  async ({ db, project, query }) => json({ data: await listDatasets(db, project.id, query) }),
);

// The action is checked before the body, as createDataset does (403 before 422).
export const POST = withApiKey(
  "admin",
  { body: parseCreateDatasetInput, response: datasetSchema, action: "evaluation.run" },
  async ({ db, actor, project, body }) =>
    json(await datasetDto(db, await createDataset({ db, actor, projectId: project.id }, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
