// A completed run recorded from given outputs instead of model calls: the demo seeds some so a newcomer
// sees results and a gate without any API key. Scoring is the real thing (deterministic scorers, or a
// judge through the models the caller gives: scripted ones, in the demo); the outputs are whatever the
// caller scripted, for each item and repetition. With a baseline run, a pairwise judge compares each
// output with the baseline's answer to the same item, as in a run the job executes.
import { auditCompletion, runOutcome, storedSummary } from "./complete";
import { baselineOutput, baselineOutputs } from "./unit";
import { eq } from "drizzle-orm";
import { evalRunItems, evalRuns } from "../../../db/schema";
import { AppError } from "../../errors";
import type { DomainContext } from "../../context";
import { itemsAtVersion } from "../datasets/item-reads";
import { isDeterministic, scoreItem, scoreItemSync, type ItemScore, type ScorerModels } from "../../scorers";
import { failRun } from "./claim";
import { createEvalRun, parseCreateRunInput, type EvalRunRow, type RunStart } from "./create";

/** A recorded run is scored here and now: no job, and it is never queued long enough to count against a limit. */
const recorded: RunStart = { enqueue: async () => {}, limits: null, models: null };

export async function recordRun(
  ctx: DomainContext,
  input: {
    prompt: string;
    version: number;
    dataset: string;
    scorers: unknown[];
    environment?: string;
    repetitions?: number;
    baseline?: string;
    /** The connection whose answers these are (by name), which the run then names. */
    connection?: string;
  },
  output: (item: { input: Record<string, unknown>; position: number; repetition: number }) => {
    text: string;
    latencyMs?: number;
  },
  /** Models for the scorers that need one (a judge): without them, deterministic scorers only. */
  opts: { models?: ScorerModels } = {},
): Promise<EvalRunRow> {
  const created = await createEvalRun(ctx, parseCreateRunInput({ ...input, concurrency: 1 }), recorded);
  const run = input.connection
    ? ((
        await ctx.db
          .update(evalRuns)
          .set({ connectionName: input.connection })
          .where(eq(evalRuns.id, created.id))
          .returning()
      )[0] ?? created)
    : created;
  try {
    return await record(ctx, run, output, opts);
  } catch (e) {
    // Never left queued: the eval-run sweep (sweep.ts) would send it to the queue to be executed. (In a
    // transaction that a database error aborted, the caller's rollback removes the run anyway.)
    await failRun(ctx.db, run.id, `not recorded: ${(e as Error).message}`).catch(() => {});
    throw e;
  }
}

async function record(
  ctx: DomainContext,
  run: EvalRunRow,
  output: Parameters<typeof recordRun>[2],
  opts: { models?: ScorerModels },
): Promise<EvalRunRow> {
  const specs = run.scorers;
  if (!opts.models && !specs.every((s) => isDeterministic(s.type)))
    throw new AppError("unprocessable", "recorded runs take deterministic scorers only", { field: "scorers" });
  const items = await itemsAtVersion(ctx.db, run.datasetId, run.datasetVersion);
  const baseline = run.baselineRunId ? await baselineOutputs(ctx.db, run.baselineRunId) : undefined;
  type Scored = { item: (typeof items)[number]; repetition: number; out: { text: string; latencyMs?: number } };
  const scored: (Scored & { s: ItemScore })[] = [];
  for (const [i, item] of items.entries())
    for (let repetition = 0; repetition < run.repetitions; repetition++) {
      const out = output({ input: item.input, position: i, repetition });
      const scoring = {
        output: out.text,
        expected: item.expected ?? undefined,
        input: item.input,
        ...(baseline && {
          baseline: baselineOutput(baseline, { item, repetition }),
          sides: { output: "this run", baseline: "baseline run" },
        }),
      };
      const s = opts.models ? await scoreItem(specs, scoring, { models: opts.models }) : scoreItemSync(specs, scoring);
      scored.push({ item, repetition, out, s });
    }
  const summary = storedSummary(
    scored.map(({ item, repetition, s }) => ({ itemId: item.id, repetition, tags: item.tags, results: s.results })),
  );
  return ctx.db.transaction(async (tx) => {
    for (let i = 0; i < scored.length; i += 500)
      await tx.insert(evalRunItems).values(
        scored.slice(i, i + 500).map(({ item, repetition, out, s }) => ({
          runId: run.id,
          itemId: item.id,
          repetition,
          position: item.position,
          output: out.text,
          score: s.score,
          passed: s.passed,
          scores: s.results,
          latencyMs: out.latencyMs ?? null,
        })),
      );
    const now = ctx.now?.() ?? new Date();
    const [row] = await tx
      .update(evalRuns)
      .set({
        ...runOutcome(summary),
        done: scored.length,
        score: summary.score,
        passRate: summary.passRate,
        summary,
        startedAt: now,
        finishedAt: now,
      })
      .where(eq(evalRuns.id, run.id))
      .returning();
    await auditCompletion(tx, row!);
    return row!;
  });
}
