import { itemDto, removeItems, updateDatasetItem } from "@/lib/evaluation/datasets";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const PATCH = route(endpoints.updateDatasetItem, async ({ domain, params, body }) => {
  const r = await updateDatasetItem(domain, params.id, params.itemId, body);
  return json({ version: r.version, item: itemDto(r.item) });
});

export const DELETE = route(endpoints.removeDatasetItem, async ({ domain, params }) =>
  json(await removeItems(domain, params.id, [params.itemId])),
);

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
