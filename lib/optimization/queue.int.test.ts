// The optimizer's queue, bounded and with an exit (docs/decisions/bounded-work.md), against a real database (PGlite, or
// PostgreSQL with TEST_DATABASE_URL) and the local model server: at most N queued or running per project
// (429 naming the setting), a server-wide ceiling on a budget, fair turns across projects, cancel (a queued
// one at once; a running one's calls in flight aborted), and a search that finds nothing saying so.
// Over 300 lines: those rules share one fixture (two projects, their datasets and a scripted model server).
import { and, eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { auditLog, optimizations } from "../../db/schema";
import { getDatasetRow } from "../evaluation/datasets";
import { itemsAtVersion } from "../evaluation/datasets/item-reads";
import { AppError } from "../errors";
import { createScorerModels } from "../scorers";
import { type TestDatabase } from "../../test/db";
import { failure, projectDatabaseForFile, seedProject, type Fixture } from "../../test/domain-fixtures";
import { localCaller } from "../../test/llm-caller";
import { startLlmServer, type LlmServer } from "../../test/llm-server";
import { claimOptimization } from "./claim";
import { OPTIMIZATION_JOB } from "./job-name";
import { splitItems } from "./split";
import {
  cancelOptimization,
  createOptimization,
  executeOptimization,
  getOptimization,
  type OptimizationDeps,
  type OptimizationStart,
} from ".";
import { supportEval } from "./optimization.fixture";

let t: TestDatabase;
let a: Fixture;
let b: Fixture;
let server: LlmServer;
let deps: OptimizationDeps;

const questions = Array.from({ length: 12 }, (_, i) => `item-${String(i).padStart(2, "0")}.`);
const script = {
  rules: [
    { match: "New Value", text: "newValue: Good: {{question}}" },
    { match: "Feedback Summary", text: "feedbackSummary: Answers must say good answer." },
    { match: "Good:", text: "good answer" },
  ],
  default: { text: "bad answer" },
};

const seed = (f: Fixture) =>
  supportEval(
    f,
    questions.map((q) => `${q},good answer`),
  );

projectDatabaseForFile(
  "queue-a",
  async (db, fx) => {
    t = db;
    a = fx;
    b = await seedProject(t.db, "queue-b");
    await seed(a);
    await seed(b);
    server = await startLlmServer({ script });
    const caller = localCaller(server, { maxRetries: 0 });
    deps = { modelsFor: () => createScorerModels(() => caller), cancelPollMs: 50 };
  },
  () => server.stop(),
);
beforeEach(async () => {
  server.reset();
  server.script(script);
  // Each test starts with no optimization waiting or running (a test's leftovers would take the turns).
  await t.db
    .update(optimizations)
    .set({ status: "cancelled", finishedAt: new Date(), cancelledBy: "test" })
    .where(sql`${optimizations.status} in ('queued', 'running')`);
});

const limits = { maxActivePerProject: 2, maxBudget: { calls: 500, costUsd: 20 } };
const queued: OptimizationStart = { enqueue: async () => {}, limits, models: null };
const start = (f: Fixture, budget = { calls: 200, costUsd: 10 }, s: OptimizationStart = queued) =>
  createOptimization(
    f.ctx(f.editor),
    {
      prompt: "support",
      version: 1,
      dataset: "support-eval",
      scorers: [{ type: "exact_match" }],
      budget,
      heldOutShare: 0.34,
    },
    s,
  );
const statusOf = async (id: string) =>
  (await t.db.select({ s: optimizations.status }).from(optimizations).where(eq(optimizations.id, id)))[0]!.s;

describe("the project's limit and the server's ceiling", () => {
  it("refuses one more than the project's limit with 429 naming the setting; other projects are not held", async () => {
    await start(a);
    await start(a);
    const over = await failure(start(a));
    expect(over.code).toBe("rate_limited");
    expect(over.message).toContain("already has 2 optimizations queued or running");
    expect(over.message).toContain("LECTERN_OPTIMIZATIONS_ACTIVE_PER_PROJECT");
    expect(over.details).toMatchObject({ limit: 2, retryAfterSeconds: 60 });
    // Another project has its own room.
    expect((await start(b)).status).toBe("queued");
    // A cancelled one frees its place.
    const [first] = await t.db.select().from(optimizations).where(eq(optimizations.projectId, a.projectId)).limit(1);
    await cancelOptimization(a.ctx(a.editor), first!.id);
    expect((await start(a)).status).toBe("queued");
  });

  it("refuses a budget past the server's ceiling, naming the field and the setting, and writes nothing", async () => {
    const before = (await t.db.select().from(optimizations)).length;
    const calls = await failure(start(a, { calls: 501, costUsd: 1 }));
    expect([calls.code, calls.details?.field]).toEqual(["unprocessable", "budget.calls"]);
    expect(calls.message).toContain("LECTERN_OPTIMIZATION_MAX_CALLS");
    const cost = await failure(start(a, { calls: 200, costUsd: 20.5 }));
    expect([cost.code, cost.details?.field]).toEqual(["unprocessable", "budget.costUsd"]);
    expect(cost.message).toContain("LECTERN_OPTIMIZATION_MAX_COST_USD");
    expect((await t.db.select().from(optimizations)).length).toBe(before);
  });

  it("refuses an optimization whose model calls have nowhere to go, where it is started", async () => {
    const nowhere: OptimizationStart = {
      ...queued,
      models: {
        resolve: async () => {
          throw new AppError("unavailable", "No model connection: add one in Settings → Model connections.");
        },
      },
    };
    const e = await failure(start(a, undefined, nowhere));
    expect([e.code, e.details?.field]).toEqual(["unprocessable", "connection"]);
    expect(e.message).toContain("No model connection");
  });
});

describe("fair turns across projects", () => {
  it("one worker taking jobs in arrival order runs another project's optimization after one turn, not after the queue", async () => {
    const unlimited = { ...queued, limits: { ...limits, maxActivePerProject: 10 } };
    const a1 = await start(a, undefined, unlimited);
    const a2 = await start(a, undefined, unlimited);
    const a3 = await start(a, undefined, unlimited);
    const b1 = await start(b, undefined, unlimited);
    // The queue, as pg-boss hands it out: arrival order; a deferred job goes to the back.
    const jobs = [a1.id, a2.id, a3.id, b1.id];
    const ran: string[] = [];
    for (let guard = 0; jobs.length && guard < 40; guard++) {
      const id = jobs.shift()!;
      const claim = await claimOptimization(t.db, id, 1);
      if (claim.kind === "deferred") {
        jobs.push(id);
        continue;
      }
      expect(claim.kind).toBe("claimed");
      ran.push(id);
      // The worker's run: it ends before the worker takes the next job.
      await t.db
        .update(optimizations)
        .set({ status: "failed", error: "test", finishedAt: new Date() })
        .where(eq(optimizations.id, id));
    }
    expect(ran).toEqual([a1.id, b1.id, a2.id, a3.id]);
  });

  it("another project's optimization left queued without a job holds nobody's turn once it is a minute old", async () => {
    const unlimited = { ...queued, limits: { ...limits, maxActivePerProject: 10 } };
    // The queue's table as pg-boss keeps it (only the columns the claim reads): this database runs no queue.
    await t.db.execute(sql`create schema if not exists pgboss`);
    await t.db.execute(sql`create table if not exists pgboss.job (name text, singleton_key text, state text)`);
    try {
      // Project a has run one before; project b never has, so b's turn comes first while its optimization waits.
      const a1 = await start(a, undefined, unlimited);
      expect((await claimOptimization(t.db, a1.id, 1)).kind).toBe("claimed");
      await t.db
        .update(optimizations)
        .set({ status: "failed", finishedAt: new Date() })
        .where(eq(optimizations.id, a1.id));
      const b1 = await start(b, undefined, unlimited);
      const a2 = await start(a, undefined, unlimited);
      // Young, b1 may still be on its way to the queue: a2 waits its turn.
      const young = await claimOptimization(t.db, a2.id, 1);
      expect(young.kind === "deferred" && young.why).toBe("turn");
      // Old, with its job in the queue: still b's turn.
      await t.db
        .update(optimizations)
        .set({ createdAt: new Date(Date.now() - 120_000) })
        .where(eq(optimizations.id, b1.id));
      await t.db.execute(sql`insert into pgboss.job values (${OPTIMIZATION_JOB}, ${b1.id}, 'created')`);
      expect((await claimOptimization(t.db, a2.id, 1)).kind).toBe("deferred");
      // Old, with no job (stranded until the sweep sends it again): a2 runs.
      await t.db.execute(sql`delete from pgboss.job`);
      expect((await claimOptimization(t.db, a2.id, 1)).kind).toBe("claimed");
      await t.db
        .update(optimizations)
        .set({ status: "failed", finishedAt: new Date() })
        .where(eq(optimizations.id, a2.id));
      await t.db
        .update(optimizations)
        .set({ status: "failed", finishedAt: new Date() })
        .where(eq(optimizations.id, b1.id));
    } finally {
      await t.db.execute(sql`drop schema pgboss cascade`);
    }
  });

  it("a project at its share of running optimizations waits, whatever the order, and two claims at once take one place", async () => {
    const unlimited = { ...queued, limits: { ...limits, maxActivePerProject: 10 } };
    const [x, y] = [await start(a, undefined, unlimited), await start(a, undefined, unlimited)];
    const claims = await Promise.all([claimOptimization(t.db, x.id, 1), claimOptimization(t.db, y.id, 1)]);
    expect(claims.map((c) => c.kind).sort()).toEqual(["claimed", "deferred"]);
    const deferred = claims.find((c) => c.kind === "deferred")!;
    expect(deferred.kind === "deferred" && deferred.why).toBe("project_limit");
    // executeOptimization says so too, and leaves it queued for its job to come back.
    const waiting = deferred.kind === "deferred" ? deferred.row.id : "";
    expect(await executeOptimization(t.db, waiting, { ...deps, maxRunningPerProject: 1 })).toEqual({
      status: "queued",
      deferred: true,
    });
    expect(await statusOf(waiting)).toBe("queued");
  });
});

describe("cancel", () => {
  it("cancels a queued one at once, with who and why in the answer and the audit log; 409 after", async () => {
    const o = await start(a);
    const long = await failure(cancelOptimization(a.ctx(a.editor), o.id, { reason: "x".repeat(501) }));
    expect([long.code, long.details?.field]).toEqual(["unprocessable", "reason"]);
    // Another project's optimization is not found, not cancelled.
    expect((await failure(cancelOptimization(b.ctx(b.editor), o.id))).code).toBe("not_found");
    const done = await cancelOptimization(a.ctx(a.editor), o.id, { reason: "wrong dataset" });
    expect(done).toMatchObject({
      status: "cancelled",
      outcome: null,
      cancelled: { by: a.editor.label, reason: "wrong dataset" },
    });
    expect(done.finishedAt).not.toBeNull();
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "optimization.cancel"), eq(auditLog.objectId, o.id)));
    expect(audit?.after).toMatchObject({ status: "cancelled", reason: "wrong dataset" });
    const again = await failure(cancelOptimization(a.ctx(a.editor), o.id));
    expect([again.code, again.details?.status]).toEqual(["conflict", "cancelled"]);
    expect(again.message).toContain("already been cancelled");
    // Its job, when it comes, finds nothing to do.
    expect(await executeOptimization(t.db, o.id, deps)).toEqual({ status: "cancelled" });
    expect(server.requests).toHaveLength(0);
  });

  it("cancels a running one: its calls in flight are aborted, what was spent is counted, and no draft is made", async () => {
    // Every answer waits until released: the first call is in flight when the cancel comes.
    server.script({ ...script, rules: [{ match: "", text: "bad answer", hold: true }] });
    const o = await start(a);
    const running = executeOptimization(t.db, o.id, deps);
    for (let i = 0; i < 400 && server.inFlight === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.inFlight).toBeGreaterThan(0);
    expect(await statusOf(o.id)).toBe("running");
    const cancelled = await cancelOptimization(a.ctx(a.editor), o.id, { reason: "taking too long" });
    expect(cancelled.status).toBe("cancelled");
    // The job ends on its own, without the held answers ever being released: they were aborted.
    expect(await running).toEqual({ status: "cancelled" });
    for (let i = 0; i < 200 && server.inFlight > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(server.inFlight).toBe(0);
    const after = await getOptimization(t.db, a.projectId, o.id);
    expect(after).toMatchObject({ status: "cancelled", cancelled: { reason: "taking too long" } });
    expect(after.draft).toBeUndefined();
    // The aborted calls reached the model: they count.
    expect(after.calls).toBe(server.requests.length);
    expect(after.calls).toBeGreaterThan(0);
    server.release();
  });
});

describe("when the search finds nothing", () => {
  it("ends with outcome no_improvement and no draft, and says why", async () => {
    // Every instruction the reflection proposes drops the {{question}} tag, so none can be used: the best
    // candidate is the starting version itself, and it is not compared with itself.
    server.script({
      ...script,
      rules: [{ match: "New Value", text: "newValue: Just answer." }, ...script.rules.slice(1)],
    });
    const drafts = async () => (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from drafts`))[0]!.n;
    const before = await drafts();
    const o = await start(a);
    expect(await executeOptimization(t.db, o.id, deps)).toEqual({ status: "completed" });
    const done = await getOptimization(t.db, a.projectId, o.id);
    expect(done).toMatchObject({ status: "completed", outcome: "no_improvement", stage: "done" });
    expect(done.draft).toBeUndefined();
    expect(done.noImprovement).toContain("found no instruction or examples that scored better");
    expect(done.comparison).toBeUndefined();
    expect(done.calls).toBe(server.requests.length);
    expect(await drafts()).toBe(before);
    const [audit] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "optimization.complete"), eq(auditLog.objectId, o.id)));
    expect(audit?.after).toMatchObject({ outcome: "no_improvement" });
  });

  it("a candidate better on the train items but not on the held-out ones: compared, no_improvement, no draft", async () => {
    // "Good: …" answers well on train items only: on the held-out items it answers as badly as the start.
    const heldOut = await heldOutQuestions();
    server.script({
      ...script,
      rules: [
        ...script.rules.slice(0, 2),
        ...heldOut.map((q) => ({ match: `Good: ${q}`, text: "bad answer" })),
        script.rules[2]!,
      ],
    });
    const o = await start(a);
    expect(await executeOptimization(t.db, o.id, deps)).toEqual({ status: "completed" });
    const done = await getOptimization(t.db, a.projectId, o.id);
    expect(done.best?.index).toBe(1);
    expect(done.comparison).toMatchObject({ items: heldOut.length, overall: { direction: "same" } });
    expect(done).toMatchObject({ outcome: "no_improvement" });
    expect(done.draft).toBeUndefined();
    expect(done.noImprovement).toContain("not significantly better than version 1 on the held-out items");
    // No draft was made: the verdict speaks of the best candidate, not of a draft.
    expect(done.comparison!.verdict).toContain("between the best candidate and version 1");
  });
});

/** The held-out side of the split these tests' optimizations use (seed 44, share 0.34). */
async function heldOutQuestions() {
  const ds = await getDatasetRow(t.db, a.projectId, "support-eval");
  const items = await itemsAtVersion(t.db, ds.id, ds.currentVersion);
  return splitItems(items, 44, 0.34).heldOut.map((i) => String((i.input as { question: string }).question));
}
