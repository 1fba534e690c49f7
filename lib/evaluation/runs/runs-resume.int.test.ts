// An evaluation run stopped on the way: cancelled by a person (the calls in flight are aborted), or
// killed with its queue instance and resumed by another without scoring any unit twice.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import {
  datasetId,
  deps,
  exact,
  f,
  itemCount,
  newRun,
  script,
  server,
  t,
  withRunsDatabase,
} from "../../../test/eval-runs-fixture";
import { testLog, waitFor } from "../../../test/jobs";
import { failure } from "../../../test/domain-fixtures";
import { JobRegistry, startJobs } from "../../jobs";
import { cancelEvalRun, enqueueWith, evalRunJob, executeRun, getEvalRun } from ".";

withRunsDatabase("runs-resume");

describe("a run stopped on the way", () => {
  it("cancels a running run: the calls in flight are aborted and nothing more is written", async () => {
    server.script({ ...script, rules: [{ match: "Good v5", hold: true, text: "good answer" }] });
    const r = await newRun(f.ctx(f.editor), {
      prompt: "support",
      version: 5,
      dataset: datasetId,
      scorers: exact,
      concurrency: 2,
    });
    const done = executeRun(t.db, r.id, deps);
    await waitFor("calls in flight", () => server.inFlight === 2);
    const c = await cancelEvalRun(f.ctx(f.editor), r.id);
    expect(c.cancelRequested).toBe(true);
    expect((await done).status).toBe("cancelled");
    const after = await getEvalRun(t.db, f.projectId, r.id);
    expect(after).toMatchObject({ status: "cancelled", progress: { done: 0, total: 10 } });
    expect(after.finishedAt).not.toBeNull();
    expect(await itemCount(r.id)).toBe(0);
    expect((await failure(cancelEvalRun(f.ctx(f.editor), r.id))).code).toBe("conflict");
    server.release();
    server.script(script);
    // A queued run is cancelled at once and its job does nothing.
    const q = await newRun(f.ctx(f.editor), { prompt: "support", version: 5, dataset: datasetId, scorers: exact });
    expect((await cancelEvalRun(f.ctx(f.editor), q.id)).status).toBe("cancelled");
    expect((await executeRun(t.db, q.id, deps)).written).toBe(0);
  });

  it("a run killed mid-way resumes on another queue instance without scoring any item twice", async () => {
    server.script({ ...script, latencyMs: 60 });
    server.reset();
    const registry = () => new JobRegistry([evalRunJob(deps, { retryDelay: 1, retryBackoff: false })]);
    const fast = { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 };
    const a = await startJobs({
      database: t,
      registry: registry(),
      schedulerEnabled: false,
      log: testLog(),
      tuning: fast,
    });
    const r = await newRun(
      f.ctx(f.editor),
      { prompt: "support", version: 3, dataset: datasetId, scorers: exact, concurrency: 1, repetitions: 2 },
      { enqueue: enqueueWith(a), limits: null, models: null },
    );
    await waitFor(
      "a few items scored",
      async () => (await getEvalRun(t.db, f.projectId, r.id)).progress.done >= 4,
      30_000,
    );
    await a.stop({ graceful: true, timeoutMs: 50 });
    const mid = await getEvalRun(t.db, f.projectId, r.id);
    expect(mid.status).toBe("running");
    expect(mid.progress.done).toBeLessThan(20);
    const firstRows = await queryRows<{ item_id: string; repetition: number; created_at: string }>(
      t.db,
      sql`select item_id, repetition, created_at::text from eval_run_items where run_id = ${r.id}`,
    );
    const phaseOne = server.requests.length;
    const b = await startJobs({
      database: t,
      registry: registry(),
      schedulerEnabled: false,
      log: testLog(),
      tuning: fast,
    });
    try {
      await waitFor(
        "the run completes",
        async () => (await getEvalRun(t.db, f.projectId, r.id)).status === "completed",
        60_000,
      );
    } finally {
      await b.stop({ graceful: true, timeoutMs: 1000 });
    }
    const end = await getEvalRun(t.db, f.projectId, r.id);
    expect(end).toMatchObject({ status: "completed", progress: { done: 20, total: 20 }, score: 1 });
    expect(await itemCount(r.id)).toBe(20);
    // Rows written before the kill are untouched, and the resumed job made one call per remaining unit.
    const again = await queryRows<{ item_id: string; repetition: number; created_at: string }>(
      t.db,
      sql`select item_id, repetition, created_at::text from eval_run_items where run_id = ${r.id}`,
    );
    for (const row of firstRows) expect(again).toContainEqual(row);
    expect(server.requests.length - phaseOne).toBe(20 - firstRows.length);
    // Tokens count each unit once.
    expect(end.tokens).toEqual({ input: 200, output: 100 });
    server.script(script);
  }, 90_000);
});
