import { createDataset, datasetDto, listDatasets } from "@/lib/evaluation/datasets";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.listDatasets, async ({ db, project, query }) =>
  json({ data: await listDatasets(db, project.id, query) }),
);

export const POST = route(endpoints.createDataset, async ({ db, domain, body }) =>
  json(await datasetDto(db, await createDataset(domain, body)), 201),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
