// Writes one planned Langfuse prompt in one transaction: its versions, archived gap fillers and label
// moves. A refusal leaves the prompt as it was and is reported with the reason.
import { withTx, type DomainContext } from "../context";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError, isAppError, isUniqueViolation } from "../errors";
import { archiveVersions } from "../registry/archive";
import type { Content } from "../registry/content";
import { diffContent } from "../registry/diff";
import { insertVersions, type VersionInsert } from "../registry/version-rows";
import { BufferedEvents } from "../announcements";
import { listEnvironments } from "../release/environments";
import { moveLabel } from "./writes";
import type { Planned, PromptReport } from "./import-plan";

const deletedInLangfuse = (n: number) =>
  `Version ${n} was deleted in Langfuse before the import: a copy of the version before it, kept archived so version numbers match Langfuse's.`;

/** Writes one planned prompt in one transaction; returns the report (skipped, with the reason, when refused). */
export async function applyPrompt(ctx: DomainContext, p: Planned, source: string): Promise<PromptReport> {
  if (p.report.outcome === "skipped" || p.report.outcome === "unchanged") return p.report;
  const buffer = new BufferedEvents();
  try {
    await ctx.db.transaction(async (tx) => {
      const c = withTx(ctx, tx, buffer);
      let prompt = p.existing;
      if (!prompt) {
        const first = p.inserts.find((i) => i.source)?.source;
        const [row] = await tx
          .insert(prompts)
          .values({
            projectId: ctx.projectId,
            name: p.report.name,
            tags: p.tags,
            latestVersion: 0,
            ...(first?.createdAt ? { createdAt: new Date(first.createdAt) } : {}),
          })
          .returning();
        prompt = row!;
      } else await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
      let previous: Content | null = null;
      if (prompt.latestVersion > 0) {
        const [row] = await queryRows<{ content: Content }>(
          tx,
          sql`select content from prompt_versions where prompt_id = ${prompt.id} and version = ${prompt.latestVersion}`,
        );
        previous = row?.content ?? null;
      }
      let lastAt = new Date().toISOString();
      const rows: VersionInsert[] = p.inserts.map((i) => {
        const at = i.source?.createdAt ?? lastAt;
        lastAt = at;
        const diff = diffContent(previous, i.content);
        previous = i.content;
        return {
          version: i.version,
          content: i.content,
          commitMessage: i.source ? i.source.commitMessage : deletedInLangfuse(i.version),
          baseVersion: i.version > 1 ? i.version - 1 : null,
          diff,
          imported: { author: i.source ? i.source.createdBy : "lectern import", createdAt: at },
        };
      });
      await insertVersions(tx, c, prompt, rows);
      const latestVersion = Math.max(prompt.latestVersion, ...p.inserts.map((i) => i.version));
      await tx
        .update(prompts)
        .set({ latestVersion, tags: p.tags, updatedAt: new Date() })
        .where(eq(prompts.id, prompt.id));
      prompt = { ...prompt, latestVersion };
      if (p.report.filled.length)
        await archiveVersions(c, prompt, p.report.filled, "Deleted in Langfuse before the import");
      const seq = await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "prompt.import",
        objectType: "prompt",
        objectId: prompt.id,
        after: { name: prompt.name, versions: p.report.versions, filled: p.report.filled, source },
      });
      for (const i of p.inserts)
        await buffer.publish({
          projectId: ctx.projectId,
          prompt: prompt.name,
          environment: null,
          version: i.version,
          action: "version",
          seq,
        });
      // Promotion order: staging's live-in rule before production's.
      const position = new Map((await listEnvironments(tx, ctx.projectId)).map((e) => [e.name, e.position]));
      const moves = [...p.moves].sort(
        (a, b) => (position.get(a.label) ?? Infinity) - (position.get(b.label) ?? Infinity),
      );
      for (const m of moves) {
        try {
          await moveLabel(c, prompt, m.label, m.version, "langfuse-import");
        } catch (e) {
          if (isAppError(e))
            throw new AppError(e.code, `label ${m.label} → version ${m.version}: ${e.message}`, e.details);
          throw e;
        }
      }
    });
  } catch (e) {
    if (isUniqueViolation(e))
      return {
        ...p.report,
        outcome: "skipped",
        versions: [],
        filled: [],
        labels: [],
        error: "It was created here meanwhile; run the import again.",
      };
    if (!isAppError(e)) throw e;
    return {
      ...p.report,
      outcome: "skipped",
      versions: [],
      filled: [],
      labels: [],
      error: `${e.message} Nothing was imported for this prompt.`,
    };
  }
  await buffer.flush(ctx.events);
  return p.report;
}
