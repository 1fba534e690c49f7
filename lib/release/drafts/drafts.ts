// Draft copies (the seed's "simple branching"): a mutable copy of a version that its owner edits
// freely, then merges back as a new version, three-way when the prompt has moved on.
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { readTogether, type Db } from "../../../db/client";
import { drafts, prompts, users } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError, isAppError, isUniqueViolation } from "../../errors";
import { parseInput, isUuid } from "../../validation";
import { contentSchema, type Content } from "../../registry/content";
import { actorUserId, type DomainContext } from "../../context";
import { diffContent } from "../../registry/changes/diff";
import { mergeContent, type MergeConflict } from "../../registry/changes/merge";
import { getPrompt } from "../../registry/prompts";
import { assertSameKind, getVersion, saveVersion, type VersionRow } from "../../registry/versions";
import { versionNumber } from "../../number-params";

export type DraftRow = typeof drafts.$inferSelect;

export const createDraftInput = z.object({
  name: z
    .string()
    .trim()
    .min(1, { error: "name is required" })
    .max(100, { error: "name must be at most 100 characters" }),
  fromVersion: versionNumber("fromVersion").optional(),
});

export async function createDraft(
  ctx: DomainContext,
  promptName: string,
  input: z.input<typeof createDraftInput>,
): Promise<DraftRow> {
  const data = parseInput(createDraftInput, input);
  const prompt = await getPrompt(ctx.db, ctx.projectId, promptName);
  const base = await getVersion(ctx.db, prompt, data.fromVersion ?? prompt.latestVersion);
  try {
    const [row] = await ctx.db
      .insert(drafts)
      .values({
        promptId: prompt.id,
        name: data.name,
        ownerId: actorUserId(ctx),
        baseVersion: base.version,
        content: base.content,
      })
      .returning();
    await recordAudit(ctx.db, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "draft.create",
      objectType: "draft",
      objectId: row!.id,
      after: { prompt: promptName, name: data.name, baseVersion: base.version },
    });
    return row!;
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("conflict", `${promptName} already has an open draft named ${data.name}.`, { field: "name" });
    throw e;
  }
}

export async function getDraftRow(db: Db, projectId: string, id: string) {
  if (!isUuid(id)) throw new AppError("not_found", `No draft with id ${id}.`);
  const [row] = await db
    .select({ draft: drafts, prompt: prompts, ownerName: users.name })
    .from(drafts)
    .innerJoin(prompts, eq(prompts.id, drafts.promptId))
    .leftJoin(users, eq(users.id, drafts.ownerId))
    .where(and(eq(drafts.id, id), eq(prompts.projectId, projectId)));
  if (!row) throw new AppError("not_found", `No draft with id ${id}.`);
  return row;
}

export async function listDrafts(db: Db, promptId: string) {
  return db
    .select({ draft: drafts, ownerName: users.name })
    .from(drafts)
    .leftJoin(users, eq(users.id, drafts.ownerId))
    .where(and(eq(drafts.promptId, promptId), isNull(drafts.closedAt)))
    .orderBy(desc(drafts.updatedAt));
}

function assertEditable(ctx: DomainContext, draft: DraftRow) {
  if (draft.closedAt)
    throw new AppError(
      "conflict",
      draft.mergedVersion ? `This draft was merged as version ${draft.mergedVersion}.` : "This draft was discarded.",
    );
  const me = actorUserId(ctx);
  if (
    draft.ownerId &&
    me !== draft.ownerId &&
    !(ctx.actor.type === "user" && ctx.actor.role === "admin") &&
    ctx.actor.type !== "api_key"
  )
    throw new AppError("forbidden", "Only the draft's owner (or an admin) can change it.");
}

/** The content is checked by updateDraft, naming the field in it (content.template, …). */
export const updateDraftInput = z.object({
  content: z.unknown(),
  baseVersion: versionNumber("baseVersion").optional(),
});

/** Replaces the draft's content. `baseVersion` moves the draft onto a newer version after resolving a merge. */
export async function updateDraft(
  ctx: DomainContext,
  id: string,
  input: z.input<typeof updateDraftInput>,
): Promise<DraftRow> {
  const { draft, prompt } = await getDraftRow(ctx.db, ctx.projectId, id);
  assertEditable(ctx, draft);
  const content = parseInput(contentSchema, input.content, "content");
  assertSameKind(prompt.name, draft.content, content);
  if (input.baseVersion !== undefined) await getVersion(ctx.db, prompt, input.baseVersion);
  const [row] = await ctx.db
    .update(drafts)
    .set({ content, baseVersion: input.baseVersion ?? draft.baseVersion, updatedAt: new Date() })
    .where(eq(drafts.id, id))
    .returning();
  return row!;
}

/** The draft against its base, and against the latest version. */
export async function draftDiffs(db: Db, projectId: string, id: string) {
  const { draft, prompt } = await getDraftRow(db, projectId, id);
  const [base, latest] = await readTogether(db, [
    () => getVersion(db, prompt, draft.baseVersion),
    () => getVersion(db, prompt, prompt.latestVersion),
  ]);
  return {
    draft,
    base: { version: base.version, content: base.content },
    latest: { version: latest.version, content: latest.content },
    againstBase: diffContent(base.content, draft.content),
    againstLatest: diffContent(latest.content, draft.content),
  };
}

export const mergeDraftInput = z.object({
  commitMessage: z.string().max(1000).default(""),
});

/** The details of mergeDraft's conflict: every conflicting piece and the partly merged content. */
export type MergeConflictDetails = {
  conflicts: MergeConflict[];
  partial: Content;
  baseVersion: number;
  latestVersion: number;
};

/** The details when `e` is mergeDraft's three-way conflict, else null. */
export function mergeConflictOf(e: unknown): MergeConflictDetails | null {
  const d = isAppError(e) && e.code === "conflict" ? e.details : undefined;
  return d && Array.isArray(d.conflicts) && typeof d.latestVersion === "number" ? (d as MergeConflictDetails) : null;
}

/**
 * Merges a draft back as a new version. When the prompt has moved on since the draft's base, a
 * three-way merge runs; overlapping edits come back as a `conflict` with every conflicting piece and
 * the partly merged content, and nothing is saved. Resolve by updating the draft with the resolved
 * content and `baseVersion` = the latest version, then merge again.
 */
export async function mergeDraft(ctx: DomainContext, id: string, input: z.input<typeof mergeDraftInput>) {
  const data = parseInput(mergeDraftInput, input);
  const { draft, prompt } = await getDraftRow(ctx.db, ctx.projectId, id);
  assertEditable(ctx, draft);
  const ours = draft.content;
  let content = ours;
  let latest: VersionRow | undefined;
  if (draft.baseVersion !== prompt.latestVersion) {
    const [base, theirs] = await readTogether(ctx.db, [
      () => getVersion(ctx.db, prompt, draft.baseVersion),
      () => getVersion(ctx.db, prompt, prompt.latestVersion),
    ]);
    const merged = mergeContent(base.content, ours, theirs.content);
    if (!merged.ok)
      throw new AppError(
        "conflict",
        `The draft and version ${theirs.version} both changed ${merged.conflicts.map((c) => c.key).join(", ")}. Resolve the conflicts, then merge again.`,
        {
          conflicts: merged.conflicts,
          partial: merged.partial,
          baseVersion: base.version,
          latestVersion: theirs.version,
        } satisfies MergeConflictDetails,
      );
    content = merged.content; // validated by saveVersion like any save
    latest = theirs;
  }
  const { version, warnings } = await saveVersion(ctx, prompt, content, {
    commitMessage: data.commitMessage || `Merge draft "${draft.name}"`,
    baseVersion: prompt.latestVersion,
    auditAction: "draft.merge",
    // The latest version as the three-way merge read it: saveVersion does not read it again.
    latest,
    // Closed in the same transaction as the new version: a draft can never be merged twice.
    inTransaction: async (tx, row) => {
      const [closed] = await tx
        .update(drafts)
        .set({ mergedVersion: row.version, closedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(drafts.id, id), isNull(drafts.closedAt)))
        .returning({ id: drafts.id });
      if (!closed) throw new AppError("conflict", "This draft was merged or discarded meanwhile.");
    },
  });
  return { version, warnings, threeWay: draft.baseVersion !== prompt.latestVersion };
}

export async function discardDraft(ctx: DomainContext, id: string) {
  const { draft } = await getDraftRow(ctx.db, ctx.projectId, id);
  assertEditable(ctx, draft);
  await ctx.db.update(drafts).set({ closedAt: new Date(), updatedAt: new Date() }).where(eq(drafts.id, id));
  await recordAudit(ctx.db, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "draft.discard",
    objectType: "draft",
    objectId: id,
  });
}
