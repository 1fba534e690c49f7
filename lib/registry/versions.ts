// Immutable versions: numbered per prompt with no gaps (row lock on the prompt), never updated
// (database trigger), each stored with the version it was edited from (its base: the previous version unless
// the edit started from an older one) and its diff from that base.
import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { readTogether, type Db } from "../../db/client";
import { promptVersions, prompts, users } from "../../db/schema";
import type { AuditAction } from "../audit/actions";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { parseInput } from "../validation";
import { contentSchema, contentTypes, type Content, type SkillContent } from "./content";
import { withTx, type DomainContext } from "../context";
import { diffContent, type ContentDiff } from "./changes/diff";
import { getPrompt, type PromptRow } from "./prompts";
import { maxVersion, versionNumber, versionParam } from "../number-params";
import { checkContent, insertVersion, prepareContent, type VersionRow } from "./version-rows";
import { skillFrontmatter } from "./skills/skill-files";

export { checkContent, insertVersion, loadPartialContents, type VersionRow } from "./version-rows";

export const createVersionInput = z.looseObject({
  type: z.enum(contentTypes, { error: 'type must be "text", "chat" or "skill"' }).optional(),
  commitMessage: z.string().max(1000, { error: "commitMessage must be at most 1000 characters" }).default(""),
  baseVersion: versionNumber("baseVersion").optional(),
});

/** One side of a save conflict: the version the edit started from, or the latest one. */
export type SavedSide = { version: number; content: Content; commitMessage: string };
/** The details of a save based on an older version than the latest. */
export type SaveConflictDetails = { baseVersion: number; latestVersion: number; base: SavedSide; latest: SavedSide };

/**
 * Saves content as the next version. A save based on an older version than the latest is a
 * conflict (both versions are returned in the details), never a silent overwrite.
 */
export async function createVersion(
  ctx: DomainContext,
  name: string,
  input: unknown,
  opts: { fromVersion?: number } = {},
): Promise<{ version: VersionRow; warnings: string[] }> {
  const meta = parseInput(createVersionInput, input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, name);
  const from = await fromVersionOf(ctx.db, prompt, opts.fromVersion);
  const raw = meta as Record<string, unknown>;
  const previous = from.content;
  // Fields left out keep the values of the version the edit started from (the latest unless the editor
  // started from an older one): sending only a new template must not wipe the model config or the variables.
  const type = meta.type ?? previous.type;
  const content = parseInput(contentSchema, {
    type,
    template: raw.template,
    // A skill's files left out keep the latest version's (a change of config alone); so do its modes, for the
    // files it still holds (an editor that knows nothing of modes keeps a script executable).
    files: raw.files ?? (type === "skill" && previous.type === "skill" ? previous.files : undefined),
    modes: raw.modes ?? (type === "skill" && previous.type === "skill" ? keptModes(raw.files, previous) : undefined),
    variables: raw.variables ?? previous.variables,
    config: raw.config ?? previous.config,
    examples: raw.examples ?? previous.examples,
  });
  return saveVersion(ctx, prompt, content, {
    commitMessage: meta.commitMessage,
    baseVersion: meta.baseVersion ?? null,
    fromVersion: opts.fromVersion,
    latest: from,
  });
}

/** The version an edit started from: the one named (which must exist), else the latest. */
async function fromVersionOf(db: Db, prompt: PromptRow, fromVersion: number | undefined): Promise<VersionRow> {
  if (fromVersion === undefined) return getVersion(db, prompt, prompt.latestVersion);
  if (!Number.isInteger(fromVersion) || fromVersion < 1 || fromVersion > prompt.latestVersion)
    throw new AppError(
      "invalid_input",
      `fromVersion must be one of ${prompt.name}'s versions, 1 to ${prompt.latestVersion}; got ${fromVersion}.`,
      { field: "fromVersion" },
    );
  return getVersion(db, prompt, fromVersion);
}

/** The latest version's modes of the files a new version holds (all of them when it leaves its files out). */
function keptModes(files: unknown, previous: SkillContent): Record<string, string> | undefined {
  if (!previous.modes || files === undefined) return previous.modes;
  if (files === null || typeof files !== "object") return undefined;
  return Object.fromEntries(Object.entries(previous.modes).filter(([p]) => Object.hasOwn(files as object, p)));
}

/** The shared write path for new versions (editor saves, API, draft merges). */
export async function saveVersion(
  ctx: DomainContext,
  prompt: PromptRow,
  given: Content,
  opts: {
    commitMessage: string;
    baseVersion: number | null;
    /**
     * The version the content was edited from when it is not the latest (an edit started from an older version
     * on purpose): recorded as the new version's base, and its diff is against it. Default: the latest.
     */
    fromVersion?: number;
    auditAction?: AuditAction;
    inTransaction?: (tx: Db, row: VersionRow) => Promise<void>;
    /** The latest version as the caller read it already (createVersion): not read again (versions never change). */
    latest?: VersionRow;
  },
): Promise<{ version: VersionRow; warnings: string[] }> {
  const previous =
    opts.latest?.version === prompt.latestVersion
      ? opts.latest
      : await getVersion(ctx.db, prompt, prompt.latestVersion);
  assertSameKind(prompt.name, previous.content, given);
  const { content, warnings: moved } = prepareContent(given);
  const warnings = [...moved, ...(await checkContent(ctx.db, ctx.projectId, prompt.name, content))];
  const { row: version, seq } = await ctx.db.transaction(async (tx) => {
    // The row lock serialises concurrent saves of one prompt: numbering has no gaps or duplicates.
    const [locked] = await tx.select().from(prompts).where(eq(prompts.id, prompt.id)).for("update");
    const latest = locked!.latestVersion;
    if (opts.baseVersion !== null && opts.baseVersion !== latest) {
      // One after the other: a transaction's connection runs one query at a time.
      const base = await getVersion(tx, prompt, opts.baseVersion);
      const current = await getVersion(tx, prompt, latest);
      throw new AppError(
        "conflict",
        `This edit is based on version ${opts.baseVersion}, but version ${latest} has been saved since. Review its changes and save again.`,
        {
          baseVersion: opts.baseVersion,
          latestVersion: latest,
          base: { version: base.version, content: base.content, commitMessage: base.commitMessage },
          latest: { version: current.version, content: current.content, commitMessage: current.commitMessage },
        } satisfies SaveConflictDetails,
      );
    }
    const base = opts.fromVersion ?? latest;
    const prevContent = base === previous.version ? previous.content : (await getVersion(tx, prompt, base)).content;
    const row = await insertVersion(withTx(ctx, tx), prompt, latest + 1, content, {
      commitMessage: opts.commitMessage,
      baseVersion: opts.fromVersion ?? opts.baseVersion ?? latest,
      diff: diffContent(prevContent, content),
    });
    // A skill's description follows its frontmatter's, version by version.
    const description = content.type === "skill" ? skillFrontmatter(content.files).description : undefined;
    await tx
      .update(prompts)
      .set({ latestVersion: latest + 1, updatedAt: new Date(), ...(description === undefined ? {} : { description }) })
      .where(eq(prompts.id, prompt.id));
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: opts.auditAction ?? "version.create",
      objectType: "prompt",
      objectId: prompt.id,
      after: { name: prompt.name, version: latest + 1, commitMessage: opts.commitMessage },
    });
    await opts.inTransaction?.(tx, row);
    return { row, seq };
  });
  await ctx.events.publish({
    projectId: ctx.projectId,
    prompt: prompt.name,
    environment: null,
    version: version.version,
    action: "version",
    seq,
  });
  return { version, warnings };
}

/**
 * A skill stays a skill and a prompt stays a prompt: what reads it (agents installing a folder, applications
 * rendering a template) would break on the switch. Text and chat may switch, as before.
 */
export function assertSameKind(name: string, before: Content, after: Content): void {
  if ((before.type === "skill") === (after.type === "skill")) return;
  throw new AppError(
    "unprocessable",
    before.type === "skill"
      ? `${name} is a skill: its versions hold files (type "skill"); create a prompt of its own for a ${after.type} template.`
      : `${name} is a ${before.type} prompt: a skill is a prompt of its own (type "skill"), not a new version of a template.`,
    { field: "type", rule: "type.kind", before: before.type, after: after.type },
  );
}

export async function getVersion(db: Db, prompt: PromptRow, version: number): Promise<VersionRow> {
  if (!Number.isInteger(version) || version < 1 || version > maxVersion)
    throw new AppError("invalid_input", `version must be a whole number from 1 to ${maxVersion}`, { field: "version" });
  const [row] = await db
    .select()
    .from(promptVersions)
    .where(and(eq(promptVersions.promptId, prompt.id), eq(promptVersions.version, version)));
  if (!row)
    throw new AppError("not_found", `Prompt ${prompt.name} has no version ${version}.`, {
      prompt: prompt.name,
      version,
    });
  return row;
}

export async function listVersionRows(
  db: Db,
  prompt: PromptRow,
  opts: { limit?: number; order?: "asc" | "desc" } = {},
) {
  return db
    .select({ version: promptVersions, authorName: users.name, authorEmail: users.email })
    .from(promptVersions)
    .leftJoin(users, eq(users.id, promptVersions.authorId))
    .where(eq(promptVersions.promptId, prompt.id))
    .orderBy(opts.order === "asc" ? asc(promptVersions.version) : desc(promptVersions.version))
    .limit(Math.min(opts.limit ?? 500, 5000));
}

export async function diffVersions(db: Db, prompt: PromptRow, from: number, to: number): Promise<ContentDiff> {
  const [a, b] = await readTogether(db, [() => getVersion(db, prompt, from), () => getVersion(db, prompt, to)]);
  return diffContent(a.content, b.content);
}

/**
 * GET /api/v1/prompts/{name}/versions/{n}/diff: the diff from `against` (default n − 1; version 1 against
 * nothing) to n. The version arrives as the path's text and is checked once the prompt is found.
 */
export async function getPromptVersionDiff(
  db: Db,
  projectId: string,
  name: string,
  rawVersion: string | undefined,
  against?: number,
): Promise<{ from: number | null; to: number; diff: ContentDiff }> {
  const prompt = await getPrompt(db, projectId, name);
  const n = parseInput(versionParam("version"), rawVersion, "version");
  if (against === undefined && n === 1) {
    const v = await getVersion(db, prompt, 1);
    return { from: null, to: 1, diff: diffContent(null, v.content) };
  }
  const from = against ?? n - 1;
  return { from, to: n, diff: await diffVersions(db, prompt, from, n) };
}

/** GET /api/v1/prompts/{name}/versions/{n}/diff: the diff (changes/diff.ts ContentDiff) from `from` (null: nothing) to `to`. */
export const versionDiffResponse = z.object({
  from: z.number().int().nullable(),
  to: z.number().int(),
  diff: z.object({
    pieces: z.array(
      z.object({
        key: z.string(),
        status: z.enum(["added", "removed", "changed", "unchanged"]),
        before: z.string(),
        after: z.string(),
        hunks: z.array(z.object({ type: z.enum(["add", "del", "same"]), text: z.string() })),
      }),
    ),
    config: z.array(z.object({ path: z.string() })),
    variables: z.array(z.object({ name: z.string(), change: z.enum(["added", "removed", "changed"]) })),
    typeChanged: z.boolean(),
    summary: z.array(z.string()),
  }),
});
const _diff: (d: Awaited<ReturnType<typeof getPromptVersionDiff>>) => z.input<typeof versionDiffResponse> = (d) => d;
void _diff;

/** GET …/versions/{n}/diff?against=m (getPromptVersionDiff). */
export const diffQuery = z.object({
  against: versionParam("against").optional().describe("The version compared with (default: the one before)"),
});
