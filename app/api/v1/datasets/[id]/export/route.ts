import { exportDataset } from "@/lib/evaluation/datasets";
import { otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/evaluation";

export const GET = route(endpoints.exportDataset, async ({ db, project, params, query }) => {
  const file = await exportDataset(db, project.id, params.id, query.format, query.version);
  return new Response(file.body, {
    headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"` },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
