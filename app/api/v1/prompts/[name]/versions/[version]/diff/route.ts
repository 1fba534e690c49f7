// GET /api/v1/prompts/{name}/versions/{n}/diff?against={m}: the diff from m (default n-1) to n. Admin key.
import { getPrompt } from "@/lib/registry/prompts";
import { diffVersions, getVersion } from "@/lib/registry/versions";
import { diffContent } from "@/lib/registry/diff";
import { json, withApiKey, otherMethods } from "@/lib/server/http/api";
import { diffQuery, versionParam } from "@/lib/server/http/prompt-api";
import { parseInput } from "@/lib/validation";

export const GET = withApiKey(
  "admin",
  { query: diffQuery, action: "prompt.read" },
  async ({ db, project, params, query }) => {
    const prompt = await getPrompt(db, project.id, params.name!);
    const n = parseInput(versionParam, params.version, "version");
    if (query.against === undefined && n === 1) {
      const v = await getVersion(db, prompt, 1);
      return json({ from: null, to: 1, diff: diffContent(null, v.content) });
    }
    const from = query.against ?? n - 1;
    return json({ from, to: n, diff: await diffVersions(db, prompt, from, n) });
  },
);

export const { POST, PUT, PATCH, DELETE } = otherMethods("GET");
