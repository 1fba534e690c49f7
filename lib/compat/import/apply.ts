// Writes one planned source prompt in one transaction: its versions (with their author, message and time
// there), the link from each to its id in the source, one audit row, and the label moves. A move that Lectern's
// release path refuses (a review, a gate, a live-in rule) is undone alone, in its savepoint, and reported as
// "was live in": never bypassed (a version label's refusal is reported too). Anything else refused leaves the
// prompt as it was, with the reason.
import { importedVersions } from "../../../db/schema";
import { BufferedEvents } from "../../announcements";
import { withTx, type DomainContext } from "../../context";
import { isAppError, isUniqueViolation } from "../../errors";
import { writeImported } from "../../registry/imported";
import { listEnvironmentRows } from "../../release/environments";
import { assertMayDeployInto, promoteVersion } from "../../release/promote";
import { setVersionLabel } from "../../release/version-labels/version-labels";
import { moveReason } from "./labels";
import type { Planned } from "./import-plan";
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
  versionLabels: [],
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
  const report: ForeignPromptReport = {
    ...p.report,
    labels: [...p.report.labels],
    versionLabels: [...p.report.versionLabels],
    unmapped: [...p.report.unmapped],
    wasLiveIn: [...p.report.wasLiveIn],
  };
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
      await moveLabels(c, prompt!, input.system, p, report);
    });
  } catch (e) {
    if (isUniqueViolation(e)) return skipped(report, "It was created here meanwhile; run the import again.");
    if (!isAppError(e)) throw e;
    return skipped(report, `${e.message} Nothing was imported for this prompt.`);
  }
  await buffer.flush(ctx.events);
  // Every move refused and no version new: nothing changed.
  if (!p.inserts.length && !report.labels.length && !report.versionLabels.length) report.outcome = "unchanged";
  return report;
}

/**
 * The moves, each in its own savepoint: environments in promotion order (staging's live-in rule before
 * production's) through promote, then version labels. A refusal undoes that move alone and is reported.
 */
async function moveLabels(
  c: DomainContext,
  prompt: { id: string; name: string },
  system: ForeignSystem,
  p: Planned,
  report: ForeignPromptReport,
): Promise<void> {
  const position = new Map((await listEnvironmentRows(c.db, c.projectId)).map((e) => [e.name, e.position]));
  const rank = (m: Planned["moves"][number]) => (m.kind === "environment" ? (position.get(m.label) ?? 0) : Infinity);
  for (const m of [...p.moves].sort((a, b) => rank(a) - rank(b))) {
    try {
      await c.db.transaction(async (sp) => {
        const s = withTx(c, sp);
        if (m.kind === "version-label") await setVersionLabel(s, prompt.name, m.label, m.version);
        else {
          await assertMayDeployInto(s, m.label); // the uploaded file names the environment: no declaration can (promote.ts)
          await promoteVersion(s, prompt.name, {
            environment: m.label,
            version: m.version,
            reason: moveReason(system, m.label),
          });
        }
      });
    } catch (e) {
      if (!isAppError(e)) throw e;
      if (m.kind === "version-label") {
        report.versionLabels = report.versionLabels.filter((l) => l.label !== m.label);
        report.unmapped.push(`label ${m.label} → version ${m.version} not kept: ${e.message}`);
        continue;
      }
      report.labels = report.labels.filter((l) => l.label !== m.label);
      report.wasLiveIn.push({
        label: m.label,
        sourceId: m.sourceId,
        reason: `Lectern's release path refused to move ${m.label} to version ${m.version}: ${e.message}`,
      });
    }
  }
}
