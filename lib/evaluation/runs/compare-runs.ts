// Two runs side by side on the same dataset version: per item, both outputs and scores and the delta
// (b − a). Repetitions are averaged per item; the outputs shown are repetition 0's. Above the items, the
// paired comparison per scorer (lib/scorers/paired-runs.ts) and its verdict in a sentence, and each run's
// statistics (the score's interval over items, pass@k and pass^k). When one run was judged against the
// other by a pairwise llm_judge (its baseline), the judge's wins, ties and losses of b against a.
import { and, asc, inArray } from "drizzle-orm";
import { z } from "zod";
import { readTogether, type Db } from "../../../db/client";
import { datasetItems, evalRunItems } from "../../../db/schema";
import { AppError } from "../../errors";
import { pairedVerdict, pairRuns, type RunUnit } from "../../scorers/paired-runs";
import { runStatistics } from "../../scorers/run-statistics";
import { tallyPairwise, type PairwiseTally } from "../../scorers/pairwise-tally";
import type { NamedScorerSpec } from "../../scorers";
import { parseInput as parseStrict } from "../../validation";
import { unprocessable } from "../unprocessable";
import { getRunRow, runDto } from "./reads";

export const compareInput = z.object({
  a: z.string({ error: "a must be a run id" }).min(1, "a must be a run id").describe("The baseline run's id"),
  b: z.string({ error: "b must be a run id" }).min(1, "b must be a run id").describe("The run compared with it"),
  regressions: z
    .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().default(false))
    .describe("true: only the items that got worse from a to b"),
  offset: z.coerce.number().int().min(0).default(0).describe("Items to skip"),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe("How many items (1–500)"),
});

/** A drop larger than this (or passed → failed) is a regression. */
export const regressionEpsilon = 1e-9;

interface Side {
  output: string | null;
  score: number | null;
  passed: boolean;
  scores: unknown;
  error: string | null;
}

export async function compareEvalRuns(db: Db, projectId: string, input: z.input<typeof compareInput>) {
  const q = unprocessable(parseStrict, compareInput, input);
  const [a, b] = await readTogether(db, [() => getRunRow(db, projectId, q.a), () => getRunRow(db, projectId, q.b)]);
  if (a.datasetId !== b.datasetId || a.datasetVersion !== b.datasetVersion)
    throw new AppError(
      "unprocessable",
      `runs ${a.id} and ${b.id} evaluated different datasets or dataset versions; compare runs on the same dataset version`,
      {
        field: "b",
        a: { dataset: a.datasetId, version: a.datasetVersion },
        b: { dataset: b.datasetId, version: b.datasetVersion },
      },
    );
  const rows = await db
    .select({
      runId: evalRunItems.runId,
      itemId: evalRunItems.itemId,
      repetition: evalRunItems.repetition,
      position: evalRunItems.position,
      output: evalRunItems.output,
      score: evalRunItems.score,
      passed: evalRunItems.passed,
      scores: evalRunItems.scores,
      error: evalRunItems.error,
    })
    .from(evalRunItems)
    .where(inArray(evalRunItems.runId, [a.id, b.id]))
    .orderBy(asc(evalRunItems.position), asc(evalRunItems.repetition));
  const byItem = new Map<string, Acc>();
  const units: Record<"a" | "b", RunUnit[]> = { a: [], b: [] };
  for (const r of rows) {
    units[r.runId === a.id ? "a" : "b"].push({ itemId: r.itemId, results: r.scores });
    const acc = byItem.get(r.itemId) ?? { position: r.position };
    byItem.set(r.itemId, acc);
    const side = r.runId === a.id ? "a" : "b";
    const s = (acc[side] ??= {
      output: r.output,
      score: null,
      passed: true,
      scores: r.scores,
      error: r.error,
      sum: 0,
      n: 0,
      allPassed: true,
    });
    if (r.score !== null) ((s.sum += r.score), s.n++);
    s.allPassed &&= r.passed;
  }
  const ids = [...byItem.keys()];
  const meta = await itemMeta(db, ids);
  let items = itemRows(byItem, meta);
  const regressions = items.filter((i) => i.regression).length;
  const improvements = items.filter((i) => i.improvement).length;
  if (q.regressions) items = items.filter((i) => i.regression);
  const paired = pairRuns(units.a, units.b);
  return {
    a: { ...(await runDto(db, a)), statistics: runStatistics(units.a) },
    b: { ...(await runDto(db, b)), statistics: runStatistics(units.b) },
    verdict: pairedVerdict(paired, runLabels(a, b)),
    paired: {
      alpha: paired.alpha,
      items: paired.items,
      test: "paired t, Holm across scorers",
      overall: paired.overall,
    },
    scorers: paired.scorers.map(({ name, type, ...p }) => ({ name, type, paired: p })),
    pairwise: pairwiseJudges(a, b, units),
    delta: a.score !== null && b.score !== null ? b.score - a.score : null,
    regressions,
    improvements,
    total: items.length,
    offset: q.offset,
    limit: q.limit,
    items: items.slice(q.offset, q.offset + q.limit),
  };
}

type Acc = {
  position: number;
  a?: Side & { sum: number; n: number; allPassed: boolean };
  b?: Side & { sum: number; n: number; allPassed: boolean };
};

/** The items' inputs, expected outputs and tags. */
async function itemMeta(db: Db, ids: string[]) {
  return new Map(
    ids.length
      ? (
          await db
            .select({
              id: datasetItems.id,
              input: datasetItems.input,
              expected: datasetItems.expected,
              tags: datasetItems.tags,
            })
            .from(datasetItems)
            .where(and(inArray(datasetItems.id, ids)))
        ).map((m) => [m.id, m])
      : [],
  );
}

/** One row per item, in dataset order: each run's side (its repetitions' mean score), the delta and its kind. */
function itemRows(byItem: Map<string, Acc>, meta: Awaited<ReturnType<typeof itemMeta>>) {
  const side = (s: Acc["a"]): Side | null =>
    s
      ? { output: s.output, score: s.n ? s.sum / s.n : null, passed: s.allPassed, scores: s.scores, error: s.error }
      : null;
  return [...byItem.entries()]
    .sort((x, y) => x[1].position - y[1].position)
    .map(([itemId, acc]) => {
      const sa = side(acc.a);
      const sb = side(acc.b);
      const delta = sa?.score != null && sb?.score != null ? sb.score - sa.score : null;
      const regression = Boolean((delta !== null && delta < -regressionEpsilon) || (sa?.passed && sb && !sb.passed));
      const m = meta.get(itemId);
      return {
        itemId,
        input: m?.input,
        expected: m?.expected ?? undefined,
        tags: m?.tags ?? [],
        a: sa,
        b: sb,
        delta,
        regression,
        improvement: delta !== null && delta > regressionEpsilon,
      };
    });
}

type RunRef = { id: string; promptId: string; version: number };

/**
 * The pairwise judges' verdicts of b against a: from b's judges when a is b's baseline, else from a's
 * when b is a's (wins and losses swapped, so a win is always b's).
 */
function pairwiseJudges(
  a: RunRef & { baselineRunId: string | null; scorers: unknown },
  b: RunRef & { baselineRunId: string | null; scorers: unknown },
  units: Record<"a" | "b", RunUnit[]>,
): (PairwiseTally & { judged: "a" | "b" })[] {
  const judged = b.baselineRunId === a.id ? "b" : a.baselineRunId === b.id ? "a" : null;
  if (!judged) return [];
  const specs = (judged === "b" ? b : a).scorers as NamedScorerSpec[];
  return specs
    .filter((s) => s.type === "llm_judge" && s.mode === "pairwise")
    .map((s) => {
      const t = tallyPairwise(units[judged], s.name);
      return judged === "b" ? { ...t, judged } : { ...t, wins: t.losses, losses: t.wins, judged };
    });
}

/** How the verdict names the runs: by version when they differ, else by run. */
function runLabels(a: RunRef, b: RunRef): { a: string; b: string } {
  if (a.promptId === b.promptId && a.version !== b.version) return { a: `v${a.version}`, b: `v${b.version}` };
  return { a: `run ${a.id.slice(0, 8)} (v${a.version})`, b: `run ${b.id.slice(0, 8)} (v${b.version})` };
}
