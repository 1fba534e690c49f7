// The eval-run job: runs a prompt version over the pinned dataset version and scores every item.
//
// - Resumable: each item × repetition result is one row keyed (run, item, repetition), inserted with
//   ON CONFLICT DO NOTHING, so a retried or resumed job skips what is written and can never count a
//   unit twice; progress, tokens and cost are recomputed from those rows.
// - Bounded concurrency: `run.concurrency` workers take units from one list; model calls also wait
//   on the connection's own limit (ModelCaller).
// - Cancellation: a cancel sets eval_runs.cancel_requested; the job polls it, stops taking units and
//   aborts the calls in flight (their units are not written). A job interrupted by the queue
//   (ctx.signal: shutdown, expiry) throws, so pg-boss retries it and the run resumes.
// One unit's work is unit.ts; the claim and the final statuses claim.ts; completion finalize.ts.
import { setMaxListeners } from "node:events";
import { and, eq, sql } from "drizzle-orm";
import { inTransaction, type Db } from "../../../db/client";
import { queryRows } from "../../../db/client";
import { evalRunItems, evalRuns, promptVersions, prompts } from "../../../db/schema";
import { AppError } from "../../errors";
import type { ModelCaller } from "../../llm/model-caller";
import { connectionLabel } from "../../llm/provider-labels";
import type { Content } from "../../registry/content";
import { loadServedVersion, type ServedVersion } from "../../runtime/render-as-served";
import { itemsAtVersion } from "../datasets/item-reads";
import { createScorerModels, type NamedScorerSpec } from "../../scorers";
import type { EvalRunRow } from "./create";
import { claimRun, failRun, finish } from "./claim";
import { defaultRunEnvironment } from "./environment";
import { finalizeRun } from "./finalize";
import { baselineOutputs, processUnit, type Unit, type UnitEnv } from "./unit";

export { failRun };

/** Resolves a connection id (undefined: the default connection) to its caller. Throw an AppError naming an unknown id. */
export type ModelResolver = (connectionId: string | undefined) => ModelCaller;

export interface RunDeps {
  /** The models of a project (its connections); called once per execution. */
  modelsFor: (projectId: string) => ModelResolver | Promise<ModelResolver>;
  /** The job's signal: aborted when the queue stops or the job expires. */
  signal?: AbortSignal;
  /** Called once a run completes (auto-promote). Errors are reported, not fatal. */
  onCompleted?: (db: Db, run: EvalRunRow) => Promise<unknown>;
  /** How often progress is written and a cancel looked for (default 500 ms). */
  cancelPollMs?: number;
  /**
   * Runs of one project running at once, on every instance (LECTERN_RUNS_RUNNING_PER_PROJECT): a job
   * whose project is at the limit gives its worker back and comes back later, so one project cannot
   * hold every worker. Unset: no limit.
   */
  maxRunningPerProject?: number;
  /** Longest a run item may take, model call and scoring (LECTERN_RUN_ITEM_DEADLINE_SECONDS). */
  itemDeadlineMs?: number;
  log?: { warn(message: string): void };
}

export interface ExecuteOutcome {
  status: EvalRunRow["status"];
  done: number;
  total: number;
  /** Units written by this execution. */
  written: number;
  /** The project is at its limit of running runs: the run stays queued, to be tried again later. */
  deferred?: true;
  /** The run no longer exists (deleted with its dataset, prompt or project): nothing to do, ever. */
  missing?: true;
}

/** A run item's model call and scoring together, unless the caller says otherwise. */
export const DEFAULT_ITEM_DEADLINE_MS = 300_000;

export class RunInterrupted extends Error {
  constructor() {
    super("the evaluation run was interrupted (queue stopping or job expired); it resumes on retry");
    this.name = "RunInterrupted";
  }
}

/**
 * Progress, tokens and cost are derived from the written rows (never incremented), so they are right
 * after any retry; one statement per tick instead of one per item keeps concurrent workers from
 * queuing on the run's row lock. It also answers whether a cancel was requested.
 */
async function syncProgress(db: Db, runId: string): Promise<{ cancelRequested: boolean } | undefined> {
  const [row] = await queryRows<{ cancel_requested: boolean }>(
    db,
    sql`update eval_runs set done = s.n, input_tokens = s.i, output_tokens = s.o, cost_usd = s.c
      from (select count(*)::int as n, coalesce(sum(input_tokens), 0) as i, coalesce(sum(output_tokens), 0) as o, coalesce(sum(cost_usd), 0) as c
            from eval_run_items where run_id = ${runId}) s
      where id = ${runId}
      returning cancel_requested`,
  );
  return row && { cancelRequested: row.cancel_requested };
}

type RunRow = Extract<Awaited<ReturnType<typeof claimRun>>, { kind: "claimed" }>["row"];

/** The version as the run's environment serves it, and the model the run calls; throws what keeps it from starting. */
async function prepareRun(
  db: Db,
  run: RunRow,
  deps: RunDeps,
  pv: { content: Content; name: string } | undefined,
): Promise<{ served: ServedVersion; resolver: ModelResolver; caller: ModelCaller }> {
  if (!pv) throw new AppError("not_found", `version ${run.version} of the prompt no longer exists`);
  // The one render path: the version as the run's environment serves it (its partials live there).
  const served = await loadServedVersion(
    db,
    run.projectId,
    { name: pv.name, version: run.version, content: pv.content },
    run.environment ?? (await defaultRunEnvironment(db, run.projectId, run.datasetId)),
    run.partialVersions,
  );
  const resolver = await deps.modelsFor(run.projectId);
  const caller = resolver(run.connection ?? undefined);
  // The run says which model answered: the connection as it is now, if it changed since the run was queued.
  const name = connectionLabel(caller.connection);
  if (name !== run.connectionName)
    await db.update(evalRuns).set({ connectionName: name }).where(eq(evalRuns.id, run.id));
  return { served, resolver, caller };
}

/** Each item's repetitions not written yet (a resumed run continues where it stopped). */
async function pendingUnits(db: Db, run: RunRow): Promise<Unit[]> {
  const items = await itemsAtVersion(db, run.datasetId, run.datasetVersion);
  const written = new Set(
    (
      await db
        .select({ itemId: evalRunItems.itemId, repetition: evalRunItems.repetition })
        .from(evalRunItems)
        .where(eq(evalRunItems.runId, run.id))
    ).map((r) => `${r.itemId}:${r.repetition}`),
  );
  const units: Unit[] = [];
  for (const item of items)
    for (let repetition = 0; repetition < run.repetitions; repetition++)
      if (!written.has(`${item.id}:${repetition}`)) units.push({ item, repetition });
  return units;
}

/** The run's abort signal: the job's, or a cancel seen while progress is synced (every cancelPollMs). */
function watchRun(db: Db, run: RunRow, deps: RunDeps) {
  const controller = new AbortController();
  // Every call in flight (and each of its retries) listens on this one signal.
  setMaxListeners(Math.max(10, run.concurrency * 8), controller.signal);
  let cancelled = false;
  const onJobAbort = () => controller.abort(deps.signal?.reason);
  deps.signal?.addEventListener("abort", onJobAbort, { once: true });
  if (deps.signal?.aborted) controller.abort();
  let syncing = false;
  const poll = setInterval(() => {
    if (syncing) return;
    syncing = true;
    void syncProgress(db, run.id)
      .then((r) => {
        if (r?.cancelRequested && !cancelled) {
          cancelled = true;
          controller.abort(new Error("cancelled"));
        }
      })
      .catch(() => {})
      .finally(() => (syncing = false));
  }, deps.cancelPollMs ?? 500);
  return {
    controller,
    cancelled: () => cancelled,
    stop: () => {
      clearInterval(poll);
      deps.signal?.removeEventListener("abort", onJobAbort);
    },
  };
}

/** Runs (or resumes) one evaluation run to completion, cancellation or interruption. */
export async function executeRun(db: Db, runId: string, deps: RunDeps): Promise<ExecuteOutcome> {
  const claim = await claimRun(db, runId, deps.maxRunningPerProject);
  if (claim.kind === "missing") return { status: "cancelled", done: 0, total: 0, written: 0, missing: true };
  if (claim.kind !== "claimed") {
    const row = claim.row;
    return {
      status: row.status,
      done: row.done,
      total: row.total,
      written: 0,
      ...(claim.kind === "deferred" && { deferred: true }),
    };
  }
  const claimed = claim.row;
  let run = claimed;
  if (run.cancelRequested) {
    const row = await finish(db, run.id, { status: "cancelled" });
    return { status: row?.status ?? "cancelled", done: run.done, total: run.total, written: 0 };
  }

  const specs = run.scorers as NamedScorerSpec[];
  const [pv] = await db
    .select({ content: promptVersions.content, name: prompts.name })
    .from(promptVersions)
    .innerJoin(prompts, eq(prompts.id, promptVersions.promptId))
    .where(and(eq(promptVersions.promptId, run.promptId), eq(promptVersions.version, run.version)));
  let prepared: Awaited<ReturnType<typeof prepareRun>>;
  try {
    prepared = await prepareRun(db, run, deps, pv);
  } catch (e) {
    const row = await failRun(db, run.id, `cannot start: ${(e as Error).message}`);
    return { status: row?.status ?? "failed", done: run.done, total: run.total, written: 0 };
  }
  const { served, resolver, caller } = prepared;
  const scorerModels = createScorerModels(resolver);

  const units = await pendingUnits(db, run);
  const baseline = run.baselineRunId ? await baselineOutputs(db, run.baselineRunId) : undefined;
  const itemDeadlineMs = deps.itemDeadlineMs ?? DEFAULT_ITEM_DEADLINE_MS;
  const watch = watchRun(db, run, deps);
  const controller = watch.controller;
  let writtenNow = 0;
  let next = 0;
  const signal = controller.signal;

  const env: UnitEnv = { db, run, specs, served, caller, scorerModels, signal, itemDeadlineMs, baseline };
  try {
    await Promise.all(
      Array.from({ length: Math.min(inTransaction(db) ? 1 : run.concurrency, units.length) }, async () => {
        while (!signal.aborted && next < units.length) if (await processUnit(env, units[next++]!)) writtenNow++;
      }),
    );
  } finally {
    watch.stop();
  }

  await syncProgress(db, run.id);
  if (watch.cancelled()) {
    const row = await finish(db, run.id, { status: "cancelled" });
    return { status: row?.status ?? "cancelled", done: row?.done ?? run.done, total: run.total, written: writtenNow };
  }
  if (signal.aborted) throw new RunInterrupted();

  const final = await finalizeRun(db, run.id);
  if (!final) {
    const [now] = await db.select().from(evalRuns).where(eq(evalRuns.id, run.id));
    return { status: now!.status, done: now!.done, total: now!.total, written: writtenNow };
  }
  run = final;
  if (run.status === "completed" && deps.onCompleted) {
    try {
      await deps.onCompleted(db, run);
    } catch (e) {
      deps.log?.warn(`after run ${run.id} completed: ${(e as Error).message}`);
    }
  }
  return { status: run.status, done: run.done, total: run.total, written: writtenNow };
}
