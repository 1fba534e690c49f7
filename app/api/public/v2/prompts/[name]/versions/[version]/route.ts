// Langfuse-compatible: PATCH /api/public/v2/prompts/{name}/versions/{version} {newLabels}: labels (environments) move to this version.
import { updateLangfuseLabels } from "@/lib/langfuse/writes";
import { json, otherMethods, route } from "@/lib/server/http/api";
import * as endpoints from "@/lib/server/http/endpoints/langfuse";
import { versionParam } from "@/lib/server/http/prompt-api";
import { parseInput } from "@/lib/validation";

export const PATCH = route(endpoints.langfuseUpdateLabels, async ({ domain, params, body }) => {
  const version = parseInput(versionParam, params.version, "version");
  return json(await updateLangfuseLabels(domain, params.name, version, body.newLabels));
});

export const { GET, POST, PUT, DELETE } = otherMethods("PATCH");
