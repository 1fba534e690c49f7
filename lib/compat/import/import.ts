// The importer core every `lectern import promptlayer|langsmith|pezzo` uses: a source reader (each system's
// branch of lib/compat) hands over prompts already mapped to Lectern names; this copies each one — every version
// in order, converted to Lectern's templates, with its message, author, time and model settings; its labels
// moved through Lectern's release path — all or nothing per prompt, idempotent by each version's id in the
// source (imported_versions), bounded like the Langfuse import (lib/registry/imported.ts), and reports it.
import type { DomainContext } from "../../context";
import { AppError } from "../../errors";
import { importLimits, importSignal, importStopped, importTotalsOf } from "../../registry/imported";
import { listEnvironmentRows } from "../../release/environments";
import { parseInput } from "../../validation";
import { applyForeignPrompt } from "./apply";
import { planForeignPrompt } from "./import-plan";
import {
  importForeignInput,
  type ForeignImportReport,
  type ForeignPrompt,
  type ForeignPromptReport,
  type ImportForeignInput,
} from "./types";

const inFolder = (name: string, folder?: string) =>
  !folder || name === folder || name.startsWith(`${folder.replace(/\/+$/, "")}/`);

/** Counts what the source handed over against the import's bounds (versions, bytes); past one, the import stops. */
function spend(seen: { versions: number; bytes: number }, sp: ForeignPrompt): void {
  seen.versions += Array.isArray(sp.versions) ? sp.versions.length : 0;
  seen.bytes += JSON.stringify(sp).length;
  if (seen.versions > importLimits.versions)
    throw new AppError(
      "unprocessable",
      `The source holds more than ${importLimits.versions.toLocaleString("en-US")} versions, the most one import reads; prompts imported before stay. Import one folder at a time (folder).`,
      { field: "folder", maxVersions: importLimits.versions },
    );
  if (seen.bytes > importLimits.bytes)
    throw new AppError(
      "unprocessable",
      `The source's prompts are larger than ${importLimits.bytes / 2 ** 20} MiB, the most one import reads; prompts imported before stay. Import one folder at a time (folder).`,
      { field: "folder", maxBytes: importLimits.bytes },
    );
}

/**
 * Imports (or, with dryRun, plans) another system's prompts into ctx's project and answers what was (or would
 * be) done, per prompt and per version. A dry run writes nothing.
 */
export async function importForeign(
  ctx: DomainContext,
  input: ImportForeignInput,
  prompts: ForeignPrompt[] | AsyncIterable<ForeignPrompt>,
): Promise<ForeignImportReport> {
  const { system, source, dryRun, folder } = parseInput(importForeignInput, input);
  const signal = importSignal(input.signal);
  const environments = new Set((await listEnvironmentRows(ctx.db, ctx.projectId)).map((e) => e.name));
  const reports: ForeignPromptReport[] = [];
  const seen = { versions: 0, bytes: 0 };
  for await (const sp of prompts) {
    // Each prompt is one transaction: one begun finishes; none begins after the deadline or the asker left.
    if (signal.aborted) throw importStopped(signal);
    if (!inFolder(sp.name, folder)) continue;
    spend(seen, sp);
    const planned = await planForeignPrompt(ctx, { system, source }, sp, environments);
    reports.push(dryRun ? planned.report : await applyForeignPrompt(ctx, { system, source }, planned));
  }
  return {
    dryRun,
    system,
    source,
    prompts: reports,
    totals: {
      ...importTotalsOf(reports),
      versionLabels: reports
        .filter((r) => r.outcome === "created" || r.outcome === "updated")
        .reduce((n, r) => n + r.versionLabels.length, 0),
      refused: reports.reduce((n, r) => n + r.sources.filter((s) => s.outcome === "refused").length, 0),
    },
  };
}
