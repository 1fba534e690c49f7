// A .prompt.yml file's tests as Lectern keeps them: its testData the items of the prompt's tests dataset (each
// test's values the item's input, its `expected` the item's expected output), its evaluators that dataset's
// scorers (evaluators.ts), which a run on it uses when it names none. The tests dataset is the dataset of the
// prompt that holds `fileEvaluators` (null on every other dataset); it is written in the import's transaction.
//
// A re-import is versioned, never doubled: the file is the truth for its tests dataset, so the same file changes
// nothing; other tests are a new dataset version holding exactly the file's tests, and other evaluators replace
// the scorers (with an audit row).
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { datasetItems, datasets } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import type { DomainContext } from "../../context";
import type { ImportedFile } from "../../registry/formats/dotprompt-import";
import type { PromptYmlTests } from "../../registry/formats/prompt-yml";
import { deepEqual } from "../../registry/json";
import type { PromptRow } from "../../registry/prompts";
import { parseScorerSpecs } from "../../scorers";
import { unprocessable } from "../unprocessable";
import { createDataset, type DatasetRow } from "../datasets/datasets";
import { itemsAtVersion } from "../datasets/item-reads";
import { newVersion } from "../datasets/items";
import { assertMayChangeGateDataset } from "../datasets/gate-guard";
import { evaluatorsToScorers, scorersToEvaluators } from "./evaluators";

/** The tests dataset's name: the prompt's, then " tests" (a dataset name has at most 100 characters). */
export const testsDatasetName = (prompt: string) => `${prompt.slice(0, 94)} tests`;

/** The prompt's tests dataset, if it has one. */
export async function findTestsDataset(db: Db, prompt: PromptRow): Promise<DatasetRow | undefined> {
  const [row] = await db
    .select()
    .from(datasets)
    .where(and(eq(datasets.promptId, prompt.id), isNotNull(datasets.fileEvaluators)))
    .limit(1);
  return row;
}

type Item = { input: Record<string, unknown>; expected: unknown };

const itemsOf = (file: ImportedFile): Item[] =>
  (file.content.examples ?? []).map((e) => ({ input: e.input, expected: e.output === "" ? null : e.output }));

/** Replaces the dataset's items with `items` as one new version, unless it holds exactly them already. */
async function replaceItems(ctx: DomainContext, ds: DatasetRow, items: Item[]): Promise<boolean> {
  const current = ds.currentVersion ? await itemsAtVersion(ctx.db, ds.id, ds.currentVersion) : [];
  const same = (a: Item[], b: Item[]) => a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (
    same(
      current.map((r) => ({ input: r.input, expected: r.expected })),
      items,
    )
  )
    return false;
  if (ds.currentVersion) await assertMayChangeGateDataset(ctx, ds, "items");
  await newVersion(
    ctx,
    ds,
    `imported ${items.length} test${items.length === 1 ? "" : "s"} from a .prompt.yml file`,
    async (tx, version) => {
      await tx
        .update(datasetItems)
        .set({ toVersion: version })
        .where(and(eq(datasetItems.datasetId, ds.id), isNull(datasetItems.toVersion)));
      if (items.length)
        await tx.insert(datasetItems).values(
          items.map((it, i) => ({
            datasetId: ds.id,
            position: i + 1,
            fromVersion: version,
            input: it.input,
            expected: it.expected,
            source: "import",
          })),
        );
      return { itemCount: items.length, result: null };
    },
  );
  return true;
}

/**
 * The import's extras (registry ImportExtras) for a .prompt.yml: its testData and evaluators as the prompt's tests
 * dataset, in the import's transaction `tx`. A file with neither, for a prompt without one, writes nothing.
 */
export async function writeTestsDataset(
  ctx: DomainContext,
  tx: Db,
  r: { prompt: PromptRow; file: ImportedFile },
): Promise<string[]> {
  const inTx: DomainContext = { ...ctx, db: tx };
  const mapped = evaluatorsToScorers(r.file.evaluators);
  const scorers = mapped.scorers.length ? unprocessable(parseScorerSpecs, mapped.scorers, "evaluators") : null;
  const items = itemsOf(r.file);
  let ds = await findTestsDataset(tx, r.prompt);
  if (!ds && !items.length && !mapped.kept.length) return mapped.warnings;
  if (!ds) {
    const created = await createDataset(inTx, {
      name: testsDatasetName(r.prompt.name),
      prompt: r.prompt.name,
      description: `The tests of ${r.prompt.name}'s .prompt.yml file: its testData, scored by its evaluators.`,
    });
    [ds] = await tx
      .update(datasets)
      .set({ scorers, fileEvaluators: mapped.kept })
      .where(eq(datasets.id, created.id))
      .returning();
  } else if (!deepEqual(ds.scorers, scorers) || !deepEqual(ds.fileEvaluators, mapped.kept)) {
    await tx.update(datasets).set({ scorers, fileEvaluators: mapped.kept }).where(eq(datasets.id, ds.id));
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "dataset.update",
      objectType: "dataset",
      objectId: ds.id,
      before: { scorers: ds.scorers },
      after: { scorers },
    });
  }
  await replaceItems(inTx, ds!, items);
  return mapped.warnings;
}

/** What a .prompt.yml export writes as testData and evaluators: the prompt's tests dataset, when it has one. */
export async function readTests(db: Db, prompt: PromptRow): Promise<PromptYmlTests | undefined> {
  const ds = await findTestsDataset(db, prompt);
  if (!ds) return undefined;
  const rows = ds.currentVersion ? await itemsAtVersion(db, ds.id, ds.currentVersion) : [];
  const warnings: string[] = [];
  const tests = rows.map((r) => {
    if (r.expected !== null && typeof r.expected !== "string")
      warnings.push(
        `an item of ${ds.name} expects a JSON value: testData's expected is text, so it is written as JSON text`,
      );
    return {
      input: r.input,
      output: r.expected === null ? "" : typeof r.expected === "string" ? r.expected : JSON.stringify(r.expected),
    };
  });
  const written = scorersToEvaluators(ds.scorers ?? [], ds.fileEvaluators ?? []);
  return { tests, evaluators: written.evaluators, warnings: [...new Set(warnings), ...written.warnings] };
}
