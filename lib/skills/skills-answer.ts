// What a path under a skills URL answers — a key's URL (one environment's skills) or a project's published
// skills URL (the chosen skills of one environment): `.well-known/agent-skills/index.json`, and the artifacts
// it lists. Both are read fresh from the deployment log, like everything lib/skills serves.
import type { Db } from "../../db/client";
import { AppError } from "../errors";
import { artifactAt, discoveryIndex } from "./discovery";
import { servedSkillHeads, servedSkills } from "./live-skills";
import { skillSummaries } from "./skill-summary";

/** The skills a URL serves: one environment's, or (names) only these of them. */
export type SkillsScope = { projectId: string; environment: string; names?: string[] };

const wellKnown = ".well-known/agent-skills/";

/** The bytes and content type of `path` (relative to the skills URL); not_found for anything else. */
export async function skillsPathAnswer(
  db: Db,
  scope: SkillsScope,
  path: string,
): Promise<{ body: string | Uint8Array; contentType: string }> {
  if (!path.startsWith(wellKnown))
    throw new AppError("not_found", `A skills URL serves ${wellKnown}index.json and what it lists.`);
  const rest = path.slice(wellKnown.length);
  const only = scope.names ? { names: scope.names } : undefined;
  if (rest === "index.json") {
    const heads = await servedSkillHeads(db, scope.projectId, scope.environment, only);
    return { body: JSON.stringify(discoveryIndex(await skillSummaries(db, heads))), contentType: "application/json" };
  }
  const found = await artifactAt(
    rest,
    async (folder) => (await servedSkills(db, scope.projectId, scope.environment, { ...only, folder }))[0],
  );
  return { body: found.bytes, contentType: found.contentType };
}
