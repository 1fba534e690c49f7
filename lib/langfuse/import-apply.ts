// Writes one planned Langfuse prompt in one transaction: its versions, deleted gap fillers and label
// moves. A refusal leaves the prompt as it was and is reported with the reason.
import { withTx, type DomainContext } from "../context";
import { AppError, isAppError, isUniqueViolation } from "../errors";
import { deleteVersions } from "../registry/deletions";
import { writeImported } from "../registry/imported";
import { BufferedEvents } from "../announcements";
import { listEnvironmentRows } from "../release/environments";
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
      const { prompt } = await writeImported(c, p.existing, {
        name: p.report.name,
        tags: p.tags,
        versions: p.inserts.map((i) => ({
          version: i.version,
          content: i.content,
          commitMessage: i.source ? i.source.commitMessage : deletedInLangfuse(i.version),
          author: i.source ? i.source.createdBy : "lectern import",
          createdAt: i.source?.createdAt ?? undefined,
        })),
        audit: { versions: p.report.versions, filled: p.report.filled, source },
      });
      if (p.report.filled.length)
        await deleteVersions(c, prompt, p.report.filled, "Deleted in Langfuse before the import");
      // Promotion order: staging's live-in rule before production's.
      const position = new Map((await listEnvironmentRows(tx, ctx.projectId)).map((e) => [e.name, e.position]));
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
    // The prompt's report says it was skipped, and why; nothing of it was written.
    const skipped = (error: string) => ({
      ...p.report,
      outcome: "skipped" as const,
      versions: [],
      filled: [],
      labels: [],
      error,
    });
    if (isUniqueViolation(e)) return skipped("It was created here meanwhile; run the import again.");
    if (!isAppError(e)) throw e;
    return skipped(`${e.message} Nothing was imported for this prompt.`);
  }
  await buffer.flush(ctx.events);
  return p.report;
}
