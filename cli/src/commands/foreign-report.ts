// The report of an import from another system (POST /api/v1/import/<system>, lib/compat/import's
// ForeignImportReport), printed: one line per prompt, each refused version and each environment a version was
// live in but did not get here, then the totals. An import sent in several requests merges their reports.
import type { Output } from "../output";

interface SourceReport {
  sourceId: string;
  outcome: "created" | "unchanged" | "refused";
  version?: number;
  reason?: string;
  construct?: string;
  field?: string;
}

interface PromptReport {
  name: string;
  outcome: "created" | "updated" | "unchanged" | "skipped";
  versions: number[];
  labels: { label: string; version: number; from: number | null }[];
  unmapped: string[];
  error?: string;
  sources: SourceReport[];
  wasLiveIn: { label: string; sourceId: string; reason: string }[];
}

export interface ForeignReport {
  dryRun: boolean;
  system: string;
  source: string;
  prompts: PromptReport[];
  totals: Record<"prompts" | "imported" | "skipped" | "versions" | "labels" | "refused", number>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const short = (sourceId: string) => (sourceId.length > 12 ? sourceId.slice(0, 12) : sourceId);

/** Several requests' reports as one. */
export function mergeReports(reports: ForeignReport[], dryRun: boolean): ForeignReport {
  const keys = ["prompts", "imported", "skipped", "versions", "labels", "refused"] as const;
  return {
    dryRun,
    system: reports[0]?.system ?? "",
    source: reports[0]?.source ?? "",
    prompts: reports.flatMap((r) => r.prompts),
    totals: Object.fromEntries(keys.map((k) => [k, reports.reduce((n, r) => n + r.totals[k], 0)])) as never,
  };
}

function printPrompt(out: Output, p: PromptReport, would: string): void {
  const parts = [
    p.versions.length ? `version${p.versions.length > 1 ? "s" : ""} ${p.versions.join(", ")}` : "",
    // By name, so that the same import prints the same lines whatever order the source listed its labels in.
    ...[...p.labels]
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((l) => `${l.label} → version ${l.version}${l.from !== null ? ` (was ${l.from})` : ""}`),
  ].filter(Boolean);
  if (p.outcome === "created") out.line(`${out.green("+")} ${p.name} ${would}created: ${parts.join("; ")}`);
  else if (p.outcome === "updated") out.line(`${out.green("↑")} ${p.name}: ${parts.join("; ")} ${would}imported`);
  else if (p.outcome === "skipped") out.problem({ file: p.name, message: `not imported: ${p.error}` });
  for (const s of p.sources.filter((x) => x.outcome === "refused"))
    out.problem({
      file: p.name,
      message: `version ${short(s.sourceId)} not imported: ${s.reason}${s.construct ? ` (${s.construct})` : ""}`,
    });
  for (const w of p.wasLiveIn)
    out.warn({
      file: p.name,
      message: `version ${short(w.sourceId)} was live in ${w.label}, not moved here: ${w.reason}`,
    });
  for (const u of p.unmapped) out.warn({ file: p.name, message: `${u} was not mapped` });
}

/** Prints the merged report; `failed` when a prompt or a version was not imported. */
export function printForeignReport(
  out: Output,
  reports: ForeignReport[],
  dryRun: boolean,
): { merged: ForeignReport; failed: boolean } {
  const merged = mergeReports(reports, dryRun);
  const would = dryRun ? "would be " : "";
  for (const p of merged.prompts) printPrompt(out, p, would);
  const { totals: t } = merged;
  const unchanged = merged.prompts.filter((p) => p.outcome === "unchanged").length;
  out.line(
    `${dryRun ? "Dry run: " : ""}${plural(t.imported, "prompt")} ${dryRun ? "would be imported" : "imported"} (${plural(t.versions, "version")}, ${plural(t.labels, "environment move")}); ${unchanged} unchanged; ${t.skipped} not imported; ${plural(t.refused, "version")} refused${dryRun ? "; nothing was written" : ""}`,
  );
  return { merged, failed: t.skipped > 0 || t.refused > 0 };
}
