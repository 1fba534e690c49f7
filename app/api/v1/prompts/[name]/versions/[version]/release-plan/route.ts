// GET /api/v1/prompts/{name}/versions/{n}/release-plan?environment=: what version n still needs before the environment may serve it. Admin key.
import { getPrompt } from "@/lib/registry/prompts";
import { getVersion } from "@/lib/registry/versions";
import { getEnvironment } from "@/lib/release/environments";
import { planFor } from "@/lib/release/plan-facts";
import { json, otherMethods, withApiKey } from "@/lib/server/http/api";
import { releasePlanQuery, versionParam } from "@/lib/server/http/prompt-api";
import { parseInput } from "@/lib/validation";

export const GET = withApiKey(
  "admin",
  { query: releasePlanQuery, action: "prompt.read" },
  async ({ db, project, params, query }) => {
    const prompt = await getPrompt(db, project.id, params.name!);
    const version = parseInput(versionParam, params.version, "version");
    await getVersion(db, prompt, version);
    const env = await getEnvironment(db, project.id, query.environment);
    return json(await planFor(db, prompt, env, version));
  },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
