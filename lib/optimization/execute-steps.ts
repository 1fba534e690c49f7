// The two steps of an optimization job (execute.ts): the search on the train split, then the comparison
// of its best candidate with the starting version on the held-out split, which decides whether a draft is made.
import { AxGEPA, type AxMetricFn } from "@ax-llm/ax";
import type { Db } from "../../db/client";
import type { optimizations } from "../../db/schema";
import type { DatasetItemRow } from "../evaluation/datasets/datasets";
import type { Content } from "../registry/content";
import { lecternAxService } from "./ax-service";
import { BudgetExhausted, type Meter } from "./budget";
import { applyCandidate, demoSafe, instructionOf, MAX_DEMOS } from "./candidate";
import type { OptimizationResult } from "./contracts";
import type { OptimizationDeps } from "./execute";
import { finishWithoutGain, makeDraft } from "./finish";
import { compareOnHeldOut, heldOutVerdict, noImprovementReason } from "./held-out";
import { callsPerItem, paretoSize } from "./optimization-input";
import { INSTRUCTION, metric, toExample, VersionProgram, type ProgramEnv } from "./program";
import type { OptimizationRow } from "./reads";
import type { Split } from "./split";

/** One run's state, shared by its search and its held-out comparison. */
export type Job = {
  db: Db;
  row: OptimizationRow;
  deps: OptimizationDeps;
  pv: { content: Content; name: string };
  env: ProgramEnv;
  split: Split<DatasetItemRow>;
  meter: Meter;
  result: OptimizationResult;
  save: (set?: Partial<typeof optimizations.$inferInsert>) => Promise<unknown>;
  stopIfAborted: () => void;
};

/** GEPA on the train split, under what the budget leaves after the held-out comparison's reserve. */
export async function search(job: Job, model: string) {
  const { row, deps, env, split, meter, result, save, stopIfAborted } = job;
  const perItem = callsPerItem(row.scorers);
  // The search keeps back what the held-out comparison will take: its calls exactly, and its cost as
  // the calls made so far cost on average (the search's answers are the same kind of call).
  const reserveCalls = 2 * split.heldOut.length * perItem;
  meter.phase(() => ({
    calls: reserveCalls,
    costUsd: meter.spent.calls ? (meter.spent.costUsd / meter.spent.calls) * reserveCalls : 0,
  }));
  const program = new VersionProgram(env);
  const minibatchSize = Math.min(split.train.length, 6);
  const ai = lecternAxService(meter, env.connection, model, env.signal);
  const gepa = new AxGEPA({
    studentAI: ai,
    teacherAI: ai,
    numTrials: deps.trials ?? 8,
    minibatch: true,
    minibatchSize,
    earlyStoppingTrials: 3,
    seed: row.seed || 1,
    verbose: false,
  });
  const examples = split.train.map(toExample);
  const pareto = paretoSize(split.train.length);
  const available = row.budgetCalls - reserveCalls - meter.spent.calls;
  // GEPA's own cap on scored answers, from the calls the search may make: where it stops, the budget did.
  const maxMetricCalls = Math.max(pareto, Math.floor(available / perItem));
  const compiled = await gepa.compile(program as never, examples, metric as unknown as AxMetricFn, {
    maxMetricCalls,
    validationExamples: examples.slice(0, pareto),
    bootstrap: { maxBootstrapDemos: MAX_DEMOS, scoreThreshold: 1, maxBootstrapMetricCalls: Math.min(4, pareto) },
  });
  stopIfAborted();
  const instruction = compiled.optimizedProgram?.componentMap?.[INSTRUCTION];
  const best = program.candidate(
    typeof instruction === "string" && instruction.trim() ? instruction : program.candidate().instruction,
  );
  // Ax's result names the instruction; the candidates' train scores are the program's own record.
  const bestIndex = program.candidateIndex(best.instruction);
  result.candidates = program.candidates();
  result.best = {
    index: bestIndex,
    trainScore: result.candidates[bestIndex]?.trainScore ?? null,
    examples: best.demos.length,
  };
  // GEPA stops before an evaluation that would pass its cap: no room for one more minibatch.
  const capped = compiled.stats.totalCalls + minibatchSize > maxMetricCalls;
  result.searchStoppedBy = meter.refused || capped ? "budget" : "optimizer";
  if (meter.refused) result.budgetNotice = `The search stopped: ${meter.refused}.`;
  else if (capped)
    result.budgetNotice = `The search stopped: it scored ${compiled.stats.totalCalls} answers, all the budget of ${row.budgetCalls} model calls allows with ${reserveCalls} kept for the held-out comparison.`;
  result.stage = "held-out";
  await save();

  return best;
}

/** The best candidate against the starting version on the held-out split; a draft when it is better. */
export async function compareAndFinish(job: Job, best: ReturnType<VersionProgram["candidate"]>) {
  const { db, row, pv, env, split, meter, result, save, stopIfAborted } = job;
  const served = env.served;
  meter.phase(() => ({ calls: 0, costUsd: 0 }));
  const content = applyCandidate(served.content, best);
  env.items = new Map(split.heldOut.map((i) => [i.id, i]));
  // The search kept the starting instruction and found no examples: the candidate is the starting version
  // itself, and comparing it with itself would only spend the budget.
  if (best.instruction === instructionOf(served.content) && !best.demos.some(demoSafe)) {
    result.stage = "done";
    result.noImprovement =
      "The search found no instruction or examples that scored better than the starting ones on the train items, so there was nothing to compare on the held-out items.";
    await finishWithoutGain(db, row, pv.name, result);
    return;
  }
  try {
    result.comparison = await compareOnHeldOut(
      env,
      split.heldOut,
      { version: row.version, content: pv.content },
      content,
    );
    // A judge the budget refused is an errored score, not an exception: the comparison is then partial.
    if (meter.refused) throw new BudgetExhausted(meter.refused);
  } catch (e) {
    if (!(e instanceof BudgetExhausted)) throw e;
    delete result.comparison;
    result.budgetNotice = `The held-out comparison stopped: ${e.message}. The best candidate was not compared, so no draft was made.`;
    await save({ status: "budget_exhausted", finishedAt: new Date() });
    return;
  }
  stopIfAborted();
  result.stage = "done";
  const nothing = noImprovementReason(result.comparison);
  if (nothing) {
    result.noImprovement = nothing;
    // No draft is made: the verdict speaks of the best candidate.
    result.comparison.verdict = heldOutVerdict(result.comparison, row.version, false);
    await finishWithoutGain(db, row, pv.name, result);
    return;
  }
  await makeDraft(db, row, pv.name, content, result);
}
