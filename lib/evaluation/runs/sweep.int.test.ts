// A run left queued without a job (its process stopped between the commit and the send) is picked up by
// the eval-run-sweep cron and runs to the end; a run that has its job, or is younger than a minute
// (its job may still be on the way), is left alone.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { datasetId, deps, exact, f, newRun, t, withRunsDatabase } from "../../../test/eval-runs-fixture";
import { testLog, waitFor } from "../../../test/jobs";
import { JobRegistry, startJobs } from "../../jobs";
import { cancelEvalRun, evalRunJob, evalRunSweep, getEvalRun } from ".";
import { strandedRuns } from "./sweep";

withRunsDatabase("runs-sweep");

const backdate = (id: string) =>
  t.db.execute(sql`update eval_runs set created_at = now() - interval '2 minutes' where id = ${id}`);

describe("runs left queued without a job", () => {
  it("are sent again by the sweep and complete; runs with a job or just created are left alone", async () => {
    const input = { prompt: "support", version: 1, dataset: datasetId, scorers: exact };
    // Created as createEvalRun creates them, but the job never sent: as if the process had died after the commit.
    const stranded = await newRun(f.ctx(f.editor), input);
    await backdate(stranded.id);
    const young = await newRun(f.ctx(f.editor), input);
    expect(await strandedRuns(t.db)).toEqual([stranded.id]);

    const jobs = await startJobs({
      database: t,
      registry: new JobRegistry([evalRunJob(deps, { retryDelay: 1, retryBackoff: false }), evalRunSweep()]),
      schedulerEnabled: false,
      log: testLog(),
      tuning: { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 },
    });
    try {
      const first = await jobs.runCron("eval-run-sweep");
      expect(first).toMatchObject({ ran: true, result: { requeued: [stranded.id] } });
      // Its job is queued (or already done): it is not stranded any more, and is not sent twice.
      expect(await strandedRuns(t.db)).toEqual([]);
      expect(await jobs.runCron("eval-run-sweep")).toMatchObject({ result: { requeued: [] } });
      const done = await waitFor("the stranded run to complete", async () => {
        const r = await getEvalRun(t.db, f.projectId, stranded.id);
        return r.status === "completed" && r;
      });
      expect(done).toMatchObject({ progress: { done: 10, total: 10 }, score: 1 });
      expect((await getEvalRun(t.db, f.projectId, young.id)).status).toBe("queued");
    } finally {
      await jobs.stop({ graceful: true, timeoutMs: 500 });
    }
    await cancelEvalRun(f.ctx(f.editor), young.id);
  }, 60_000);

  it("without a job queue in the process, the sweep sends nothing and says why", async () => {
    const sweep = evalRunSweep();
    const result = await sweep.run({
      db: t.db,
      jobs: null,
      log: testLog(),
      lock: async () => async () => {},
      now: new Date(),
      params: {},
    });
    expect(result).toEqual({ requeued: [], skipped: "no job queue in this process" });
  });
});
