// `lectern import langfuse` and Settings → Import: copies a Langfuse project's prompts into a Lectern
// project. Every version, in order, with its number, commit message, config, tags, author and time;
// Langfuse's labels become environments (production serves afterwards what Langfuse's production label
// pointed at). Idempotent: a second run imports only versions the project lacks and moves only labels
// that moved. All or nothing per prompt: its versions and label moves are one transaction, so a version
// Lectern cannot take, or a label an environment's rules refuse, leaves that prompt as it was (and says
// why). Labels no environment can be named (a '.' in them, say) are reported and left out.
//
// Versions deleted in Langfuse leave gaps in its numbering; Lectern numbers without gaps. A gap is filled
// with a copy of the version before it, deleted at once, so every number means the same version in both
// places (an application that pinned version 4 gets version 4).
//
// Per prompt: import-plan.ts plans, import-apply.ts writes. One import per project at a time (import-turn.ts).
import { z } from "zod";
import type { DomainContext } from "../context";
import { listEnvironmentRows } from "../release/environments";
import { importedPromptReport, importTotals, importTotalsOf } from "../registry/imported";
import { applyPrompt } from "./import-apply";
import { planPrompt, type PromptReport } from "./import-plan";
import { importLimits, stopped } from "./import-limits";
import { inImportTurn } from "./import-turn";
import { langfuseSourceInput, readLangfuse, type Fetcher, type LangfuseSource } from "./import-source";

export { langfuseSourceInput, type Fetcher, type LangfuseSource } from "./import-source";
export type { PromptReport } from "./import-plan";

export const importLangfuseInput = langfuseSourceInput.extend({
  dryRun: z.boolean({ error: "dryRun must be true or false" }).default(false),
  /** Only prompts in this folder (its name, or names under it). */
  folder: z.string().max(255).optional(),
});

/** POST /api/v1/import/langfuse: what was (or, in a dry run, would be) imported, per prompt. */
export const importReportSchema = z.object({
  dryRun: z.boolean(),
  source: z.string(),
  /** Always empty: a label no environment has is kept as a version label (older clients still read the field). */
  environmentsCreated: z.array(z.string()),
  prompts: z.array(
    importedPromptReport.extend({
      filled: z.array(z.number().int()),
      labels: z.array(
        z.object({
          label: z.string(),
          kind: z.enum(["environment", "version"]),
          version: z.number().int(),
          from: z.number().int().nullable(),
        }),
      ),
    }),
  ),
  totals: importTotals,
});

export interface ImportReport {
  dryRun: boolean;
  source: string;
  environmentsCreated: string[];
  prompts: PromptReport[];
  totals: { prompts: number; imported: number; skipped: number; versions: number; labels: number };
}

/**
 * Imports (or, with dryRun, plans) a Langfuse project into ctx's project. `fetcher` reaches Langfuse
 * (fetch in production, a local server's answers in tests); `folder` limits it to one folder of names.
 */
export async function importFromLangfuse(
  ctx: DomainContext,
  source: LangfuseSource,
  /** `signal`: the request that asked (its end stops the import); the import's own deadline applies as well. */
  opts: { fetcher: Fetcher; dryRun?: boolean; folder?: string; signal?: AbortSignal },
): Promise<ImportReport> {
  return inImportTurn(ctx.db, ctx.projectId, () => importInTurn(ctx, source, opts));
}

async function importInTurn(
  ctx: DomainContext,
  source: LangfuseSource,
  opts: { fetcher: Fetcher; dryRun?: boolean; folder?: string; signal?: AbortSignal },
): Promise<ImportReport> {
  const deadline = AbortSignal.timeout(importLimits.deadlineMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, deadline]) : deadline;
  const read = await readLangfuse(source, opts.fetcher, { folder: opts.folder, signal });
  const before = new Set((await listEnvironmentRows(ctx.db, ctx.projectId)).map((e) => e.name));
  const reports: PromptReport[] = [];
  for (const sp of read) {
    // Each prompt is one transaction: one begun finishes; none begins after the deadline or the asker left.
    if (signal.aborted) throw stopped(signal);
    const planned = await planPrompt(ctx, sp, before);
    reports.push(opts.dryRun ? planned.report : await applyPrompt(ctx, planned, source.url));
  }
  return {
    dryRun: Boolean(opts.dryRun),
    source: source.url,
    environmentsCreated: [],
    prompts: reports,
    totals: importTotalsOf(reports),
  };
}

const _report: (r: ImportReport) => z.input<typeof importReportSchema> = (r) => r;
void _report;
