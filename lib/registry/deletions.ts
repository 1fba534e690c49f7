// Deleting, Lectern's way: versions are immutable and the deployment log is append-only, so a delete
// (the Langfuse-compatible DELETE) records a deletion instead of removing rows. A deleted version is hidden
// from listings and from resolve (an environment whose live version is deleted serves nothing of that
// prompt; a pin to it answers 404) but stays in the history, in point-in-time answers before the deletion,
// and in the audit log. A prompt whose every version is deleted is deleted itself (hidden from the prompt
// list); creating it again through the Langfuse API restores it with the next version number.
// "Deleted", not "archived": archived is a version status (docs/glossary.md). The table, the column and the
// audit actions ("version.archive", "prompt.archive") keep their first names.
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { promptVersionDeletions, prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { actorUserId, type DomainContext } from "../context";
import { parsePartialRef } from "./templates/partial-refs";
import type { PromptRow } from "./prompts";

/** The deleted version numbers of a prompt. */
export async function deletedVersions(db: Db, promptId: string): Promise<Set<number>> {
  const rows = await db
    .select({ version: promptVersionDeletions.version })
    .from(promptVersionDeletions)
    .where(eq(promptVersionDeletions.promptId, promptId));
  return new Set(rows.map((r) => r.version));
}

/** Deleted versions of many prompts: prompt id → version numbers. */
export async function deletedVersionsMany(db: Db, promptIds: string[]): Promise<Map<string, Set<number>>> {
  const out = new Map<string, Set<number>>();
  if (!promptIds.length) return out;
  const rows = await db
    .select({ promptId: promptVersionDeletions.promptId, version: promptVersionDeletions.version })
    .from(promptVersionDeletions)
    .where(inArray(promptVersionDeletions.promptId, promptIds));
  for (const r of rows) out.set(r.promptId, (out.get(r.promptId) ?? new Set()).add(r.version));
  return out;
}

export interface Dependent {
  prompt: string;
  version: number;
  /** The reference as written: `name`, `name|label=x`, `name|version=3`. */
  ref: string;
}

/**
 * Versions of other prompts (not deleted) whose references would find nothing once `versions` of
 * `prompt` are deleted: a pin to one of those versions, a label pin whose label would then be on no
 * version (`remainingLabels`: the labels that will still be on a version afterwards), or, when the
 * whole prompt goes, any reference to it.
 */
export async function dependentsOf(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  versions: number[],
  remainingLabels: Set<string>,
  wholePrompt: boolean,
): Promise<Dependent[]> {
  // The index of references written when each version was saved (migration 0041): no version's text is read.
  const rows = await queryRows<{ name: string; version: number; ref: string }>(
    db,
    sql`select p.name, r.version, r.ref from prompt_version_partial_refs r join prompts p on p.id = r.prompt_id
        where r.project_id = ${projectId} and r.ref_name = ${prompt.name}
          and p.id <> ${prompt.id} and p.archived_at is null
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = r.prompt_id and a.version = r.version)
        order by p.name, r.version, r.ref`,
  );
  const out: Dependent[] = [];
  for (const r of rows) {
    const parsed = parsePartialRef(r.ref);
    if (!parsed || parsed.name !== prompt.name) continue;
    const breaks =
      wholePrompt ||
      (parsed.version !== undefined && versions.includes(parsed.version)) ||
      (parsed.label !== undefined && !remainingLabels.has(parsed.label));
    if (breaks) out.push({ prompt: r.name, version: Number(r.version), ref: r.ref });
  }
  return out;
}

/**
 * Deletes versions of a prompt (and the prompt, when none is left), in one transaction, audited.
 * The caller has checked dependents and publishes the change after commit (the returned audit id).
 */
export async function deleteVersions(
  ctx: DomainContext,
  prompt: PromptRow,
  versions: number[],
  reason: string,
): Promise<{ seq: number; promptDeleted: boolean }> {
  if (!versions.length)
    throw new AppError("not_found", `Nothing of ${prompt.name} to delete.`, { prompt: prompt.name });
  return ctx.db.transaction(async (tx) => {
    // The same row lock as saves and deployments: no version is created or deployed meanwhile.
    await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
    const already = await deletedVersions(tx, prompt.id);
    const fresh = versions.filter((v) => !already.has(v));
    if (fresh.length)
      await tx.insert(promptVersionDeletions).values(
        fresh.map((version) => ({
          promptId: prompt.id,
          version,
          actorId: actorUserId(ctx),
          actorLabel: ctx.actor.label,
          reason,
        })),
      );
    const [{ left }] = (await queryRows<{ left: number }>(
      tx,
      sql`select count(*)::int as left from prompt_versions v where v.prompt_id = ${prompt.id}
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)`,
    )) as [{ left: number }];
    const promptDeleted = left === 0;
    if (promptDeleted)
      await tx
        .update(prompts)
        .set({ deletedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(prompts.id, prompt.id), sql`${prompts.deletedAt} is null`));
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: promptDeleted ? "prompt.archive" : "version.archive",
      objectType: "prompt",
      objectId: prompt.id,
      after: { name: prompt.name, versions: fresh, reason },
    });
    return { seq, promptDeleted };
  });
}

/** Brings a deleted prompt back (its deleted versions stay deleted); used when a Langfuse client creates it again. */
export async function restorePrompt(ctx: DomainContext, prompt: PromptRow): Promise<void> {
  const tx = ctx.db;
  if (prompt.deletedAt === null) return;
  await tx.update(prompts).set({ deletedAt: null, updatedAt: new Date() }).where(eq(prompts.id, prompt.id));
  await recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "prompt.restore",
    objectType: "prompt",
    objectId: prompt.id,
    after: { name: prompt.name },
  });
}
