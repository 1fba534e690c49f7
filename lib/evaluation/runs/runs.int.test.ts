// Evaluation runs against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) and the local
// model server: a run end to end, one killed mid-way that resumes through the job queue without
// scoring anything twice, cancellation, comparison, the gate on promotion, and auto-promote.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { autoRollbacks, deployments } from "../../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { testLog, waitFor } from "../../../test/jobs";
import { failure, liveVersion, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { localCaller } from "../../../test/llm-caller";
import { startLlmServer, type LlmServer } from "../../../test/llm-server";
import { JobRegistry, startJobs } from "../../jobs";
import { randomBytes } from "node:crypto";
import { createConnection } from "../../llm/connections";
import { createPrompt, getPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { autoPromote } from "../../release/auto-promote";
import { noEvents } from "../../release/events";
import { promote } from "../../release/promote";
import { getEnvironment, updateEnvironmentRules } from "../../release/environments";
import { createDataset, importItems, updateDataset } from "../datasets";
import {
  cancelRun,
  compareRuns,
  createRun,
  enqueueWith,
  evalRunJob,
  executeRun,
  getRun,
  listRunItems,
  versionScores,
  type RunDeps,
} from ".";

let t: TestDatabase;
let f: Fixture;
let server: LlmServer;
let deps: RunDeps;
let datasetId: string;

// v1 answers well, v2 badly, v3 well, v4 well except on q9 (score 0.9).
const script = {
  rules: [
    { match: "Bad:", text: "no idea" },
    { regex: "Partial: q9\\b", text: "no idea" },
  ],
  default: { text: "good answer", usage: { input: 10, output: 5 } },
};

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "runs");
  server = await startLlmServer({ script });
  const caller = localCaller(server, { concurrency: 16, maxRetries: 0 });
  deps = { modelsFor: () => () => caller, cancelPollMs: 50 };
  const ctx = f.ctx(f.editor);
  const config = { model: "scripted-model" };
  await createPrompt(ctx, {
    name: "support",
    type: "text",
    template: "Good: {{question}}",
    variables: [{ name: "question" }],
    config,
  });
  await createVersion(ctx, "support", { template: "Bad: {{question}}", variables: [{ name: "question" }], config });
  await createVersion(ctx, "support", {
    template: "Good again: {{question}}",
    variables: [{ name: "question" }],
    config,
  });
  await createVersion(ctx, "support", { template: "Partial: {{question}}", variables: [{ name: "question" }], config });
  await createVersion(ctx, "support", { template: "Good v5: {{question}}", variables: [{ name: "question" }], config });
  const ds = await createDataset(ctx, { name: "support-eval", prompt: "support" });
  datasetId = ds.id;
  const rows = Array.from({ length: 10 }, (_, i) => `q${i},good answer,${i % 2 ? "odd" : "even"}`);
  await importItems(ctx, ds.id, "csv", `question,expected,tags\n${rows.join("\n")}\n`);
  // Tied to "support" for typing its CSV cells; untied so that the gates below apply to every prompt
  // of the project (a dataset tied to one prompt gates that prompt only).
  await updateDataset(f.ctx(f.admin), ds.id, { prompt: null });
});
afterAll(async () => {
  await server.stop();
  await t.drop();
});

const exact = [{ type: "exact_match" }, { type: "length", min: 1, weight: 0 }];
const run = async (version: number, extra: Record<string, unknown> = {}) => {
  const r = await createRun(f.ctx(f.editor), {
    prompt: "support",
    version,
    dataset: datasetId,
    scorers: exact,
    concurrency: 4,
    ...extra,
  });
  await executeRun(t.db, r.id, deps);
  return getRun(t.db, f.projectId, r.id);
};
const itemCount = async (runId: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from eval_run_items where run_id = ${runId}`))[0]!
    .n;

describe("evaluation runs", () => {
  it("refuses bad input naming the field and writes nothing", async () => {
    const ctx = f.ctx(f.editor);
    expect((await failure(createRun(ctx, { prompt: "support", version: 99, dataset: datasetId }))).code).toBe(
      "not_found",
    );
    expect((await failure(createRun(ctx, { prompt: "support", version: 1, dataset: "nope" }))).code).toBe("not_found");
    const bad = await failure(
      createRun(ctx, {
        prompt: "support",
        version: 1,
        dataset: datasetId,
        scorers: [{ type: "regex", pattern: "(?=a)b" }],
      }),
    );
    expect(bad.code).toBe("unprocessable");
    expect(bad.message).toContain("scorers[0]");
    // Connections are this project's only: another project's id (or name) is not one.
    const other = await seedProject(t.db, `runs-other-${Date.now()}`);
    const theirs = await createConnection(
      t.db,
      other.admin,
      other.projectId,
      { name: "Their key", provider: "openai", apiKey: "sk-theirs-0001" },
      randomBytes(32),
    );
    for (const [field, extra] of [
      ["connection", { connection: theirs.id }],
      ["scorers.0.connection", { scorers: [{ type: "llm_judge", rubric: "ok?", model: "m", connection: theirs.id }] }],
    ] as const) {
      const e = await failure(createRun(ctx, { prompt: "support", version: 1, dataset: datasetId, ...extra }));
      expect([e.code, e.details?.field]).toEqual(["unprocessable", field]);
    }
    expect(
      (await failure(createRun(ctx, { prompt: "support", version: 1, dataset: datasetId, concurrency: 500 }))).details!
        .field,
    ).toBe("concurrency");
    expect(
      (await failure(createRun(f.ctx(f.viewer), { prompt: "support", version: 1, dataset: datasetId }))).code,
    ).toBe("forbidden");
    expect((await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from eval_runs`))[0]!.n).toBe(0);
  });

  it("runs end to end through real model calls: scores, per-scorer and per-tag breakdowns, cost and tokens", async () => {
    const r = await run(1, { repetitions: 2 });
    expect(r).toMatchObject({
      status: "completed",
      progress: { done: 20, total: 20 },
      score: 1,
      passRate: 1,
      scores: { exact_match: 1, length: 1 },
      tokens: { input: 200, output: 100 },
    });
    // testPrices: 2 $/MTok in, 8 $/MTok out.
    expect(r.costUsd).toBeCloseTo((20 * (10 * 2 + 5 * 8)) / 1e6, 10);
    expect(r.summary!.byTag).toMatchObject({ odd: { score: 1, items: 10 }, even: { score: 1, items: 10 } });
    const page = await listRunItems(t.db, f.projectId, r.id, { limit: 3 });
    expect(page.total).toBe(20);
    expect(page.items[0]).toMatchObject({
      input: { question: "q0" },
      expected: "good answer",
      output: "good answer",
      score: 1,
      passed: true,
      repetition: 0,
    });
    expect((page.items[0]!.scores as { name: string; reason: string }[]).map((s) => s.name)).toEqual([
      "exact_match",
      "length",
    ]);
    const bad = await run(2);
    expect(bad).toMatchObject({ status: "completed", score: 0, passRate: 0 });
    expect((await listRunItems(t.db, f.projectId, bad.id, { failed: true })).total).toBe(10);
    // Each finished run is audited once as evaluation.complete (the evaluation.completed webhook's data).
    const audited = await queryRows<{ object_id: string; after: Record<string, unknown> }>(
      t.db,
      sql`select object_id, after from audit_log where action = 'evaluation.complete' and object_id in (${r.id}, ${bad.id}) order by id`,
    );
    expect(audited.map((a) => a.object_id)).toEqual([r.id, bad.id]);
    expect(audited[1]!.after).toMatchObject({ runId: bad.id, version: 2, status: "completed", score: 0 });
  });

  it("compares two runs on the same dataset version, with a regression filter", async () => {
    const [a] = (await versionScores(t.db, (await getPrompt(t.db, f.projectId, "support")).id)).filter(
      (s) => s.version === 1,
    );
    const b = await run(4);
    expect(b.score).toBeCloseTo(0.9);
    const cmp = await compareRuns(t.db, f.projectId, { a: a!.run, b: b.id, regressions: true });
    expect(cmp.regressions).toBe(1);
    expect(cmp.items).toHaveLength(1);
    expect(cmp.items[0]).toMatchObject({
      input: { question: "q9" },
      a: { output: "good answer", score: 1 },
      b: { output: "no idea", score: 0 },
      delta: -1,
      regression: true,
    });
    expect(cmp.delta).toBeCloseTo(-0.1);
  });

  it("cancels a running run: the calls in flight are aborted and nothing more is written", async () => {
    server.script({ ...script, rules: [{ match: "Good v5", hold: true, text: "good answer" }] });
    const r = await createRun(f.ctx(f.editor), {
      prompt: "support",
      version: 5,
      dataset: datasetId,
      scorers: exact,
      concurrency: 2,
    });
    const done = executeRun(t.db, r.id, deps);
    await waitFor("calls in flight", () => server.inFlight === 2);
    const c = await cancelRun(f.ctx(f.editor), r.id);
    expect(c.cancelRequested).toBe(true);
    expect((await done).status).toBe("cancelled");
    const after = await getRun(t.db, f.projectId, r.id);
    expect(after).toMatchObject({ status: "cancelled", progress: { done: 0, total: 10 } });
    expect(after.finishedAt).not.toBeNull();
    expect(await itemCount(r.id)).toBe(0);
    expect((await failure(cancelRun(f.ctx(f.editor), r.id))).code).toBe("conflict");
    server.release();
    server.script(script);
    // A queued run is cancelled at once and its job does nothing.
    const q = await createRun(f.ctx(f.editor), { prompt: "support", version: 5, dataset: datasetId, scorers: exact });
    expect((await cancelRun(f.ctx(f.editor), q.id)).status).toBe("cancelled");
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
    const r = await createRun(
      f.ctx(f.editor),
      { prompt: "support", version: 3, dataset: datasetId, scorers: exact, concurrency: 1, repetitions: 2 },
      enqueueWith(a),
    );
    await waitFor("a few items scored", async () => (await getRun(t.db, f.projectId, r.id)).progress.done >= 4, 30_000);
    await a.stop({ graceful: true, timeoutMs: 50 });
    const mid = await getRun(t.db, f.projectId, r.id);
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
        async () => (await getRun(t.db, f.projectId, r.id)).status === "completed",
        60_000,
      );
    } finally {
      await b.stop({ graceful: true, timeoutMs: 1000 });
    }
    const end = await getRun(t.db, f.projectId, r.id);
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

describe("the evaluation gate and auto-promote", () => {
  it("refuses a promotion without a passing run, then allows it", async () => {
    const admin = f.ctx(f.admin);
    await updateEnvironmentRules(admin, "production", {
      evaluationGate: { dataset: "support-eval", minScore: 0.8, maxDrop: 0.05, scorers: exact },
    });
    // Nothing live yet; version 2 scored 0.
    const low = await failure(promote(f.ctx(f.approver), "support", { environment: "production", version: 2 }));
    expect(low.code).toBe("gate_failed");
    expect(low.status).toBe(409);
    expect(low.details).toMatchObject({ score: 0, minScore: 0.8, maxDrop: 0.05, baseline: null });
    expect(low.details!.run).toEqual(expect.any(String));
    // Version 1 scored 1: allowed.
    await promote(f.ctx(f.approver), "support", { environment: "production", version: 1 });
    expect(await liveVersion(t.db, f, "support", "production")).toBe(1);
    // Version 4 scored 0.9 ≥ 0.8, but 0.1 below live version 1.
    const drop = await failure(promote(f.ctx(f.approver), "support", { environment: "production", version: 4 }));
    expect(drop.code).toBe("gate_failed");
    expect(drop.details).toMatchObject({ baseline: { version: 1, score: 1 }, maxDrop: 0.05 });
    expect(drop.details!.drop).toBeCloseTo(0.1);
    // Version 5 has no completed run (its run was cancelled).
    const none = await failure(promote(f.ctx(f.approver), "support", { environment: "production", version: 5 }));
    expect(none.details).toMatchObject({ run: null, reason: expect.stringContaining("no completed evaluation run") });
    // Version 3 completed with 1.
    await promote(f.ctx(f.approver), "support", { environment: "production", version: 3 });
    expect(await liveVersion(t.db, f, "support", "production")).toBe(3);
  });

  it("auto-promotes a version whose run passes, through the release log, never one rolled back automatically", async () => {
    const admin = f.ctx(f.admin);
    await updateEnvironmentRules(admin, "staging", {
      evaluationGate: { dataset: datasetId, minScore: 0.5, maxDrop: 1, scorers: exact },
      autoPromote: { minScore: 0.95 },
    });
    const staging = await getEnvironment(t.db, f.projectId, "staging");
    const prompt = await getPrompt(t.db, f.projectId, "support");
    const withAuto: RunDeps = { ...deps, onCompleted: (db, r) => autoPromote(db, r, noEvents) };

    // 0.9 is below the auto-promote threshold.
    const partial = await createRun(f.ctx(f.editor), {
      prompt: "support",
      version: 4,
      dataset: datasetId,
      scorers: exact,
    });
    await executeRun(t.db, partial.id, withAuto);
    expect(await liveVersion(t.db, f, "support", "staging")).toBeUndefined();

    const good = await createRun(f.ctx(f.editor), {
      prompt: "support",
      version: 1,
      dataset: datasetId,
      scorers: exact,
    });
    await executeRun(t.db, good.id, withAuto);
    expect(await liveVersion(t.db, f, "support", "staging")).toBe(1);
    const [d] = await t.db
      .select()
      .from(deployments)
      .where(and(eq(deployments.promptId, prompt.id), eq(deployments.environmentId, staging.id)));
    expect(d).toMatchObject({ action: "auto_promote", version: 1, actorLabel: "auto-promote" });
    expect(d!.reason).toContain(good.id);

    // Version 3 was rolled back automatically in staging once: its passing run does not promote it.
    await t.db.insert(autoRollbacks).values({
      promptId: prompt.id,
      environmentId: staging.id,
      version: 3,
      toVersion: 1,
      deploymentId: d!.id,
      reason: "test",
    });
    const rolled = await createRun(f.ctx(f.editor), {
      prompt: "support",
      version: 3,
      dataset: datasetId,
      scorers: exact,
    });
    await executeRun(t.db, rolled.id, deps);
    const decisions = await autoPromote(
      t.db,
      (await t.db.query.evalRuns.findFirst({ where: (r, { eq: e }) => e(r.id, rolled.id) }))!,
      noEvents,
    );
    expect(decisions).toEqual([
      { environment: "staging", action: "skipped", reason: expect.stringContaining("rolled back automatically") },
    ]);
    expect(await liveVersion(t.db, f, "support", "staging")).toBe(1);
  });

  it("counts for a gate and auto-promotes only runs made with the gate's own scorers", async () => {
    // Issue 22, 3: an editor started a run on the gate dataset with a scorer of their choosing
    // ({"type": "length", "max": 1000000} scores every answer 1) and auto-promote trusted it.
    const admin = f.ctx(f.admin);
    const config = { model: "scripted-model" };
    const variables = [{ name: "question" }];
    await createPrompt(admin, { name: "rigged", type: "text", template: "Answer {{question}}", variables, config });
    await createVersion(admin, "rigged", { template: "Say nothing about {{question}}", variables, config });
    await updateEnvironmentRules(admin, "development", {
      evaluationGate: { dataset: datasetId, minScore: 0.5, maxDrop: 1, scorers: exact },
      autoPromote: { minScore: 0.9 },
    });
    const withAuto: RunDeps = { ...deps, onCompleted: (db, r) => autoPromote(db, r, noEvents) };
    const chosen = await createRun(f.ctx(f.editor), {
      prompt: "rigged",
      version: 2,
      dataset: datasetId,
      scorers: [{ type: "length", max: 1_000_000 }],
    });
    await executeRun(t.db, chosen.id, withAuto);
    expect((await getRun(t.db, f.projectId, chosen.id)).score).toBe(1);
    expect(await liveVersion(t.db, f, "rigged", "development")).toBeUndefined();
    const refused = await failure(promote(f.ctx(f.editor), "rigged", { environment: "development", version: 2 }));
    expect(refused).toMatchObject({ code: "gate_failed" });
    expect(refused.message).toContain("other scorers than the gate's");
    // A run for the gate (its dataset, items and scorers) is the one that counts.
    const forGate = await createRun(f.ctx(f.editor), { prompt: "rigged", version: 2, gate: "development" });
    expect(forGate.scorers).toEqual((await getEnvironment(t.db, f.projectId, "development")).gateScorers);
    await expect(
      createRun(f.ctx(f.editor), { prompt: "rigged", version: 2, gate: "development", scorers: exact }),
    ).rejects.toMatchObject({ code: "unprocessable", details: { field: "scorers" } });
  });

  it("auto-promotes only where every rule of the environment holds (review, live-in first)", async () => {
    const admin = f.ctx(f.admin);
    await createPrompt(admin, {
      name: "ruled",
      type: "text",
      template: "{{question}}",
      variables: [{ name: "question" }],
      config: { model: "scripted-model" },
    });
    await updateEnvironmentRules(admin, "production", {
      requiresReview: true,
      requiresLiveIn: "staging",
      evaluationGate: { dataset: datasetId, minScore: 0.1, maxDrop: 1, scorers: exact },
      autoPromote: { minScore: 0.1 },
    });
    try {
      const run = await createRun(f.ctx(f.editor), { prompt: "ruled", version: 1, gate: "production" });
      const decisions: unknown[] = [];
      await executeRun(t.db, run.id, {
        ...deps,
        onCompleted: async (db, r) =>
          decisions.push(...(await autoPromote(db, r, noEvents)).filter((d) => d.environment !== "development")),
      });
      // Staging (gated on the same dataset, auto-promote at 0.95) takes it first, which meets production's
      // live-in rule; production still needs an approved review, which no job can give.
      expect(decisions).toEqual([
        {
          environment: "staging",
          action: "promoted",
          reason: expect.stringContaining(run.id),
          deploymentId: expect.any(Number),
        },
        {
          environment: "production",
          action: "skipped",
          reason: expect.stringMatching(/production requires an approved review/),
        },
      ]);
      expect(await liveVersion(t.db, f, "ruled", "staging")).toBe(1);
      expect(await liveVersion(t.db, f, "ruled", "production")).toBeUndefined();
    } finally {
      await updateEnvironmentRules(admin, "production", {
        requiresReview: false,
        requiresLiveIn: null,
        evaluationGate: null,
      });
    }
  });
});
