// What the importers of systems read with one API key (LangSmith, PromptLayer) share: their request body, and a run
// that reads the source, hands its prompts to the importer core, and adds what the reader refused to the report.
import { z } from "zod";
import type { DomainContext } from "../../context";
import { importSignal } from "../../registry/imported";
import { SourceClient, sourceUrl, type Fetcher } from "../../registry/import-source";
import { importForeign } from "./import";
import type { ForeignImportReport, ForeignPrompt, ForeignSystem } from "./types";

/** The body of POST /api/v1/import/<system>: the API's base URL (`what` says which) and the key for it. */
export const keyedImportInput = (what: string) =>
  z.object({
    url: sourceUrl(what, "the key as apiKey"),
    apiKey: z.string({ error: "apiKey is required" }).min(1, "apiKey is required").max(500),
    dryRun: z.boolean({ error: "dryRun must be true or false" }).default(false),
    /** Only prompts in this folder (its name, or names under it). */
    folder: z.string().max(255).optional(),
  });
export type KeyedImportInput = z.infer<ReturnType<typeof keyedImportInput>>;

/** A version the reader could not hand over, and why. */
export type ReaderRefusal = { prompt: string; sourceId: string; reason: string; field?: string; construct?: string };
type Source = { url: string; apiKey: string };
/** Reads every prompt (optionally one folder's) with every version, and what it refused. */
export type KeyedReader<S extends Source = Source> = (
  source: S,
  fetcher: Fetcher,
  opts: { folder?: string; signal: AbortSignal },
) => Promise<{ prompts: ForeignPrompt[]; refusals: ReaderRefusal[] }>;
/** A client for the system's REST API (`system` as its answers name it) sending the key in x-api-key. */
export const keyedClient = (system: string, source: Source, fetcher: Fetcher, signal: AbortSignal) =>
  new SourceClient(
    {
      system,
      base: source.url,
      headers: { "x-api-key": source.apiKey },
      refusedKeys: { field: "apiKey", hint: "check the workspace's API key" },
    },
    fetcher,
    signal,
  );
type Sources = ForeignImportReport["prompts"][number]["sources"];

/** The core's report with the versions the reader refused, among its prompt's others (in `order` when given). */
function withRefusals(
  report: ForeignImportReport,
  refusals: ReaderRefusal[],
  order?: (a: Sources[number], b: Sources[number]) => number,
): ForeignImportReport {
  if (!refusals.length) return report;
  const prompts = report.prompts.map((p) => {
    const mine = refusals.filter((r) => r.prompt === p.name);
    if (!mine.length) return p;
    const sources = [...p.sources, ...mine.map(({ prompt: _p, ...r }) => ({ ...r, outcome: "refused" as const }))];
    return { ...p, sources: order ? sources.sort(order) : sources };
  });
  const counted = new Set(prompts.map((p) => p.name));
  const refused = refusals.filter((r) => counted.has(r.prompt)).length;
  return { ...report, prompts, totals: { ...report.totals, refused: report.totals.refused + refused } };
}

/** Imports (or, with dryRun, plans) what `read` reads from the system into ctx's project. */
export async function importKeyed(
  ctx: DomainContext,
  system: ForeignSystem,
  input: KeyedImportInput,
  opts: { fetcher: Fetcher; signal?: AbortSignal },
  read: KeyedReader,
  order?: (a: Sources[number], b: Sources[number]) => number,
): Promise<ForeignImportReport> {
  const signal = importSignal(opts.signal);
  const source = { url: input.url.replace(/\/+$/, ""), apiKey: input.apiKey };
  const { prompts, refusals } = await read(source, opts.fetcher, { folder: input.folder, signal });
  const report = await importForeign(
    ctx,
    { system, source: source.url, dryRun: input.dryRun, folder: input.folder, signal },
    prompts,
  );
  return withRefusals(report, refusals, order);
}
