// GET /api/v1/prompts/{name}: metadata, the latest version, and what each environment serves; PATCH {description?, tags?}. Admin key.
import { promptDto, versionDto } from "@/lib/registry/dto";
import { getPrompt, updatePromptDetails, updatePromptDetailsInput } from "@/lib/registry/prompts";
import { getVersion } from "@/lib/registry/versions";
import { liveVersions } from "@/lib/release/deployments";
import { placementOf, versionStatuses } from "@/lib/release/status";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";

export const GET = withApiKey("admin", { action: "prompt.read" }, async ({ db, project, params }) => {
  const prompt = await getPrompt(db, project.id, params.name!);
  const [latest, live, statuses] = await Promise.all([
    getVersion(db, prompt, prompt.latestVersion),
    liveVersions(db, project.id, prompt.id),
    versionStatuses(db, prompt.id),
  ]);
  return json({
    prompt: promptDto(prompt),
    latestVersion: versionDto(latest, { placement: placementOf(statuses, latest.version) }),
    environments: Object.fromEntries(
      live.map((e) => [
        e.environment,
        e.live
          ? { version: e.live.version, since: e.live.at.toISOString(), action: e.live.action, protected: e.protected }
          : null,
      ]),
    ),
  });
});

export const PATCH = withApiKey(
  "admin",
  { body: updatePromptDetailsInput, action: "prompt.update" },
  async ({ db, actor, project, params, body }) =>
    json({ prompt: promptDto(await updatePromptDetails({ db, actor, projectId: project.id }, params.name!, body)) }),
);

export const { POST, PUT, DELETE } = otherMethods("GET", "PATCH");
