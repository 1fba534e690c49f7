import { exportPromptVersion } from "@/lib/evaluation/prompt-files";
import { otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/prompt-files";

export const GET = route(endpoints.exportPromptVersion, async ({ db, project, params, query }) => {
  const file = await exportPromptVersion(db, project.id, params.name, params.version, query.format);
  return new Response(file.body, {
    headers: { "content-type": file.contentType, "content-disposition": `attachment; filename="${file.filename}"` },
  });
});

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
