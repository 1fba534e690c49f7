import { getPromptVersion } from "@/lib/views/prompt-reads";
import { AppError } from "@/lib/errors";
import { errorResponse, json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/registry";

export const GET = route(endpoints.getPromptVersion, async ({ db, project, params }) =>
  json(await getPromptVersion(db, project.id, params.name, params.version)),
);

const immutable = async () =>
  errorResponse(
    new AppError(
      "method_not_allowed",
      "Versions are immutable: save a new version instead (POST /api/v1/prompts/{name}/versions).",
    ),
    { allow: "GET" },
  );
export { immutable as PUT, immutable as PATCH, immutable as DELETE };

export const { POST } = otherMethods("GET", "PUT", "PATCH", "DELETE");
