// The shapes evaluation keeps in jsonb (db/schema/evaluation.ts types its columns with them). Types only:
// the schema imports this file, so it must not import anything that reaches the database at run time.
import type { NamedScorerSpec } from "../scorers/spec";
import type { DatasetItemInput } from "./datasets/parse";

/** A dataset item's variable values: {<variable>: value} (a check constraint keeps it an object). */
export type ItemInput = DatasetItemInput["input"];

/** A dataset item's expected output: text, or any JSON value; null when the item has none. */
export type ItemExpected = DatasetItemInput["expected"];

/** Free-form notes kept with a dataset item: a JSON object. */
export type ItemMetadata = DatasetItemInput["metadata"];

/** The named scorer specs a run scores with, normalised (lib/scorers parseScorerSpecs); also a gate's. */
export type RunScorers = NamedScorerSpec[];

/**
 * A .prompt.yml evaluator as its file wrote it, and the name of the dataset scorer it became (null: kept so an
 * export writes it back, but not scored: Lectern has no scorer that reads it the same way).
 */
export type FileEvaluator = { name: string; scorer: string | null; evaluator: Record<string, unknown> };
