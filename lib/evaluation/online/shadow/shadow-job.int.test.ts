// Shadow answering runs in jobs of its own, one per project, queued by the online-eval tick: a candidate
// model that does not answer holds its project's job, never the tick (which keeps scoring live outputs);
// a project has at most one job waiting and one answering; and the shadow-sweep cron does the same work,
// under the same lock, for hosts whose processes run no workers. Real queue, the local model server.
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../../../db/client";
import { testLog, waitFor } from "../../../../test/jobs";
import { scorerModelsOn } from "../../../../test/scorer-models";
import { f, generations, promptLiveIn, rule, server, t, withOnlineDatabase } from "../../../../test/online-fixture";
import { JobRegistry, runCron, sqlDriver, startJobs } from "../../../jobs";
import { createVersion } from "../../../registry/versions";
import { noEvents } from "../../../announcements";
import { onlineEvalCron } from "../online-eval-cron";
import { putOnlineEvaluation } from "../rules";
import { shadowJob, shadowSweep } from "./shadow-job";

withOnlineDatabase("online-shadow-job");

const models = () => scorerModelsOn(server);
const deps = { modelsFor: () => models(), answersPerRun: 100 };
const tick = onlineEvalCron({ modelsFor: () => models(), events: async () => noEvents });

/** A prompt whose v2 is a shadow candidate of staging's rule (v1 live there). */
async function candidate(name: string) {
  await promptLiveIn(name, 1, 1);
  await createVersion(f.ctx(f.editor), name, { template: `${name} candidate`, config: { model: "support-model" } });
  await putOnlineEvaluation(f.ctx(f.approver), name, rule({ shadow: { versions: [2], sampleRate: 1 } }));
}

const count = async (table: "online_samples" | "shadow_results", where = sql`true`) =>
  (
    await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`)
  )[0]!.n;
const scored = () => count("online_samples", sql`status = 'scored'`);
const answered = () => count("shadow_results");

describe("shadow answering as a job", () => {
  beforeEach(() => {
    server.reset();
    // The candidate's model does not answer until the test lets it.
    server.script({ rules: [{ match: "candidate", text: "Thank you, Ana.", hold: true }] });
  });

  it("a candidate model that does not answer never holds the online-eval tick", async () => {
    await candidate("sj-slow");
    const jobs = await startJobs({
      database: t,
      registry: new JobRegistry([tick, shadowJob(deps)]),
      schedulerEnabled: false,
      log: testLog(),
      tuning: { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 },
    });
    try {
      await generations("sj-slow", 1, 3, 3);
      const first = await jobs.runCron("online-eval");
      expect(first).toMatchObject({ ran: true, result: { scored: 3, shadowQueued: 1 } });
      await waitFor("the candidate's calls to wait on the model", () => server.inFlight === 3);

      // The next tick scores new outputs and ends while the project's job still waits on the model.
      await generations("sj-slow", 1, 4, 4);
      const second = await jobs.runCron("online-eval");
      expect(second).toMatchObject({ ran: true, result: { scored: 4, shadowQueued: 1 } });
      expect(await scored()).toBe(7);
      expect([server.inFlight, await answered()]).toEqual([3, 0]);

      // That tick's job is taken by the second worker, finds the project's lock held and ends at once:
      // one project never has two jobs answering.
      const outputs = async () =>
        (
          await jobs.driver.query<{ output: { skipped?: string } | null }>(
            "select output from pgboss.job where name = 'online-shadow' and state = 'completed'",
          )
        ).rows;
      const [skipped] = await waitFor("the second job to end", async () => {
        const rows = await outputs();
        return rows.length ? rows : null;
      });
      expect(skipped!.output).toMatchObject({ skipped: "another run is answering this project's candidates" });
      expect(server.requests).toHaveLength(3);

      // Once the model answers, the first job ends, and the next tick's job answers the rest.
      await waitFor("the first job's answers", async () => (server.release(), (await answered()) === 3));
      expect((await jobs.runCron("online-eval")).ran).toBe(true);
      await waitFor("the next job's answers", async () => (server.release(), (await answered()) === 7));
    } finally {
      server.release();
      await jobs.stop({ graceful: true, timeoutMs: 2_000 });
    }
  });

  it("without a queue the tick queues nothing, and the shadow-sweep cron answers under the project's lock", async () => {
    await candidate("sj-sweep");
    server.script({ rules: [{ match: "candidate", text: "Thank you, Ana." }] });
    const driver = sqlDriver(t);
    const cron = (def: Parameters<typeof runCron>[0]) => runCron(def, { db: t.db, driver, jobs: null, log: testLog() });
    await generations("sj-sweep", 1, 2, 2);
    expect(await cron(tick)).toMatchObject({ ran: true, result: { scored: 2, shadowQueued: 0 } });
    const before = await answered();

    const sweep = shadowSweep(deps);
    const release = (await driver.tryLock(`online-shadow:${f.projectId}`))!;
    try {
      expect(await cron(sweep)).toMatchObject({
        result: { projects: [{ projectId: f.projectId, skipped: expect.any(String) }] },
      });
    } finally {
      await release();
    }
    expect(await cron(sweep)).toMatchObject({ result: { projects: [{ projectId: f.projectId, answered: 2 }] } });
    expect((await answered()) - before).toBe(2);
  });
});
