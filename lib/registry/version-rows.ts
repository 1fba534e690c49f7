// A version row and what is checked before one is written: the content's syntax, partials and declared
// variables against what the partial references include when saving. Used by creating a prompt (its first
// version) and by saving the next version (versions.ts); kept apart so that neither imports the other.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { promptVersions } from "../../db/schema";
import type { Content, SkillContent } from "./content";
import { AppError } from "../errors";
import { movedFieldsWarning, prepareSkillFiles, skillProblems } from "./skills/skill-files";
import { actorUserId, type DomainContext } from "../context";
import type { ContentDiff } from "./changes/diff";
import type { PromptRow } from "./prompts";
import { loadPartialRefs } from "./live-versions";
import { collectPartials, includedPartials, resolvePartialGraph, validateContent } from "./templates/template";
import { checkVariableSchemas } from "./templates/variable-schema";

export type VersionRow = typeof promptVersions.$inferSelect;

/**
 * What the partial references reachable from `start` include when saving: `{{> name}}` the latest
 * version, pinned references what they pin (loadPartialRefs), followed breadth-first. Keyed by reference.
 */
export async function loadPartialContents(
  db: Db,
  projectId: string,
  start: string[],
  maxDepth = 9,
): Promise<Map<string, Content>> {
  const found = new Map<string, Content>();
  let frontier = [...new Set(start)];
  for (let depth = 0; frontier.length && depth <= maxDepth; depth++) {
    const rows = await loadPartialRefs(db, projectId, frontier, null);
    const next: string[] = [];
    for (const [ref, r] of rows) {
      found.set(ref, r.content);
      for (const p of includedPartials(r.content)) if (!found.has(p)) next.push(p);
    }
    frontier = [...new Set(next)].filter((n) => !found.has(n));
  }
  return found;
}

/**
 * Content as a save stores it: a skill's SKILL.md fields outside the Agent Skills specification moved under its
 * `metadata` (skills/skill-frontmatter.ts), with a warning naming them. Any other content is stored as given.
 */
export function prepareContent(content: Content): { content: Content; warnings: string[] } {
  if (content.type !== "skill") return { content, warnings: [] };
  const { files, moved } = prepareSkillFiles(content.files);
  if (!moved.length) return { content, warnings: [] };
  return { content: { ...content, files }, warnings: [movedFieldsWarning(moved)] };
}

/** Validates content before it is saved (syntax, partials, declared variables; a skill's rules); returns warnings. */
export async function checkContent(db: Db, projectId: string, name: string, content: Content): Promise<string[]> {
  if (content.type === "skill") {
    checkSkill(content, name);
    return [];
  }
  const loaded = await loadPartialContents(db, projectId, collectPartials(content));
  const graph = resolvePartialGraph({ name, content }, (n) => (n === name ? content : loaded.get(n)));
  return validateContent(content, graph.declared).warnings;
}

/**
 * Refuses a skill version that breaks an agentskills.io rule or a limit (422 naming the rule: details.rule, and
 * every broken rule in details.issues). A skill's files are not templates, so nothing else is checked.
 */
export function checkSkill(content: SkillContent, promptName: string): void {
  const problems = skillProblems(content.files, promptName);
  if (!problems.length) return;
  throw new AppError("unprocessable", problems.map((p) => p.message).join("; "), {
    field: problems[0]!.field,
    rule: problems[0]!.rule,
    issues: problems,
  });
}

/** An experiment or a guarded rollout asked of a skill: agents installing it are not subjects to split. */
export const notSplitBySubject = (name: string) =>
  new AppError(
    "unprocessable",
    `${name} is a skill: agents install it whole, so it is not split by subject; experiment with the prompts that include it.`,
    { field: "prompt", type: "skill" },
  );

export type VersionInsert = {
  version: number;
  content: Content;
  commitMessage: string;
  baseVersion: number | null;
  diff: ContentDiff;
  /** A version imported from elsewhere keeps who made it and when, on the instance it came from. */
  imported?: { author: string; createdAt: string };
};

/** Rows per INSERT statement, and their content's bytes at most (a statement past either is split). */
const ROWS_PER_INSERT = 200;
const BYTES_PER_INSERT = 8 * 2 ** 20;

/**
 * Writes versions of one prompt in multi-row statements (importers write up to a thousand at once: row by row,
 * a thousand round trips; as one statement, past PostgreSQL's 65,535 parameters). Returns the rows, in order.
 */
export async function insertVersions(
  ctx: DomainContext,
  prompt: Pick<PromptRow, "id">,
  versions: VersionInsert[],
): Promise<VersionRow[]> {
  const tx = ctx.db;
  const out: VersionRow[] = [];
  for (const v of versions) if (v.content.type !== "skill") checkVariableSchemas(v.content.variables);
  const row = (v: VersionInsert) => ({
    promptId: prompt.id,
    version: v.version,
    content: v.content,
    commitMessage: v.commitMessage,
    authorId: v.imported ? null : actorUserId(ctx),
    authorLabel: v.imported ? v.imported.author : ctx.actor.label,
    baseVersion: v.baseVersion,
    diff: v.diff,
    ...(v.imported ? { createdAt: sql`${v.imported.createdAt}::timestamptz` } : {}),
  });
  for (let i = 0; i < versions.length;) {
    const chunk: VersionInsert[] = [];
    let bytes = 0;
    for (; i < versions.length && chunk.length < ROWS_PER_INSERT; i++) {
      const size = JSON.stringify(versions[i]!.content).length + JSON.stringify(versions[i]!.diff).length;
      if (chunk.length && bytes + size > BYTES_PER_INSERT) break;
      chunk.push(versions[i]!);
      bytes += size;
    }
    out.push(...(await tx.insert(promptVersions).values(chunk.map(row)).returning()));
  }
  return out;
}

/** Writes one version (insertVersions with one). */
export async function insertVersion(
  ctx: DomainContext,
  prompt: Pick<PromptRow, "id">,
  version: number,
  content: Content,
  meta: Omit<VersionInsert, "version" | "content">,
): Promise<VersionRow> {
  const [row] = await insertVersions(ctx, prompt, [{ version, content, ...meta }]);
  return row!;
}
