// GET /api/v1/datasets/{id}/items[?version=&offset=&limit=&tag=] and POST (add items: JSON {items} or
// {sampleIds}, text/csv, application/x-ndjson; all or nothing, 422 listing each bad row). Admin key.
import { addUploadedItems, listItems, listItemsInput } from "@/lib/evaluation/datasets";
import { json, otherMethods, readTextBody, withApiKey } from "@/lib/server/http/api";

export const GET = withApiKey(
  "admin",
  { query: listItemsInput, action: "evaluation.read" },
  async ({ db, project, params, query }) => json(await listItems(db, project.id, params.id!, query)),
);

// The body is read by addUploadedItems once the Content-Type names a format it takes.
export const POST = withApiKey("admin", {}, async ({ req, db, actor, project, params }) =>
  json(
    await addUploadedItems({ db, actor, projectId: project.id }, params.id!, {
      contentType: req.headers.get("content-type"),
      read: (limit) => readTextBody(req, limit),
    }),
    201,
  ),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
