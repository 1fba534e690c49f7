// GET /api/v1/prompts/{name}/versions/{n}. Versions are immutable: PUT, PATCH and DELETE answer 405.
import { versionDto } from "@/lib/registry/dto";
import { getPrompt } from "@/lib/registry/prompts";
import { getVersion } from "@/lib/registry/versions";
import { placementOf, versionStatuses } from "@/lib/release/status";
import { AppError } from "@/lib/errors";
import { errorResponse, json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { versionParam } from "@/lib/server/http/prompt-api";
import { parseInput } from "@/lib/validation";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) => {
  const prompt = await getPrompt(db, project.id, params.name!);
  const version = await getVersion(db, prompt, parseInput(versionParam, params.version, "version"));
  return json(
    versionDto(version, {
      placement: placementOf(await versionStatuses(db, prompt.id), version.version),
      withDiff: true,
    }),
  );
});

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
