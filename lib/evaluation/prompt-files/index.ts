// Prompt files with their tests: the import endpoint, the export endpoint and the prompt page's downloads read
// and write a .prompt.yml's testData and evaluators as the prompt's tests dataset (tests-dataset.ts), around the
// registry's conversions (lib/registry/formats/version-files.ts), which cannot reach evaluation.
import type { Db } from "../../../db/client";
import type { DomainContext } from "../../context";
import { isPlainObject } from "../../registry/json";
import type { FileFormat } from "../../registry/formats/files";
import {
  downloadVersionFile,
  exportVersionFile,
  importVersionFile,
  versionFileChoices,
  type ImportResult,
  type VersionFileChoice,
} from "../../registry/formats/version-files";
import { readTests, writeTestsDataset } from "./tests-dataset";

export { evaluatorsToScorers, scorersToEvaluators } from "./evaluators";
export { findTestsDataset, readTests, testsDatasetName } from "./tests-dataset";

/**
 * POST /api/v1/prompts/import: the registry's import; for a .prompt.yml, its testData and evaluators become the
 * prompt's tests dataset and its scorers in the same transaction (a refusal of either leaves nothing written).
 */
export async function importPromptFile(ctx: DomainContext, input: unknown): Promise<ImportResult> {
  const yml = isPlainObject(input) && input.format === "prompt.yml";
  return importVersionFile(ctx, input, yml ? (tx, r) => writeTestsDataset(ctx, tx, r) : undefined);
}

const tests = (db: Db) => (prompt: Parameters<typeof readTests>[1]) => readTests(db, prompt);

/** GET /api/v1/prompts/{name}/versions/{v}/export: a .prompt.yml with the tests dataset's testData and evaluators. */
export const exportPromptVersion = (
  db: Db,
  projectId: string,
  name: string,
  version: string | undefined,
  format: FileFormat,
) => exportVersionFile(db, projectId, name, version, format, tests(db));

/** The prompt page's download of a version as a file, with its tests (see exportPromptVersion). */
export const downloadPromptFile = (ctx: DomainContext, name: string, version: number, format: FileFormat) =>
  downloadVersionFile(ctx, name, version, format, tests(ctx.db));

/** What the prompt page offers to download for a version, with its tests. */
export const promptFileChoices = (ctx: DomainContext, name: string, version: number): Promise<VersionFileChoice[]> =>
  versionFileChoices(ctx, name, version, tests(ctx.db));
