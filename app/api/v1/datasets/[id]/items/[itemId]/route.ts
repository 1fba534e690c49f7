// PATCH /api/v1/datasets/{id}/items/{itemId} {input?, expected?, tags?, metadata?} and DELETE: each makes a new dataset version. Admin key.
import { itemDto, parseItemPatch, removeItems, updateItem } from "@/lib/evaluation/datasets";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";

// The action is checked before the body, as updateItem does (403 before 422).
export const PATCH = withApiKey(
  "admin",
  { body: parseItemPatch, action: "evaluation.run" },
  async ({ db, actor, project, params, body }) => {
    const r = await updateItem({ db, actor, projectId: project.id }, params.id!, params.itemId!, body);
    return json({ version: r.version, item: itemDto(r.item) });
  },
);

export const DELETE = withApiKey("admin", {}, async ({ db, actor, project, params }) =>
  json(await removeItems({ db, actor, projectId: project.id }, params.id!, [params.itemId!])),
);

export const { GET, POST, PUT } = otherMethods("PATCH", "DELETE");
