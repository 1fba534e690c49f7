// `lectern import promptlayer` (POST /api/v1/import/promptlayer): reads a PromptLayer workspace through its REST
// API (import-source.ts) and hands its prompts to the importer core (lib/compat/import): every version in order,
// f-string and jinja2 converted or refused by construct, release labels moved through Lectern's release path (or
// reported as "was live in"), idempotent by version number. Versions the reader could not hand over are in the
// report beside the core's refusals.
import type { DomainContext } from "../../context";
import type { Fetcher } from "../../registry/import-source";
import type { ForeignImportReport } from "../import";
import { importKeyed, keyedImportInput, type KeyedImportInput } from "../import/keyed";
import { readPromptLayer } from "./import-source";

// The key goes in X-API-KEY.
export const importPromptLayerInput = keyedImportInput("PromptLayer's API base URL, e.g. https://api.promptlayer.com");
export type ImportPromptLayerInput = KeyedImportInput;

/** Imports (or, with dryRun, plans) a PromptLayer workspace into ctx's project; the versions the reader refused
 * stand where their numbers put them among their prompt's others. */
export const importFromPromptLayer = (
  ctx: DomainContext,
  input: ImportPromptLayerInput,
  opts: { fetcher: Fetcher; signal?: AbortSignal },
): Promise<ForeignImportReport> =>
  importKeyed(ctx, "promptlayer", input, opts, readPromptLayer, (a, b) => Number(a.sourceId) - Number(b.sourceId));
