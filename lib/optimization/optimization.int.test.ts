// Optimizations against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) and the local
// model server, whose script plays the version's model and the optimizer's reflection: the starting
// version ("Answer: …") answers badly, the instruction the reflection proposes ("Good: …") answers well.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { replacePriceOverrides } from "../llm/project-prices";
import { getDraftRow } from "../release/drafts/drafts";
import { createScorerModels } from "../scorers";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { localCaller } from "../../test/llm-caller";
import { startLlmServer, type LlmServer } from "../../test/llm-server";
import { createOptimization, executeOptimization, getOptimization, type OptimizationDeps } from ".";
import { projectContext } from "../context";
import { noEvents } from "../announcements";
import { answerPrompt, supportEval } from "./optimization.fixture";

let t: TestDatabase;
let f: Fixture;
let server: LlmServer;
let deps: OptimizationDeps;
// $0.01 an output token, nothing for input: every answer (5 tokens) costs $0.05, at most $0.10 (maxTokens 10).
const prices = { "scripted-model": { inputPerMTok: 0, outputPerMTok: 10_000 } };

const script = {
  rules: [
    { match: "New Value", text: "newValue: Good: {{question}}" },
    { match: "Feedback Summary", text: "feedbackSummary: Answers must say good answer." },
    { match: "Good:", text: "good answer", usage: { input: 10, output: 5 } },
  ],
  default: { text: "bad answer", usage: { input: 10, output: 5 } },
};

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "optimizations");
  server = await startLlmServer({ script });
  const caller = localCaller(server, { maxRetries: 0 }, { prices });
  deps = { modelsFor: () => createScorerModels(() => caller) };
  await supportEval(
    f,
    Array.from({ length: 18 }, (_, i) => `q${i},good answer`),
  );
});
afterAll(async () => {
  await server.stop();
  await t.drop();
});
beforeEach(() => server.reset());

const scorers = [{ type: "exact_match" }];
// This file executes optimizations itself: no job, no limits (queue.int.test.ts has those).
const direct = { enqueue: async () => {}, limits: null, models: null };
const start = (budget: { calls: number; costUsd: number }, extra: Record<string, unknown> = {}) =>
  createOptimization(
    f.ctx(f.editor),
    { prompt: "support", version: 1, dataset: "support-eval", scorers, budget, heldOutShare: 0.34, ...extra },
    direct,
  );
const count = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.raw(table)}`))[0]!.n;

describe("optimizations", () => {
  it("refuses bad input naming the field, and writes nothing", async () => {
    const ctx = f.ctx(f.editor);
    // A version that names no model would fail in the worker, after it was queued: refused before.
    await answerPrompt(f, "no-model");
    const cases: [unknown, string, string | undefined][] = [
      [
        { prompt: "no-model", version: 1, dataset: "support-eval", scorers, budget: { calls: 99, costUsd: 1 } },
        "unprocessable",
        "version",
      ],
      [{ prompt: "support", version: 1, dataset: "support-eval", scorers }, "unprocessable", "budget"],
      [
        { prompt: "support", version: 1, dataset: "support-eval", budget: { calls: 0, costUsd: 1 } },
        "unprocessable",
        "budget.calls",
      ],
      [
        { prompt: "support", version: 1, dataset: "support-eval", budget: { calls: 50, costUsd: -1 } },
        "unprocessable",
        "budget.costUsd",
      ],
      [
        { prompt: "support", version: 1, dataset: "support-eval", scorers, budget: { calls: 5, costUsd: 1 } },
        "unprocessable",
        "budget.calls",
      ],
      [
        {
          prompt: "support",
          version: 1,
          dataset: "support-eval",
          scorers: [{ type: "nope" }],
          budget: { calls: 99, costUsd: 1 },
        },
        "unprocessable",
        undefined,
      ],
      [
        { prompt: "support", version: 1, dataset: "support-eval", budget: { calls: 99, costUsd: 1 } },
        "unprocessable",
        "scorers",
      ],
      [
        { prompt: "support", version: 99, dataset: "support-eval", scorers, budget: { calls: 99, costUsd: 1 } },
        "not_found",
        undefined,
      ],
      [
        { prompt: "nope", version: 1, dataset: "support-eval", scorers, budget: { calls: 99, costUsd: 1 } },
        "not_found",
        undefined,
      ],
      [
        { prompt: "support", version: 1, dataset: "nope", scorers, budget: { calls: 99, costUsd: 1 } },
        "not_found",
        undefined,
      ],
    ];
    for (const [input, code, field] of cases) {
      const e = await failure(createOptimization(ctx, input as never, direct));
      expect([e.code, field && e.details?.field]).toEqual([code, field]);
    }
    expect(await count("optimizations")).toBe(0);
  });

  it("ends in a draft whose held-out comparison says the optimized instruction is better, and never deploys", async () => {
    const before = { versions: await count("prompt_versions"), deployments: await count("deployments") };
    const row = await start({ calls: 200, costUsd: 100 });
    expect(row.status).toBe("queued");
    expect(await executeOptimization(t.db, row.id, deps)).toEqual({ status: "completed" });
    const o = await getOptimization(t.db, f.projectId, row.id);
    expect(o).toMatchObject({
      status: "completed",
      outcome: "improved",
      noImprovement: null,
      split: { train: 12, heldOut: 6 },
      searchStoppedBy: "optimizer",
    });
    // Every call the optimization made is counted, its reflection's included: the server saw each one.
    expect(o.calls).toBe(server.requests.length);
    expect(o.calls).toBeLessThanOrEqual(200);
    expect(server.requests.some((r) => JSON.stringify(r).includes("New Value"))).toBe(true);
    expect(o.candidates.map((c) => [c.instruction, c.trainScore])).toEqual([
      ["Answer: {{question}}", 0],
      ["Good: {{question}}", 1],
    ]);
    expect(o.best).toMatchObject({ index: 1, trainScore: 1 });
    // Held out: the base fails every item, the draft passes every one; the paired test says so.
    expect(o.comparison).toMatchObject({
      items: 6,
      base: { version: 1, score: 0 },
      candidate: { score: 1 },
      overall: { meanDiff: 1, direction: "better" },
    });
    expect(o.comparison!.verdict).toContain("the optimized draft is better than version 1");
    const { draft } = await getDraftRow(t.db, f.projectId, o.draft!.id);
    // The draft is the person's who started the optimization.
    expect(draft).toMatchObject({ baseVersion: 1, closedAt: null, ownerId: f.editor.id });
    expect(draft.content).toMatchObject({ type: "text", template: "Good: {{question}}" });
    // A draft only: no version saved, nothing deployed.
    expect({ versions: await count("prompt_versions"), deployments: await count("deployments") }).toEqual(before);
    // Run again (a retried job): a finished optimization is left as it is.
    expect(await executeOptimization(t.db, row.id, deps)).toEqual({ status: "completed" });
  });

  it("counts the judges' calls too: every request the model server saw is in calls", async () => {
    server.script({
      ...script,
      rules: [{ match: "impartial evaluator", json: { reasoning: "Fine.", score: 5 } }, ...script.rules],
    });
    const judge = { type: "llm_judge", name: "polite", rubric: "Is it polite?", model: "scripted-model" };
    const row = await start({ calls: 300, costUsd: 100 }, { scorers: [...scorers, judge] });
    try {
      expect(await executeOptimization(t.db, row.id, deps)).toEqual({ status: "completed" });
    } finally {
      server.script(script);
    }
    const o = await getOptimization(t.db, f.projectId, row.id);
    const judged = server.requests.filter((r) => JSON.stringify(r).includes("impartial evaluator")).length;
    expect(judged).toBeGreaterThan(12);
    expect(o.calls).toBe(server.requests.length);
    expect(o.comparison!.scorers.map((s) => s.name)).toEqual(["exact_match", "polite"]);
  });

  it("interrupted, it is left running for the retry, which starts over and completes", async () => {
    const row = await start({ calls: 200, costUsd: 100 });
    const stop = new AbortController();
    stop.abort();
    await expect(executeOptimization(t.db, row.id, { ...deps, signal: stop.signal })).rejects.toThrow(/interrupted/);
    expect((await getOptimization(t.db, f.projectId, row.id)).status).toBe("running");
    expect(await executeOptimization(t.db, row.id, deps)).toEqual({ status: "completed" });
    expect((await getOptimization(t.db, f.projectId, row.id)).calls).toBe(server.requests.length);
  });

  it("stops the search at the call budget; having found nothing better, it says so without a comparison", async () => {
    const row = await start({ calls: 29, costUsd: 100 });
    expect(await executeOptimization(t.db, row.id, deps)).toEqual({ status: "completed" });
    const o = await getOptimization(t.db, f.projectId, row.id);
    expect(o.calls).toBeLessThanOrEqual(29);
    expect(o.calls).toBe(server.requests.length);
    expect(o.searchStoppedBy).toBe("budget");
    expect(o.budgetNotice).toContain("budget of 29 model calls");
    expect(o).toMatchObject({ outcome: "no_improvement", best: { index: 0 } });
    expect(o.comparison).toBeUndefined();
  });

  it("stops at the cost budget in the held-out comparison: the status says so and how far it got, and no draft", async () => {
    // The better instruction's answers cost more than the search's average (a longer answer, say), so the
    // reserve the search kept for the held-out comparison falls short. (The model has no price here, so
    // each call's worst case is $0: only what it reports is counted, and the last call may pass the cap.)
    const real = createScorerModels(() => localCaller(server, { maxRetries: 0 }));
    const pricey: OptimizationDeps = {
      modelsFor: () => ({
        ...real,
        generate: async (c, r) => ({
          ...(await real.generate(c, r)),
          costUsd: JSON.stringify(r.messages ?? r.prompt).includes("Good:") ? 1 : 0.01,
        }),
      }),
    };
    const drafts = await count("drafts");
    const row = await start({ calls: 400, costUsd: 5 });
    expect(await executeOptimization(t.db, row.id, pricey)).toEqual({ status: "budget_exhausted" });
    const o = await getOptimization(t.db, f.projectId, row.id);
    expect(o.calls).toBe(server.requests.length);
    expect(o).toMatchObject({ stage: "held-out", outcome: null, best: { index: 1 } });
    expect(o.budgetNotice).toContain("held-out comparison stopped");
    expect(o.comparison).toBeUndefined();
    expect(o.draft).toBeUndefined();
    expect(await count("drafts")).toBe(drafts);
  });

  it("at a cost budget that leaves no room to search, it finds nothing, says so, and compares nothing", async () => {
    await replacePriceOverrides(projectContext(t.db, f.admin, f.projectId, noEvents), { prices });
    const row = await start({ calls: 200, costUsd: 0.3 });
    expect(await executeOptimization(t.db, row.id, deps)).toEqual({ status: "completed" });
    const o = await getOptimization(t.db, f.projectId, row.id);
    expect(o.costUsd).toBeLessThanOrEqual(0.3);
    expect(o.calls).toBe(server.requests.length);
    expect(o).toMatchObject({ outcome: "no_improvement", searchStoppedBy: "budget", best: { index: 0 } });
    expect(o.comparison).toBeUndefined();
    expect(o.draft).toBeUndefined();
  });
});
