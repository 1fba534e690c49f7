// `lectern import langsmith` (POST /api/v1/import/langsmith): reads a LangSmith workspace's prompt hub through
// its REST API (import-source.ts) and hands its prompts to the importer core (lib/compat/import): every commit
// in order, f-string and mustache converted or refused by construct, tags moved through Lectern's release path
// (or reported as "was live in"), idempotent by commit hash. Commits the reader could not hand over are in the
// report beside the core's refusals.
import { z } from "zod";
import type { DomainContext } from "../../context";
import { importSignal } from "../../registry/imported";
import { sourceUrl, type Fetcher } from "../../registry/import-source";
import { importForeign, type ForeignImportReport } from "../import";
import { readLangSmith, type ReaderRefusal } from "./import-source";

export const importLangSmithInput = z.object({
  // The key goes in x-api-key.
  url: sourceUrl("LangSmith's API URL (LANGSMITH_ENDPOINT), e.g. https://api.smith.langchain.com", "the key as apiKey"),
  apiKey: z.string({ error: "apiKey is required" }).min(1, "apiKey is required").max(500),
  dryRun: z.boolean({ error: "dryRun must be true or false" }).default(false),
  /** Only prompts in this folder (its name, or names under it). */
  folder: z.string().max(255).optional(),
});
export type ImportLangSmithInput = z.infer<typeof importLangSmithInput>;

/** The core's report with the commits the reader refused, after its prompt's others. */
function withRefusals(report: ForeignImportReport, refusals: ReaderRefusal[]): ForeignImportReport {
  if (!refusals.length) return report;
  const prompts = report.prompts.map((p) => {
    const mine = refusals.filter((r) => r.prompt === p.name);
    if (!mine.length) return p;
    return {
      ...p,
      sources: [...p.sources, ...mine.map(({ prompt: _p, ...r }) => ({ ...r, outcome: "refused" as const }))],
    };
  });
  const counted = new Set(prompts.map((p) => p.name));
  const refused = refusals.filter((r) => counted.has(r.prompt)).length;
  return { ...report, prompts, totals: { ...report.totals, refused: report.totals.refused + refused } };
}

/** Imports (or, with dryRun, plans) a LangSmith workspace's prompts into ctx's project. */
export async function importLangSmith(
  ctx: DomainContext,
  input: ImportLangSmithInput,
  opts: { fetcher: Fetcher; signal?: AbortSignal },
): Promise<ForeignImportReport> {
  const signal = importSignal(opts.signal);
  const source = { url: input.url.replace(/\/+$/, ""), apiKey: input.apiKey };
  const { prompts, refusals } = await readLangSmith(source, opts.fetcher, { folder: input.folder, signal });
  const report = await importForeign(
    ctx,
    { system: "langsmith", source: source.url, dryRun: input.dryRun, folder: input.folder, signal },
    prompts,
  );
  return withRefusals(report, refusals);
}
