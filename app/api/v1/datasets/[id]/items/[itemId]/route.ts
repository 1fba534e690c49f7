// PATCH /api/v1/datasets/{id}/items/{itemId} {input?, expected?, tags?, metadata?} and DELETE: each makes a new dataset version. Admin key.
import { z } from "zod";
import { itemDto, removeItems, updateItem } from "@/lib/evaluation/datasets";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

// The body is parsed by updateItem once the dataset and its gate allow the change (404 and 403 before 422).
export const PATCH = withApiKey("admin", { body: z.unknown() }, async ({ db, actor, project, params, body }) => {
  const r = await updateItem({ db, actor, projectId: project.id }, params.id!, params.itemId!, body);
  return json({ version: r.version, item: itemDto(r.item) });
});

export const DELETE = withApiKey("admin", {}, async ({ db, actor, project, params }) =>
  json(await removeItems({ db, actor, projectId: project.id }, params.id!, [params.itemId!])),
);

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
