// Optimizations over HTTP: POST /api/v1/optimizations starts the job (202), GET follows it to a draft
// whose held-out comparison says the optimized instruction is better; the budget stops the search; bad
// input is 422 naming the field, unknown prompt, version or dataset 404; nothing is ever deployed.
// The scripted model plays the version ("Answer: …" answers badly, "Good: …" well) and the optimizer.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { call, errorCode } from "./client";
import { promptToOptimize, startScriptedModel, waitFor } from "./harness";

const suffix = Date.now().toString(36);
const prompt = `optimize-${suffix}`;
const dsName = `optimize-set-${suffix}`;
const scorers = [{ type: "exact_match" }];
let server: LlmServer;

const finished = (id: string) =>
  waitFor(
    `optimization ${id}`,
    async () => {
      const r = await call("GET", `/api/v1/optimizations/${id}`);
      return r.status === 200 && !["queued", "running"].includes(r.body.status) && r.body;
    },
    60_000,
    250,
  );

beforeAll(async () => {
  server = await startScriptedModel({
    rules: [
      { match: "New Value", text: "newValue: Good: {{question}}" },
      { match: "Feedback Summary", text: "feedbackSummary: Answers must say good answer." },
      { match: "Good:", text: "good answer" },
    ],
    default: { text: "bad answer" },
  });
  await promptToOptimize(prompt, dsName, 18);
});
afterAll(async () => {
  await server?.stop();
});

const start = (budget: unknown, extra: Record<string, unknown> = {}) =>
  call("POST", "/api/v1/optimizations", {
    body: { prompt, version: 1, dataset: dsName, scorers, budget, heldOutShare: 0.34, ...extra },
  });

describe("optimizations over HTTP", () => {
  it("refuses bad input with 422 naming the field, unknown references with 404", async () => {
    for (const [budget, field] of [
      [undefined, "budget"],
      [{ calls: 0, costUsd: 1 }, "budget.calls"],
      [{ calls: 50, costUsd: "lots" }, "budget.costUsd"],
      [{ calls: 5, costUsd: 1 }, "budget.calls"],
    ] as const) {
      const r = await start(budget);
      expect([r.status, errorCode(r), r.body.error.details?.field], JSON.stringify(r.body)).toEqual([
        422,
        "unprocessable",
        field,
      ]);
    }
    for (const extra of [{ prompt: `nope-${suffix}` }, { version: 99 }, { dataset: `nope-${suffix}` }]) {
      const r = await start({ calls: 200, costUsd: 10 }, extra);
      expect([r.status, errorCode(r)]).toEqual([404, "not_found"]);
    }
    expect((await call("GET", "/api/v1/optimizations/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  });

  it("ends in a draft carrying the held-out comparison, and deploys nothing", async () => {
    const r = await start({ calls: 200, costUsd: 10 });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    expect(r.body.optimization.status).toBe("queued");
    const o = await finished(r.body.optimization.id);
    expect(o).toMatchObject({
      status: "completed",
      outcome: "improved",
      split: { train: 12, heldOut: 6 },
      comparison: { items: 6, base: { score: 0 }, candidate: { score: 1 }, overall: { direction: "better" } },
    });
    expect(o.calls).toBeLessThanOrEqual(200);
    const draft = await call("GET", `/api/v1/drafts/${o.draft.id}`);
    expect(draft.status).toBe(200);
    expect(JSON.stringify(draft.body)).toContain("Good: {{question}}");
    const p = await call("GET", `/api/v1/prompts/${prompt}`);
    // A draft only: no version saved, and no environment serves anything.
    expect(p.body.prompt.latestVersion).toBe(1);
    expect(Object.values(p.body.environments).every((e) => e === null)).toBe(true);
  });

  it("stops the search at the call budget", async () => {
    const r = await start({ calls: 29, costUsd: 10 });
    expect(r.status).toBe(202);
    const o = await finished(r.body.optimization.id);
    expect(o.calls).toBeLessThanOrEqual(29);
    expect(o.searchStoppedBy).toBe("budget");
    // Stopped before it found anything better: it says so, with no draft.
    expect(o).toMatchObject({ outcome: "no_improvement", best: { index: 0 } });
    expect(o.draft).toBeUndefined();
  });
});
