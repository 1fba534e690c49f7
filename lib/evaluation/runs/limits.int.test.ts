// The evaluation queue is shared by every project of an installation. An outside attack showed three
// ways one project could take it: two runs against a model that never answers held both workers (another
// project's run stayed queued > 90 s); 5,677 runs were queued in 45 s; deleting a dataset left 5,559
// orphaned jobs retrying ahead of real work for ≈ 50 h. Each is bounded here, with a real job queue.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { failure, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { testLog, waitFor } from "../../../test/jobs";
import { localCaller } from "../../../test/llm-caller";
import { startLlmServer, type LlmServer } from "../../../test/llm-server";
import { JobRegistry, startJobs, type JobQueue } from "../../jobs";
import { createPrompt } from "../../registry/prompts";
import { createDataset, deleteDataset, importItems } from "../datasets";
import { direct, newRun } from "../../../test/eval-runs-fixture";
import { AppError } from "../../errors";
import {
  enqueueWith,
  evalRunJob,
  evalRunJobRef,
  getEvalRun,
  listEvalRunItems,
  runItemOutput,
  type EnqueueRun,
  type RunDeps,
  type RunLimits,
} from "./index";

let t: TestDatabase;
let server: LlmServer;
let a: Fixture;
let b: Fixture;
let deps: RunDeps;
let caller: ReturnType<typeof localCaller>;
const datasets = new Map<string, string>();

async function setup(f: Fixture, template: string) {
  const ctx = f.ctx(f.editor);
  await createPrompt(ctx, { name: "p", type: "text", template, variables: [{ name: "q" }], config: { model: "m" } });
  const ds = await createDataset(ctx, { name: "d", prompt: "p" });
  await importItems(ctx, ds.id, "csv", "q\none\ntwo\n");
  datasets.set(f.projectId, ds.id);
}

beforeAll(async () => {
  t = await createTestDatabase();
  server = await startLlmServer({
    script: { rules: [{ match: "Never:", fail: "hang" }], default: { text: "ok", usage: { input: 1, output: 1 } } },
  });
  caller = localCaller(server, { concurrency: 16, maxRetries: 0, timeoutMs: 3_600_000 });
  deps = { modelsFor: () => () => caller, cancelPollMs: 50 };
  a = await seedProject(t.db, "limits-a");
  b = await seedProject(t.db, "limits-b");
  await setup(a, "Never: {{q}}"); // project A's model never answers
  await setup(b, "Fine: {{q}}");
});
afterAll(async () => {
  await server.stop();
  await t.drop();
});

const run = (f: Fixture, enqueue: EnqueueRun = direct.enqueue, limits: RunLimits | null = null) =>
  newRun(
    f.ctx(f.editor),
    { prompt: "p", version: 1, dataset: datasets.get(f.projectId)!, concurrency: 2 },
    { enqueue, limits, models: null },
  );

async function queue(over: Partial<RunDeps> = {}): Promise<JobQueue> {
  return startJobs({
    database: t,
    registry: new JobRegistry([
      evalRunJob({ ...deps, ...over }, { concurrency: 2, retryDelay: 1, retryBackoff: false }),
    ]),
    schedulerEnabled: false,
    log: testLog(),
    tuning: { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 },
  });
}

describe("evaluation runs and the shared queue", () => {
  it("refuses more active runs per project than allowed, with rate_limited and a retry time", async () => {
    const limits = { maxActivePerProject: 2 };
    const first = await run(a, undefined, limits);
    const second = await run(a, undefined, limits);
    const e = await failure(run(a, undefined, limits));
    expect(e.code).toBe("rate_limited");
    expect(e.message).toContain("2 evaluation runs");
    expect(e.details).toMatchObject({ limit: 2, retryAfterSeconds: expect.any(Number) });
    // Another project is not affected.
    await run(b, undefined, limits);
    await t.db.execute(
      sql`update eval_runs set status = 'cancelled', finished_at = now() where id in (${first.id}, ${second.id})`,
    );
    await t.db.execute(sql`update eval_runs set status = 'cancelled', finished_at = now() where status = 'queued'`);
  });

  it("a run whose model calls have nowhere to go is refused where it is started; one that can start names its connection", async () => {
    const before = await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from eval_runs`);
    const nowhere = {
      resolve: async () => {
        throw new AppError("unavailable", "No model connection: add one in Settings → Model connections.");
      },
    };
    const refused = await failure(
      newRun(
        a.ctx(a.editor),
        { prompt: "p", version: 1, dataset: datasets.get(a.projectId)! },
        { ...direct, models: nowhere },
      ),
    );
    expect([refused.code, refused.details?.field]).toEqual(["unprocessable", "connection"]);
    expect(refused.message).toContain("No model connection");
    expect(await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from eval_runs`)).toEqual(before);
    const named = {
      resolve: async () => ({
        caller,
        id: "x",
        name: "Built-in scripted model (no network, for the demo)",
        provider: "scripted",
        defaultModel: null,
      }),
    };
    const started = await newRun(
      a.ctx(a.editor),
      { prompt: "p", version: 1, dataset: datasets.get(a.projectId)! },
      { ...direct, models: named },
    );
    expect(started.connectionName).toBe("Built-in scripted model (no network, for the demo)");
    await t.db.execute(sql`update eval_runs set status = 'cancelled', finished_at = now() where id = ${started.id}`);
  });

  it("a burst of requests at once creates no more runs than the limit", async () => {
    const limits = { maxActivePerProject: 3 };
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => run(a, undefined, limits)));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.map((r) => (r.reason as { code?: string }).code)).toEqual(Array(9).fill("rate_limited"));
    await t.db.execute(sql`update eval_runs set status = 'cancelled', finished_at = now() where status = 'queued'`);
  });

  it("one project's hanging runs cannot hold every worker: another project's run completes", async () => {
    const jobs = await queue({ maxRunningPerProject: 1, itemDeadlineMs: 3_600_000 });
    try {
      const hung1 = await run(a, enqueueWith(jobs));
      const hung2 = await run(a, enqueueWith(jobs));
      await waitFor("project A's first run to hang", async () => server.inFlight >= 1, 20_000);
      const other = await run(b, enqueueWith(jobs));
      await waitFor(
        "project B's run to complete",
        async () => (await getEvalRun(t.db, b.projectId, other.id)).status === "completed",
        30_000,
      );
      // A's second run waits for A's first: it was put back, not given the other worker.
      const states = [
        (await getEvalRun(t.db, a.projectId, hung1.id)).status,
        (await getEvalRun(t.db, a.projectId, hung2.id)).status,
      ];
      expect(states.sort()).toEqual(["queued", "running"]);
      await t.db.execute(sql`update eval_runs set cancel_requested = true where project_id = ${a.projectId}`);
    } finally {
      await jobs.stop({ graceful: true, timeoutMs: 500 });
    }
  }, 60_000);

  it("a model that never answers fails the item at the run-item deadline, and the run ends", async () => {
    await t.db.execute(
      sql`update eval_runs set status = 'cancelled', finished_at = now() where status in ('queued', 'running')`,
    );
    const jobs = await queue({ itemDeadlineMs: 1000 });
    try {
      const r = await run(a, enqueueWith(jobs));
      await waitFor(
        "the run to end",
        async () => !["queued", "running"].includes((await getEvalRun(t.db, a.projectId, r.id)).status),
        30_000,
      );
      // Every item failed, so the run did (a run whose every item errored is failed, not completed).
      expect(await getEvalRun(t.db, a.projectId, r.id)).toMatchObject({
        status: "failed",
        progress: { done: 2, total: 2 },
      });
      const items = await queryRows<{ error: string | null }>(
        t.db,
        sql`select error from eval_run_items where run_id = ${r.id}`,
      );
      expect(items.map((i) => i.error)).toEqual([
        expect.stringContaining("no answer within the run-item deadline (1 s)"),
        expect.stringContaining("no answer within the run-item deadline (1 s)"),
      ]);
    } finally {
      await jobs.stop({ graceful: true, timeoutMs: 500 });
    }
  }, 60_000);

  it("deleting a dataset removes its runs' queued jobs; an orphaned job ends at once instead of retrying", async () => {
    const f = await seedProject(t.db, "limits-c");
    await setup(f, "Fine: {{q}}");
    const jobs = await queue();
    await jobs.stop({ graceful: true, timeoutMs: 100 }); // queued, nobody working
    const sender = await queue();
    await sender.stop({ graceful: true, timeoutMs: 100 });
    const queued = await run(f, enqueueWith(sender));
    const jobRows = async () =>
      queryRows<{ state: string; retry_count: number }>(
        t.db,
        sql`select state::text, retry_count from pgboss.job where name = 'eval-run' and singleton_key = ${queued.id}`,
      );
    expect((await jobRows()).map((j) => j.state)).toEqual(["created"]);
    await deleteDataset(f.ctx(f.admin), datasets.get(f.projectId)!);
    expect(await jobRows()).toEqual([]);

    // A job whose run is gone anyway (deleted another way) completes without a retry.
    const g = await seedProject(t.db, "limits-d");
    await setup(g, "Fine: {{q}}");
    const worker = await queue();
    try {
      const orphan = await run(g, async () => {});
      await t.db.execute(sql`delete from eval_runs where id = ${orphan.id}`);
      await worker.send(evalRunJobRef, { runId: orphan.id }, { singletonKey: orphan.id });
      await waitFor(
        "the orphaned job to complete",
        async () =>
          (
            await queryRows<{ state: string }>(
              t.db,
              sql`select state::text from pgboss.job where name = 'eval-run' and singleton_key = ${orphan.id}`,
            )
          )[0]?.state === "completed",
        20_000,
      );
    } finally {
      await worker.stop({ graceful: true, timeoutMs: 500 });
    }
  }, 60_000);

  it("item pages carry a preview of long outputs and their length; the whole output is read on its own", async () => {
    const [item] = await queryRows<{ run_id: string; item_id: string; repetition: number }>(
      t.db,
      sql`select i.run_id, i.item_id, i.repetition from eval_run_items i join eval_runs r on r.id = i.run_id where r.project_id = ${b.projectId} limit 1`,
    );
    const long = "y".repeat(3_000_000);
    await t.db.execute(
      sql`update eval_run_items set output = ${long} where run_id = ${item!.run_id} and item_id = ${item!.item_id} and repetition = ${item!.repetition}`,
    );
    const page = await listEvalRunItems(t.db, b.projectId, item!.run_id, {}, { previewChars: 2000 });
    const shown = page.items.find((i) => i.itemId === item!.item_id)!;
    expect([shown.output?.length, shown.outputLength]).toEqual([2000, 3_000_000]);
    expect(JSON.stringify(page).length).toBeLessThan(20_000);
    expect(await runItemOutput(t.db, b.projectId, item!.run_id, item!.item_id, item!.repetition)).toBe(long);
    // Another project's run is not found.
    expect((await failure(runItemOutput(t.db, a.projectId, item!.run_id, item!.item_id, 0))).code).toBe("not_found");
  });
});
