// Version labels: a name for one version of one prompt (`v1.2`, `approved`), an alias any client may fetch
// by, moved without release rules (it changes what no environment serves). Environments stay the only
// thing with rules; a label that names an environment means the environment, and is moved by `promoteVersion`.
// Rules, storage and history: docs/decisions/version-labels.md.
import { and, desc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../../db/client";
import { prompts, versionLabelMoves, versionLabels } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { actorUserId, type DomainContext } from "../../context";
import { AppError } from "../../errors";
import { versionNumber } from "../../number-params";
import { deletedVersions } from "../../registry/deletions";
import { latestLabel } from "../../registry/templates/partial-refs";
import { getPrompt, type PromptRow } from "../../registry/prompts";
import { getVersion } from "../../registry/versions";
import { assertGraphSound, assertNotEnvironment, labelRefusal } from "./version-label-checks";
import { parseInput } from "../../validation";

export { latestLabel };

/**
 * A version label: Langfuse's alphabet (lowercase letters, digits, '_', '-', '.'), 1–36 characters, not
 * only dots (it is a URL path segment) and not `latest` (always the newest version, never stored).
 * The database checks the same (`version_labels_label_format`).
 */
export const versionLabelSchema = z
  .string({ error: "label must be a string" })
  .regex(/^[a-z0-9_.-]{1,36}$/, { error: "label must be 1–36 lowercase letters, digits, '_', '-' or '.'" })
  .refine((l) => !/^[.]+$/.test(l), { error: "label cannot be only dots" })
  .refine((l) => l !== latestLabel, {
    error: "label cannot be 'latest': it always means the newest version and is never set by hand",
  });

/** What a label of a prompt points to. */
export type LabelTarget = { kind: "environment"; environment: string } | { kind: "version"; version: number };

/**
 * What a label of a prompt points to: an environment of that name, else a version label, else undefined.
 * `latest` is the newest version that is not deleted. A version label whose version was deleted points
 * nowhere (undefined) until it is moved. Callers serving a key limited to some environments still check
 * the version it names (lib/runtime's assertKeyMayRead with `version`), as for any version pin.
 */
export async function findLabelTarget(
  db: Db,
  projectId: string,
  promptId: string,
  label: string,
): Promise<LabelTarget | undefined> {
  const [row] = await queryRows<{ environment: string | null; version: number | null }>(
    db,
    sql`select
          (select name from environments where project_id = ${projectId} and name = ${label}) as environment,
          case when ${label} = ${latestLabel}
            then (select max(v.version) from prompt_versions v where v.prompt_id = ${promptId}
                    and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version))
            else (select vl.version from version_labels vl where vl.prompt_id = ${promptId} and vl.label = ${label}
                    and not exists (select 1 from prompt_version_archives a where a.prompt_id = vl.prompt_id and a.version = vl.version))
          end as version`,
  );
  if (row?.environment) return { kind: "environment", environment: row.environment };
  if (row?.version !== null && row?.version !== undefined) return { kind: "version", version: Number(row.version) };
  return undefined;
}

/** A prompt's version labels (deleted versions' included: the prompt page shows where each points). */
export async function listVersionLabelRows(db: Db, promptId: string) {
  return db
    .select({
      label: versionLabels.label,
      version: versionLabels.version,
      actorLabel: versionLabels.actorLabel,
      updatedAt: versionLabels.updatedAt,
    })
    .from(versionLabels)
    .where(eq(versionLabels.promptId, promptId))
    .orderBy(versionLabels.label);
}

/** Every move of a prompt's version labels, newest first: where each pointed afterwards (null: removed) and before. */
export async function versionLabelHistory(db: Db, promptId: string, limit = 200) {
  return db
    .select({
      label: versionLabelMoves.label,
      version: versionLabelMoves.version,
      previous: versionLabelMoves.previous,
      actorLabel: versionLabelMoves.actorLabel,
      at: versionLabelMoves.createdAt,
    })
    .from(versionLabelMoves)
    .where(eq(versionLabelMoves.promptId, promptId))
    .orderBy(desc(versionLabelMoves.id))
    .limit(Math.min(limit, 2000));
}

export type VersionLabelOutcome = {
  /** "unchanged": the label pointed at that version already (nothing written, nothing announced). */
  status: "set" | "unchanged";
  prompt: string;
  label: string;
  version: number;
  /** Where it pointed before (null: a new label). */
  previousVersion: number | null;
};

export type VersionLabelRemoval = { prompt: string; label: string; previousVersion: number };

/** The prompt, locked for this transaction (one label decision at a time per prompt, like deploy()). */
async function lockedPrompt(ctx: DomainContext, name: string): Promise<PromptRow> {
  const prompt = await getPrompt(ctx.db, ctx.projectId, name);
  await ctx.db.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
  if (prompt.deletedAt !== null)
    throw new AppError("conflict", `Prompt ${name} was deleted; its labels cannot change.`, { prompt: name });
  return prompt;
}

async function currentVersion(db: Db, promptId: string, label: string): Promise<number | null> {
  const [row] = await db
    .select({ version: versionLabels.version })
    .from(versionLabels)
    .where(and(eq(versionLabels.promptId, promptId), eq(versionLabels.label, label)));
  return row?.version ?? null;
}

/**
 * Points `label` of a prompt at `version`, moving it from the version that held it. Needs the permission to
 * edit the prompt (not to deploy: a version label changes no environment). Refuses a label that names an
 * environment (use `promoteVersion`), a deleted version, a deleted prompt. Pointing it where it points already
 * writes nothing ("unchanged"). One audit row per move; announced after commit so every instance's caches
 * and SDKs that fetch by the label drop the old answer.
 */
export async function setVersionLabel(
  ctx: DomainContext,
  promptName: string,
  label: string,
  version: number,
): Promise<VersionLabelOutcome> {
  const l = parseInput(versionLabelSchema, label, "label");
  const v = parseInput(versionNumber(), version, "version");
  const done = await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx };
    const prompt = await lockedPrompt(c, promptName);
    await assertNotEnvironment(c, prompt.name, l);
    const row = await getVersion(tx, prompt, v);
    if ((await deletedVersions(tx, prompt.id)).has(v))
      throw new AppError("conflict", `Version ${v} of ${prompt.name} was deleted; a label cannot point at it.`, {
        field: "version",
        version: v,
        archived: true,
      });
    const previous = await currentVersion(tx, prompt.id, l);
    if (previous === v) return { prompt, previous, seq: null };
    const who = { version: v, actorId: actorUserId(ctx), actorLabel: ctx.actor.label };
    try {
      await tx
        .insert(versionLabels)
        .values({ promptId: prompt.id, projectId: ctx.projectId, label: l, ...who })
        .onConflictDoUpdate({
          target: [versionLabels.promptId, versionLabels.label],
          set: { ...who, updatedAt: sql`clock_timestamp()` },
        });
    } catch (e) {
      labelRefusal(e, l, v);
    }
    await tx
      .insert(versionLabelMoves)
      .values({ promptId: prompt.id, projectId: ctx.projectId, label: l, previous, ...who });
    await assertGraphSound(tx, ctx.projectId, prompt, v, l, row);
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "version_label.set",
      objectType: "prompt",
      objectId: prompt.id,
      before: previous === null ? null : { label: l, version: previous },
      after: { label: l, version: v },
    });
    return { prompt, previous, seq };
  });
  const out = { prompt: done.prompt.name, label: l, version: v, previousVersion: done.previous };
  if (done.seq === null) return { status: "unchanged", ...out };
  await ctx.events.publish({
    projectId: ctx.projectId,
    prompt: done.prompt.name,
    environment: null,
    version: v,
    action: "label",
    label: l,
    seq: done.seq,
  });
  return { status: "set", ...out };
}

/** Removes a version label of a prompt (404 when it has none of that name). Same permission and announcement as setting one. */
export async function removeVersionLabel(
  ctx: DomainContext,
  promptName: string,
  label: string,
): Promise<VersionLabelRemoval> {
  const l = parseInput(versionLabelSchema, label, "label");
  const done = await ctx.db.transaction(async (tx) => {
    const prompt = await lockedPrompt({ ...ctx, db: tx }, promptName);
    const [gone] = await tx
      .delete(versionLabels)
      .where(and(eq(versionLabels.promptId, prompt.id), eq(versionLabels.label, l)))
      .returning({ version: versionLabels.version });
    if (!gone)
      throw new AppError("not_found", `Prompt ${prompt.name} has no version label "${l}".`, {
        prompt: prompt.name,
        label: l,
      });
    await tx.insert(versionLabelMoves).values({
      promptId: prompt.id,
      projectId: ctx.projectId,
      label: l,
      version: null,
      previous: gone.version,
      actorId: actorUserId(ctx),
      actorLabel: ctx.actor.label,
    });
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "version_label.remove",
      objectType: "prompt",
      objectId: prompt.id,
      before: { label: l, version: gone.version },
      after: { label: l, version: null },
    });
    return { prompt, version: gone.version, seq };
  });
  await ctx.events.publish({
    projectId: ctx.projectId,
    prompt: done.prompt.name,
    environment: null,
    version: done.version,
    action: "label",
    label: l,
    seq: done.seq,
  });
  return { prompt: done.prompt.name, label: l, previousVersion: done.version };
}
