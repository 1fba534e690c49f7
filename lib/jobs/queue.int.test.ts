// The job queue on the real database (PGlite by default; PostgreSQL with TEST_DATABASE_URL):
// restart and crash durability, two instances, retries with backoff, schedules, cron locks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { freezable, secondHandle, testLog, waitFor } from "../../test/jobs";
import type { Database } from "../../db/client";
import { z } from "zod";
import { declareJob, defineCron, defineJob, JobRegistry } from "./define";
import { startJobs, type JobQueue } from "./queue";
import { sqlDriver } from "./sql";

let t: TestDatabase;
let other: Database;
const open: JobQueue[] = [];
const fast = { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 };

async function start(database: Database, registry: JobRegistry, extra: Partial<Parameters<typeof startJobs>[0]> = {}) {
  const q = await startJobs({ database, registry, schedulerEnabled: false, log: testLog(), tuning: fast, ...extra });
  open.push(q);
  return q;
}

/** Waits (saying `what`) until the queue's job `id` is in `state`, and gives it back. */
const jobIn = (q: JobQueue, queue: string, id: string, state: string, what: string) =>
  waitFor(what, async () => {
    const j = await q.getJob(queue, id);
    return j?.state === state ? j : null;
  });

const sql = (text: string, values?: unknown[]) => sqlDriver(t).query<Record<string, unknown>>(text, values);
const effects = async (key: string) =>
  (await sql("select job_id, instance from test_effects where key = $1 order by at", [key])).rows as {
    job_id: string;
    instance: string;
  }[];

beforeAll(async () => {
  t = await createTestDatabase();
  other = await secondHandle(t);
  await sql(
    "create table test_effects (key text not null, job_id text not null, instance text not null, at timestamptz not null default clock_timestamp())",
  );
});

afterAll(async () => {
  for (const q of open) await q.stop({ graceful: false }).catch(() => {});
  if (other !== t) await other.close();
  await t.drop();
});

describe("durability", () => {
  it("a job interrupted by a graceful stop is handed back and completed once by the next instance", async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const durable = declareJob("durable", z.object({ n: z.number() }), { retryLimit: 3 });
    const first = new JobRegistry([
      defineJob(durable, async (_data, ctx) => {
        started();
        // The first instance never finishes: it gives up when the queue stops.
        await new Promise((_, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
      }),
    ]);
    const a = await start(t, first);
    const id = (await a.send(durable, { n: 1 }))!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await running;
    await a.stop({ graceful: true, timeoutMs: 300 });
    await waitFor(
      "the interrupted job to be handed back",
      async () => (await a.getJob("durable", id))?.state === "retry",
    );

    const second = new JobRegistry([
      defineJob(durable, async (_data, ctx) => {
        await sqlDriver(t).query("insert into test_effects (key, job_id, instance) values ('durable', $1, 'b')", [
          ctx.job.id,
        ]);
        return { done: true };
      }),
    ]);
    const b = await start(other, second);
    const done = await jobIn(b, "durable", id, "completed", "the job to complete on the second instance");
    expect(done.retryCount).toBe(1);
    expect(done.output).toEqual({ done: true });
    expect(await effects("durable")).toEqual([{ job_id: id, instance: "b" }]);
  });

  it("a job whose instance died mid-run (no stop at all) expires and is completed by another instance", async () => {
    const cut = freezable(sqlDriver(t));
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    let release!: () => void;
    const hang = new Promise<void>((r) => (release = r));
    const crashy = declareJob("crashy", z.object({}), { retryLimit: 2, expireInSeconds: 2 });
    const crashing = new JobRegistry([
      defineJob(crashy, async () => {
        started();
        await hang;
      }),
    ]);
    const a = await start(t, crashing, { driver: cut.driver });
    const id = (await a.send(crashy, {}))!;
    await running;
    cut.freeze(); // the process is gone: it will neither complete nor fail the job

    const survivor = new JobRegistry([
      defineJob(crashy, async (_d, ctx) => {
        await sqlDriver(t).query("insert into test_effects (key, job_id, instance) values ('crashy', $1, 'b')", [
          ctx.job.id,
        ]);
      }),
    ]);
    const b = await start(other, survivor);
    const done = await jobIn(b, "crashy", id, "completed", "the expired job to be completed by the survivor");
    expect(done.retryCount).toBe(1);
    expect(await effects("crashy")).toEqual([{ job_id: id, instance: "b" }]);
    cut.bury();
    release();
    await a.stop({ graceful: false });
  });
});

describe("two instances on one database", () => {
  it("never process the same job twice, each job exactly once", async () => {
    const shared = declareJob("shared", z.object({ i: z.number().int() }), { retryLimit: 0, concurrency: 3 });
    const reg = (instance: string, database: Database) =>
      new JobRegistry([
        defineJob(shared, async (_d, ctx) => {
          await sqlDriver(database).query(
            "insert into test_effects (key, job_id, instance) values ('shared', $1, $2)",
            [ctx.job.id, instance],
          );
          await new Promise((r) => setTimeout(r, 20));
        }),
      ]);
    // Register the queue first so jobs can be sent before any worker exists.
    const a = await start(t, reg("a", t), { workers: false });
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) ids.push((await a.send(shared, { i }))!);
    await a.stop();
    const [, y] = await Promise.all([start(t, reg("a", t)), start(other, reg("b", other))]);
    await waitFor("all 40 jobs to complete", async () => {
      const states = await Promise.all(ids.map((id) => y.getJob("shared", id)));
      return states.every((j) => j?.state === "completed");
    });
    const rows = await effects("shared");
    expect(rows.length).toBe(40);
    expect(new Set(rows.map((r) => r.job_id)).size).toBe(40);
    expect([...new Set(rows.map((r) => r.job_id))].sort()).toEqual([...ids].sort());
  });
});

describe("retries", () => {
  it("retries a failing job with exponential backoff until it succeeds", async () => {
    const attempts: Date[] = [];
    const flaky = declareJob("flaky", z.object({}), { retryLimit: 3, retryDelay: 1, retryBackoff: true });
    const reg = new JobRegistry([
      defineJob(flaky, async () => {
        const { rows } = await sqlDriver(t).query<{ now: Date }>("select clock_timestamp() as now");
        attempts.push(new Date(rows[0]!.now));
        if (attempts.length < 3) throw new Error(`attempt ${attempts.length} fails`);
      }),
    ]);
    const q = await start(t, reg);
    const id = (await q.send(flaky, {}))!;
    const done = await jobIn(q, "flaky", id, "completed", "the third attempt to succeed");
    expect(attempts.length).toBe(3);
    expect(done.retryCount).toBe(2);
    // pg-boss: retry n waits retryDelay × 2^n / 2 × (1 + random), i.e. at least 1 s, then at least 2 s.
    expect(attempts[1]!.getTime() - attempts[0]!.getTime()).toBeGreaterThanOrEqual(1000);
    expect(attempts[2]!.getTime() - attempts[1]!.getTime()).toBeGreaterThanOrEqual(2000);
  });

  it("gives up after retryLimit and records the error", async () => {
    const doomed = declareJob("doomed", z.object({}), { retryLimit: 1, retryDelay: 0 });
    const reg = new JobRegistry([defineJob(doomed, async () => Promise.reject(new Error("always broken")))]);
    const q = await start(t, reg);
    const id = (await q.send(doomed, {}))!;
    const failed = await jobIn(q, "doomed", id, "failed", "the job to fail for good");
    expect(failed.retryCount).toBe(1);
    expect(JSON.stringify(failed.output)).toContain("always broken");
  });

  it("refuses to send to a queue nobody defined", async () => {
    const q = await start(t, new JobRegistry());
    await expect(q.send(declareJob("nobody", z.object({})), {})).rejects.toThrow(/no job queue named nobody/);
  });
});

describe("typed job data", () => {
  const strict = declareJob("strict", z.object({ runId: z.uuid(), attempt: z.number().int().min(1) }), {
    retryLimit: 3,
    retryDelay: 0,
  });

  it("refuses to queue data that does not match the job's schema, naming the job", async () => {
    const handled: unknown[] = [];
    const q = await start(t, new JobRegistry([defineJob(strict, async (d) => void handled.push(d))]), {
      workers: false,
    });
    const refused = q.send(strict, { runId: "not-a-uuid", attempt: 0 });
    await expect(refused).rejects.toMatchObject({ code: "invalid_input", details: { job: "strict" } });
    await expect(refused).rejects.toThrow(
      "Job strict refused its data: runId: Invalid UUID; attempt: Too small: expected number to be >=1",
    );
    // @ts-expect-error -- a field the schema does not have, and one missing: refused by the type too
    await expect(q.send(strict, { run: "x" })).rejects.toMatchObject({ code: "invalid_input" });
    expect((await sql("select count(*)::int as n from pgboss.job where name = 'strict'")).rows).toEqual([{ n: 0 }]);
    expect(handled).toEqual([]);
  });

  it("a queued row whose data does not parse is failed at once, logged, and never retried", async () => {
    const handled: unknown[] = [];
    const log = testLog();
    // Older code (or a hand-written row) queued data the job's schema no longer accepts.
    const legacy = declareJob("strict", z.object({}).loose());
    const q = await start(t, new JobRegistry([defineJob(strict, async (d) => void handled.push(d))]), { log });
    const bad = (await q.send(legacy, { runId: 42 }))!;
    const good = (await q.send(strict, { runId: "1d7c8f0e-2a4b-4c6d-8e0f-123456789abc", attempt: 2 }))!;
    const failed = await jobIn(q, "strict", bad, "failed", "the malformed job to fail");
    expect(failed.retryCount).toBe(0);
    expect(JSON.stringify(failed.output)).toContain("does not match its schema");
    await waitFor(
      "the well-formed job to complete",
      async () => (await q.getJob("strict", good))?.state === "completed",
    );
    // The handler saw only parsed data; the malformed row never reached it.
    expect(handled).toEqual([{ runId: "1d7c8f0e-2a4b-4c6d-8e0f-123456789abc", attempt: 2 }]);
    expect(log.lines.filter((l) => l.startsWith("error ") && l.includes(bad))).toHaveLength(1);
  });
});

describe("schedules and cron jobs", () => {
  it("pg-boss's scheduler fires a cron job registered with a schedule", async () => {
    // "* * * * *": the current minute's slot is due at once, so this does not wait for a minute boundary.
    const fired: string[] = [];
    const reg = new JobRegistry([
      defineCron("tick", async ({ params }) => (fired.push(JSON.stringify(params)), { ticked: true })),
    ]);
    const q = await start(t, reg, {
      schedulerEnabled: true,
      tuning: { ...fast, cronMonitorIntervalSeconds: 1, cronWorkerIntervalSeconds: 1 },
    });
    await waitFor("the scheduled tick", () => fired.length > 0);
    const { rows } = await sql("select name, cron, timezone from pgboss.schedule where name = 'cron.tick'");
    expect(rows).toEqual([{ name: "cron.tick", cron: "* * * * *", timezone: "UTC" }]);
    await q.stop();
    // With the scheduler off, the schedule is removed from the database.
    await start(t, reg, { schedulerEnabled: false, workers: false });
    expect((await sql("select name from pgboss.schedule where name = 'cron.tick'")).rows).toEqual([]);
  });

  it("a cron run holds a lock: a concurrent run anywhere is skipped, and runs again once released", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    let runs = 0;
    const reg = new JobRegistry([
      defineCron("exclusive", async () => {
        runs++;
        entered();
        await gate;
        return { runs };
      }),
    ]);
    const a = await start(t, reg, { workers: false });
    const b = await start(other, reg, { workers: false });
    const first = a.runCron("exclusive");
    await inside;
    const concurrent = await Promise.all([b.runCron("exclusive"), a.runCron("exclusive")]);
    for (const c of concurrent) expect(c).toMatchObject({ job: "exclusive", ran: false, skipped: "locked" });
    release();
    expect(await first).toMatchObject({ job: "exclusive", ran: true, result: { runs: 1 } });
    expect(await b.runCron("exclusive")).toMatchObject({ ran: true, result: { runs: 2 } });
  });
});
