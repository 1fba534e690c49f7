// Writes one planned source prompt in one transaction: its versions (with their author, message and time
// there), the link from each to its id in the source, one audit row, and the label moves. A move that Lectern's
// release path refuses (a review, a gate, a live-in rule) is undone alone, in its savepoint, and reported as
// "was live in": never bypassed. Anything else refused leaves the prompt as it was, with the reason.
import { importedVersions } from "../../../db/schema";
import { BufferedEvents } from "../../announcements";
import { withTx, type DomainContext } from "../../context";
import { isAppError, isUniqueViolation } from "../../errors";
import { writeImported } from "../../registry/imported";
import { listEnvironments } from "../../release/environments";
import { moveLabel } from "../../release/label-environments";
import type { Planned } from "./plan";
import type { ForeignPromptReport, ForeignSystem } from "./types";

const systemNames: Record<ForeignSystem, string> = {
  promptlayer: "PromptLayer",
  langsmith: "LangSmith",
  pezzo: "Pezzo",
};

const skipped = (r: ForeignPromptReport, error: string): ForeignPromptReport => ({
  ...r,
  outcome: "skipped",
  versions: [],
  labels: [],
  sources: r.sources.map((s) => (s.outcome === "created" ? { ...s, outcome: "refused" as const, reason: error } : s)),
  error,
});

/** Writes one planned prompt in one transaction; returns its report (skipped, with the reason, when refused). */
export async function applyForeignPrompt(
  ctx: DomainContext,
  input: { system: ForeignSystem; source: string },
  p: Planned,
): Promise<ForeignPromptReport> {
  if (p.report.outcome === "skipped" || p.report.outcome === "unchanged") return p.report;
  const report: ForeignPromptReport = { ...p.report, labels: [...p.report.labels], wasLiveIn: [...p.report.wasLiveIn] };
  const buffer = new BufferedEvents();
  try {
    await ctx.db.transaction(async (tx) => {
      const c = withTx(ctx, tx, buffer);
      let prompt = p.existing;
      if (p.inserts.length) {
        ({ prompt } = await writeImported(c, p.existing, {
          name: p.report.name,
          tags: p.tags,
          description: p.description,
          versions: p.inserts.map((i) => ({
            version: i.version,
            content: i.content,
            commitMessage: i.source.message ?? "",
            author: i.source.author ?? `${systemNames[input.system]} import`,
            createdAt: i.source.createdAt && new Date(i.source.createdAt).toISOString(),
          })),
          audit: { system: input.system, source: input.source, versions: p.report.versions },
        }));
        await tx.insert(importedVersions).values(
          p.inserts.map((i) => ({
            projectId: ctx.projectId,
            promptId: prompt!.id,
            version: i.version,
            system: input.system,
            source: input.source,
            sourceId: i.source.sourceId,
          })),
        );
      }
      await moveLabels(c, prompt!, input.system, p, report, tx);
    });
  } catch (e) {
    if (isUniqueViolation(e)) return skipped(report, "It was created here meanwhile; run the import again.");
    if (!isAppError(e)) throw e;
    return skipped(report, `${e.message} Nothing was imported for this prompt.`);
  }
  await buffer.flush(ctx.events);
  // Every move refused and no version new: nothing changed.
  if (!p.inserts.length && !report.labels.length) report.outcome = "unchanged";
  return report;
}

/** The moves in promotion order (staging's live-in rule before production's), each in its own savepoint. */
async function moveLabels(
  c: DomainContext,
  prompt: { id: string; name: string },
  system: ForeignSystem,
  p: Planned,
  report: ForeignPromptReport,
  tx: DomainContext["db"],
): Promise<void> {
  const position = new Map((await listEnvironments(tx, c.projectId)).map((e) => [e.name, e.position]));
  const moves = [...p.moves].sort((a, b) => (position.get(a.label) ?? Infinity) - (position.get(b.label) ?? Infinity));
  for (const m of moves) {
    try {
      await tx.transaction((sp) => moveLabel(withTx(c, sp), prompt, m.label, m.version, `${system}-import`));
    } catch (e) {
      if (!isAppError(e)) throw e;
      report.labels = report.labels.filter((l) => l.label !== m.label);
      report.wasLiveIn.push({
        label: m.label,
        sourceId: m.sourceId,
        reason: `Lectern's release path refused to move ${m.label} to version ${m.version}: ${e.message}`,
      });
    }
  }
}
