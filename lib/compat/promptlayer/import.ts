// `lectern import promptlayer` (POST /api/v1/import/promptlayer): reads a PromptLayer workspace through its REST
// API (import-source.ts) and hands its prompts to the importer core (lib/compat/import): every version in order,
// f-string and jinja2 converted or refused by construct, release labels moved through Lectern's release path (or
// reported as "was live in"), idempotent by version number. Versions the reader could not hand over are in the
// report beside the core's refusals.
import { z } from "zod";
import type { DomainContext } from "../../context";
import { importSignal } from "../../registry/imported";
import { importForeign, type ForeignImportReport } from "../import";
import { sourceUrl, type Fetcher } from "../../registry/import-source";
import { readPromptLayer, type ReaderRefusal } from "./import-source";

export const importPromptLayerInput = z.object({
  // The key goes in X-API-KEY.
  url: sourceUrl("PromptLayer's API base URL, e.g. https://api.promptlayer.com", "the key as apiKey"),
  apiKey: z.string({ error: "apiKey is required" }).min(1, "apiKey is required").max(500),
  dryRun: z.boolean({ error: "dryRun must be true or false" }).default(false),
  /** Only prompts in this folder (its name, or names under it). */
  folder: z.string().max(255).optional(),
});
export type ImportPromptLayerInput = z.infer<typeof importPromptLayerInput>;

/** The core's report with the versions the reader refused, each where its prompt's are. */
function withRefusals(report: ForeignImportReport, refusals: ReaderRefusal[]): ForeignImportReport {
  if (!refusals.length) return report;
  const prompts = report.prompts.map((p) => {
    const mine = refusals.filter((r) => r.prompt === p.name);
    if (!mine.length) return p;
    const sources = [...p.sources, ...mine.map(({ prompt: _p, ...r }) => ({ ...r, outcome: "refused" as const }))].sort(
      (a, b) => Number(a.sourceId) - Number(b.sourceId),
    );
    return { ...p, sources };
  });
  const counted = new Set(prompts.map((p) => p.name));
  const refused = refusals.filter((r) => counted.has(r.prompt)).length;
  return { ...report, prompts, totals: { ...report.totals, refused: report.totals.refused + refused } };
}

/** Imports (or, with dryRun, plans) a PromptLayer workspace into ctx's project. */
export async function importPromptLayer(
  ctx: DomainContext,
  input: ImportPromptLayerInput,
  opts: { fetcher: Fetcher; signal?: AbortSignal },
): Promise<ForeignImportReport> {
  const signal = importSignal(opts.signal);
  const source = { url: input.url.replace(/\/+$/, ""), apiKey: input.apiKey };
  const { prompts, refusals } = await readPromptLayer(source, opts.fetcher, { folder: input.folder, signal });
  const report = await importForeign(
    ctx,
    { system: "promptlayer", source: source.url, dryRun: input.dryRun, folder: input.folder, signal },
    prompts,
  );
  return withRefusals(report, refusals);
}
