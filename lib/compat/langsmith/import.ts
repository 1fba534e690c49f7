// `lectern import langsmith` (POST /api/v1/import/langsmith): reads a LangSmith workspace's prompt hub through
// its REST API (import-source.ts) and hands its prompts to the importer core (lib/compat/import): every commit
// in order, f-string and mustache converted or refused by construct, tags moved through Lectern's release path
// (or reported as "was live in"), idempotent by commit hash. Commits the reader could not hand over are in the
// report beside the core's refusals.
import type { DomainContext } from "../../context";
import type { Fetcher } from "../../registry/import-source";
import type { ForeignImportReport } from "../import";
import { importKeyed, keyedImportInput, type KeyedImportInput } from "../import/keyed";
import { readLangSmith } from "./import-source";

// The key goes in x-api-key.
export const importLangSmithInput = keyedImportInput(
  "LangSmith's API URL (LANGSMITH_ENDPOINT), e.g. https://api.smith.langchain.com",
);
export type ImportLangSmithInput = KeyedImportInput;

/** Imports (or, with dryRun, plans) a LangSmith workspace's prompts into ctx's project; the commits the reader
 * refused come after their prompt's others. */
export const importFromLangSmith = (
  ctx: DomainContext,
  input: ImportLangSmithInput,
  opts: { fetcher: Fetcher; signal?: AbortSignal },
): Promise<ForeignImportReport> => importKeyed(ctx, "langsmith", input, opts, readLangSmith);
