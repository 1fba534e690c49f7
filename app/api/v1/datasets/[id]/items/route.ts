import { addUploadedItems, listDatasetItems } from "@/lib/evaluation/datasets";
import { json, otherMethods, readTextBody, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.listDatasetItems, async ({ db, project, params, query }) =>
  json(await listDatasetItems(db, project.id, params.id, query)),
);

// The body is read by addUploadedItems once the Content-Type names a format it takes.
export const POST = route(endpoints.addDatasetItems, async ({ req, domain, params }) =>
  json(
    await addUploadedItems(domain, params.id, {
      contentType: req.headers.get("content-type"),
      read: (limit) => readTextBody(req, limit),
    }),
    201,
  ),
);

export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");
