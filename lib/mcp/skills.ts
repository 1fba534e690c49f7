// MCP's skills extension (SEP-2640, `io.modelcontextprotocol/skills`; docs/mcp.md): skills/list and skills/get
// answer, for each skill the session's environment serves, the entry {uri, frontmatter, resources} — the URI of
// its SKILL.md (the same `skill://` resource resources/read reads), its frontmatter as written, and every file
// with the SHA-256 and size of exactly the bytes resources/read answers (the digests the discovery index and the
// archives are built from: lib/skills' summary, one digest function). Read fresh, like the resources.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { assertEnvironmentAllowed } from "../auth/api-keys";
import { AppError } from "../errors";
import { skillEntryFile } from "../registry/skills/skill-files";
import { servedSkillHeads } from "../skills/live-skills";
import { skillSummaries, type SkillSummary } from "../skills/skill-summary";
import { decodeCursor, encodeCursor } from "./cursor";
import type { McpPrincipal } from "./mcp-prompts";
import { skillUri } from "./resources";

/** The extension's identifier: the key of its capability under `extensions`. */
export const SKILLS_EXTENSION = "io.modelcontextprotocol/skills";

export type McpSkillResource = { uri: string; digest: string; size: number };
export type McpSkill = {
  uri: string;
  frontmatter: { name: string; description: string; [field: string]: unknown };
  resources: McpSkillResource[];
};

/** Skills listed at once; the cursor (cursor.ts) says the last skill URI of the page before. */
export const SKILL_PAGE = 100;

const byUri = (a: { uri: string }, b: { uri: string }) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0);

/** A served skill's entry: every file, SKILL.md first, with the digest and size the resources list too. */
export function skillEntry(s: SkillSummary): McpSkill {
  return {
    uri: skillUri(s.name, skillEntryFile),
    frontmatter: s.frontmatter,
    resources: s.files.map(({ path, digest, size }) => ({ uri: skillUri(s.name, path), digest, size })),
  };
}

/** skills/list: the entries of the skills the environment serves, by URI, a page after `cursor`. */
export async function listMcpSkills(
  db: Db,
  principal: McpPrincipal,
  environment: string,
  cursor?: string,
  pageSize = SKILL_PAGE,
): Promise<{ skills: McpSkill[]; nextCursor?: string }> {
  assertEnvironmentAllowed(principal, environment);
  const after = decodeCursor(cursor);
  const all = (await skillSummaries(db, await servedSkillHeads(db, principal.projectId, environment)))
    .map(skillEntry)
    .sort(byUri);
  const rest = after === undefined ? all : all.filter((s) => s.uri > after);
  const page = rest.slice(0, pageSize);
  return { skills: page, ...(rest.length > pageSize ? { nextCursor: encodeCursor(page.at(-1)!.uri) } : {}) };
}

/**
 * skills/get: the entry of the skill whose SKILL.md `uri` names, as the environment serves it now; not_found (the
 * extension's -32602) for a URI that names no served skill's SKILL.md — a supporting file's URI included.
 */
export async function getMcpSkill(
  db: Db,
  principal: McpPrincipal,
  environment: string,
  uri: string,
): Promise<{ skill: McpSkill }> {
  assertEnvironmentAllowed(principal, environment);
  const prefix = "skill://";
  const suffix = `/${skillEntryFile}`;
  let name: string | undefined;
  if (uri.startsWith(prefix) && uri.endsWith(suffix) && uri.length > prefix.length + suffix.length)
    try {
      name = uri.slice(prefix.length, -suffix.length).split("/").map(decodeURIComponent).join("/");
    } catch {
      name = undefined;
    }
  const heads =
    name === undefined ? [] : await servedSkillHeads(db, principal.projectId, environment, { names: [name] });
  const skill = (await skillSummaries(db, heads)).map(skillEntry).find((s) => s.uri === uri);
  if (!skill)
    throw new AppError(
      "not_found",
      `No skill ${uri}: ${environment} serves no skill whose SKILL.md is there (skills/list names those it serves).`,
      { uri },
    );
  return { skill };
}

/** Which of these prompts of the project are skills (deleted or not: deleting one changes what is served too). */
export async function skillPrompts(db: Db, projectId: string, names: readonly string[]): Promise<Set<string>> {
  if (!names.length) return new Set();
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from prompts where project_id = ${projectId} and skill_name is not null and name in ${[...names]}`,
  );
  return new Set(rows.map((r) => r.name));
}
