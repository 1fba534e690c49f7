// The optimization job: split the dataset (seeded), search with Ax's GEPA on the train split under the
// budget, compare the best candidate with the starting version on the held-out split, and make a draft
// carrying that comparison. It never saves a version and never deploys: a person merges the draft and
// sends the version to review, like any other change. Interrupted (queue stopping, job expired), it
// throws and pg-boss retries it; the retry starts the search over but keeps what was spent (the budget
// counts it), so a retry can never pass the caps.
import { AxGEPA, type AxMetricFn } from "@ax-llm/ax";
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { optimizations, promptVersions, prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import type { Actor } from "../auth/permissions";
import { itemsAtVersion } from "../evaluation/datasets/item-reads";
import { projectPrices } from "../llm/project-prices";
import { createDraft, updateDraft } from "../release/drafts";
import { loadServedVersion } from "../runtime/served";
import type { ScorerModels } from "../scorers";
import { lecternAxService } from "./ax-service";
import { BudgetExhausted, Meter } from "./budget";
import { applyCandidate, MAX_DEMOS } from "./candidate";
import type { OptimizationResult } from "./contracts";
import type { OptimizationRow } from "./create";
import { compareOnHeldOut } from "./held-out";
import { callsPerItem, paretoSize } from "./input";
import { INSTRUCTION, metric, toExample, VersionProgram, type ProgramEnv } from "./program";
import { splitItems } from "./split";

export const METHOD =
  "GEPA (reflective prompt evolution, Agrawal et al. 2025) as implemented by Ax's AxGEPA, with Ax's bootstrapped few-shot examples";

export interface OptimizationDeps {
  /** The project's model access (its connections): every call is made through it, metered. */
  modelsFor: (projectId: string) => ScorerModels | Promise<ScorerModels>;
  signal?: AbortSignal;
  /** GEPA's trials: reflections, each scored on a train minibatch (default 8). */
  trials?: number;
}

export class OptimizationInterrupted extends Error {
  constructor() {
    super("the optimization was interrupted (queue stopping or job expired); it starts over on retry");
    this.name = "OptimizationInterrupted";
  }
}

const finished = ["completed", "budget_exhausted", "failed"] as const;

async function finish(db: Db, id: string, set: Partial<typeof optimizations.$inferInsert>) {
  await db
    .update(optimizations)
    .set({ ...set, finishedAt: new Date() })
    .where(and(eq(optimizations.id, id), inArray(optimizations.status, ["queued", "running"])));
}

export async function failOptimization(db: Db, id: string, message: string) {
  await finish(db, id, { status: "failed", error: message.slice(0, 2000) });
}

/** Runs (or runs again after an interruption) one optimization to its end. */
export async function executeOptimization(db: Db, id: string, deps: OptimizationDeps) {
  const [row] = await db
    .update(optimizations)
    .set({ status: "running", startedAt: sql`coalesce(${optimizations.startedAt}, now())` })
    .where(and(eq(optimizations.id, id), inArray(optimizations.status, ["queued", "running"])))
    .returning();
  if (!row) {
    const [now] = await db.select({ status: optimizations.status }).from(optimizations).where(eq(optimizations.id, id));
    return { status: now?.status ?? ("missing" as const) };
  }
  const signal = deps.signal ?? new AbortController().signal;
  try {
    await run(db, row, deps, signal);
  } catch (e) {
    if (signal.aborted) throw new OptimizationInterrupted();
    await failOptimization(db, id, (e as Error).message);
  }
  const [now] = await db.select({ status: optimizations.status }).from(optimizations).where(eq(optimizations.id, id));
  return { status: now!.status };
}

async function run(db: Db, row: OptimizationRow, deps: OptimizationDeps, signal: AbortSignal) {
  const [pv] = await db
    .select({ content: promptVersions.content, name: prompts.name })
    .from(promptVersions)
    .innerJoin(prompts, eq(prompts.id, promptVersions.promptId))
    .where(and(eq(promptVersions.promptId, row.promptId), eq(promptVersions.version, row.version)));
  if (!pv) throw new Error(`version ${row.version} of the prompt no longer exists`);
  const served = await loadServedVersion(
    db,
    row.projectId,
    { name: pv.name, version: row.version, content: pv.content },
    row.environment,
  );
  const model = served.content.config.model;
  if (!model) throw new Error("the version names no model (config.model): the optimizer has nothing to call");
  const items = await itemsAtVersion(db, row.datasetId, row.datasetVersion);
  const split = splitItems(items, row.seed, row.heldOutShare);
  const perItem = callsPerItem(row.scorers);
  const meter = new Meter(
    { calls: row.budgetCalls, costUsd: row.budgetCostUsd },
    await deps.modelsFor(row.projectId),
    await projectPrices(db, row.projectId),
    { calls: row.calls, costUsd: row.costUsd },
    async (s) => {
      await db.update(optimizations).set({ calls: s.calls, costUsd: s.costUsd }).where(eq(optimizations.id, row.id));
    },
  );
  const connection = row.connection ?? undefined;
  const env: ProgramEnv = {
    served,
    items: new Map(split.train.map((i) => [i.id, i])),
    specs: row.scorers,
    meter,
    connection,
    signal,
  };
  const result: OptimizationResult = {
    method: METHOD,
    split: { train: split.train.length, heldOut: split.heldOut.length, seed: row.seed },
    stage: "search",
    candidates: [],
  };
  const save = (set: Partial<typeof optimizations.$inferInsert> = {}) =>
    db
      .update(optimizations)
      .set({ result: { ...result }, ...set })
      .where(eq(optimizations.id, row.id));
  await save();

  // The search keeps back what the held-out comparison will take: its calls exactly, and its cost as
  // the calls made so far cost on average (the search's answers are the same kind of call).
  const reserveCalls = 2 * split.heldOut.length * perItem;
  meter.phase(() => ({
    calls: reserveCalls,
    costUsd: meter.spent.calls ? (meter.spent.costUsd / meter.spent.calls) * reserveCalls : 0,
  }));
  const program = new VersionProgram(env);
  const minibatchSize = Math.min(split.train.length, 6);
  const ai = lecternAxService(meter, connection, model, signal);
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
  if (signal.aborted) throw new OptimizationInterrupted();
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

  meter.phase(() => ({ calls: 0, costUsd: 0 }));
  const content = applyCandidate(served.content, best);
  env.items = new Map(split.heldOut.map((i) => [i.id, i]));
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
  if (signal.aborted) throw new OptimizationInterrupted();
  result.stage = "done";
  await makeDraft(db, row, pv.name, content, result);
}

/** The draft, the optimization's end and its audit row, in one transaction. */
async function makeDraft(
  db: Db,
  row: OptimizationRow,
  prompt: string,
  content: ReturnType<typeof applyCandidate>,
  result: OptimizationResult,
) {
  // The draft belongs to whoever started the optimization, acting with the role starting it required
  // (editor: draft.write); started with an API key, it is the system's, and any editor may take it on.
  const actor: Actor = row.createdBy
    ? { type: "user", id: row.createdBy, role: "editor", label: `${row.createdByLabel} (optimizer)` }
    : { type: "system", label: `Optimizer (started by ${row.createdByLabel || "an API key"})` };
  await db.transaction(async (tx) => {
    const ctx = { db: tx, actor, projectId: row.projectId };
    const draft = await createDraft(ctx, prompt, {
      name: `Optimized v${row.version} (${row.id.slice(0, 8)})`,
      fromVersion: row.version,
    });
    await updateDraft(ctx, draft.id, { content });
    const done = await tx
      .update(optimizations)
      .set({ status: "completed", draftId: draft.id, result, finishedAt: new Date() })
      .where(and(eq(optimizations.id, row.id), eq(optimizations.status, "running")))
      .returning({ id: optimizations.id });
    if (!done.length) throw new Error("the optimization was finished meanwhile");
    await recordAudit(tx, {
      projectId: row.projectId,
      actor,
      action: "optimization.complete",
      objectType: "optimization",
      objectId: row.id,
      after: { prompt, version: row.version, draft: draft.id, verdict: result.comparison?.verdict },
    });
  });
}

export const isFinished = (status: string) => (finished as readonly string[]).includes(status);
