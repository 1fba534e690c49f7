import { getDataset, datasetDto, deleteDataset, updateDataset } from "@/lib/evaluation/datasets";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.getDataset, async ({ db, project, params }) =>
  json(await getDataset(db, project.id, params.id)),
);

export const PATCH = route(endpoints.updateDataset, async ({ db, domain, params, body }) =>
  json(await datasetDto(db, await updateDataset(domain, params.id, body))),
);

export const DELETE = route(endpoints.deleteDataset, async ({ domain, params }) => {
  const ds = await deleteDataset(domain, params.id);
  return json({ id: ds.id, name: ds.name, deleted: true });
});

export const { POST, PUT } = otherMethods("GET", "PATCH", "DELETE");
