// The optimization job: split the dataset (seeded), search with Ax's GEPA on the train split under the
// budget, compare the best candidate with the starting version on the held-out split, and make a draft
// carrying that comparison when the candidate is significantly better (else it ends with outcome
// no_improvement, and no draft). It never saves a version and never deploys: a person merges the draft
// and sends the version to review, like any other change. Interrupted (queue stopping, job expired), it
// throws and pg-boss retries it; the retry starts the search over but keeps what was spent (the budget
// counts it), so a retry can never pass the caps. Cancelled (cancel.ts sets the status), the job sees it
// within cancelPollMs and aborts its calls in flight; what they spent is still counted.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { optimizations, promptVersions, prompts } from "../../db/schema";
import { itemsAtVersion } from "../evaluation/datasets/item-reads";
import { projectPrices } from "../llm/project-prices";
import { loadServedVersion } from "../runtime/render-as-served";
import type { ScorerModels } from "../scorers";
import { Meter } from "./budget";
import { claimOptimization } from "./claim";
import type { OptimizationResult } from "./contracts";
import { compareAndFinish, search, type Job } from "./execute-steps";
import type { ProgramEnv } from "./program";
import type { OptimizationRow } from "./reads";
import { splitItems } from "./split";

export const METHOD =
  "GEPA (reflective prompt evolution, Agrawal et al. 2025) as implemented by Ax's AxGEPA, with Ax's bootstrapped few-shot examples";

export interface OptimizationDeps {
  /** The project's model access (its connections): every call is made through it, metered. */
  modelsFor: (projectId: string) => ScorerModels | Promise<ScorerModels>;
  signal?: AbortSignal;
  /** GEPA's trials: reflections, each scored on a train minibatch (default 8). */
  trials?: number;
  /**
   * Optimizations of one project running at once, on every instance (LECTERN_OPTIMIZATIONS_RUNNING_PER_PROJECT),
   * with turns across projects (claim.ts). Unset: no limit, no turns.
   */
  maxRunningPerProject?: number;
  /** How often a running optimization looks for a cancel (default 1,000 ms). */
  cancelPollMs?: number;
  log?: { warn(message: string): void };
}

export type ExecuteOptimizationOutcome = {
  status: OptimizationRow["status"] | "missing";
  /** It must wait for its project's share or another project's turn: it stays queued, to be tried again. */
  deferred?: true;
};

export class OptimizationInterrupted extends Error {
  constructor() {
    super("the optimization was interrupted (queue stopping or job expired); it starts over on retry");
    this.name = "OptimizationInterrupted";
  }
}

class OptimizationCancelled extends Error {
  constructor() {
    super("the optimization was cancelled");
    this.name = "OptimizationCancelled";
  }
}

async function finish(db: Db, id: string, set: Partial<typeof optimizations.$inferInsert>) {
  await db
    .update(optimizations)
    .set({ ...set, finishedAt: new Date() })
    .where(and(eq(optimizations.id, id), inArray(optimizations.status, ["queued", "running"])));
}

export async function failOptimization(db: Db, id: string, message: string) {
  await finish(db, id, { status: "failed", error: message.slice(0, 2000) });
}

const statusOf = async (db: Db, id: string) =>
  (await db.select({ status: optimizations.status }).from(optimizations).where(eq(optimizations.id, id)))[0]?.status;

/**
 * Watches the row while the optimization runs: once it is no longer running (cancelled), `signal` aborts,
 * and with it every call in flight (it reaches callModel's attempts and the scorers' judges).
 */
function watchForCancel(db: Db, id: string, pollMs: number, log?: OptimizationDeps["log"]) {
  const controller = new AbortController();
  let busy = false;
  const timer = setInterval(() => {
    if (busy || controller.signal.aborted) return;
    busy = true;
    statusOf(db, id)
      .then((status) => {
        if (status !== "running") controller.abort(new OptimizationCancelled());
      })
      .catch((e: Error) => log?.warn(`optimization ${id}: could not look for a cancel: ${e.message}`))
      .finally(() => {
        busy = false;
      });
  }, pollMs);
  timer.unref?.();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}

/** Runs (or runs again after an interruption) one optimization to its end, unless it must wait its turn. */
export async function executeOptimization(
  db: Db,
  id: string,
  deps: OptimizationDeps,
): Promise<ExecuteOptimizationOutcome> {
  const claim = await claimOptimization(db, id, deps.maxRunningPerProject);
  if (claim.kind === "missing") return { status: "missing" };
  if (claim.kind === "finished") return { status: claim.row.status };
  if (claim.kind === "deferred") return { status: claim.row.status, deferred: true };
  const row = claim.row;
  const job = deps.signal ?? new AbortController().signal;
  const cancel = watchForCancel(db, id, deps.cancelPollMs ?? 1000, deps.log);
  const signal = AbortSignal.any([job, cancel.signal]);
  const stopIfAborted = () => {
    if (cancel.signal.aborted) throw new OptimizationCancelled();
    if (job.aborted) throw new OptimizationInterrupted();
  };
  try {
    await run(db, row, deps, signal, stopIfAborted);
  } catch (e) {
    // Cancelled: the status already says so (cancel.ts); what the calls in flight spent is written.
    if (!cancel.signal.aborted) {
      if (job.aborted) throw new OptimizationInterrupted();
      await failOptimization(db, id, (e as Error).message);
    }
  } finally {
    cancel.stop();
  }
  return { status: (await statusOf(db, id)) ?? "missing" };
}

async function run(
  db: Db,
  row: OptimizationRow,
  deps: OptimizationDeps,
  signal: AbortSignal,
  stopIfAborted: () => void,
) {
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
  const meter = new Meter(
    { calls: row.budgetCalls, costUsd: row.budgetCostUsd },
    await deps.modelsFor(row.projectId),
    await projectPrices(db, row.projectId),
    { calls: row.calls, costUsd: row.costUsd },
    async (s) => {
      await db.update(optimizations).set({ calls: s.calls, costUsd: s.costUsd }).where(eq(optimizations.id, row.id));
    },
  );
  const env: ProgramEnv = {
    served,
    items: new Map(split.train.map((i) => [i.id, i])),
    specs: row.scorers,
    meter,
    connection: row.connection ?? undefined,
    signal,
  };
  const result: OptimizationResult = {
    method: METHOD,
    split: { train: split.train.length, heldOut: split.heldOut.length, seed: row.seed },
    stage: "search",
    candidates: [],
  };
  // Only while it runs: a cancelled optimization keeps what it had when it was cancelled.
  const save = (set: Partial<typeof optimizations.$inferInsert> = {}) =>
    db
      .update(optimizations)
      .set({ result: { ...result }, ...set })
      .where(and(eq(optimizations.id, row.id), eq(optimizations.status, "running")));
  await save();
  const job: Job = { db, row, deps, pv, env, split, meter, result, save, stopIfAborted };
  const best = await search(job, model);
  await compareAndFinish(job, best);
}
