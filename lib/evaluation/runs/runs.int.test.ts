// Evaluation runs against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL) and the local
// model server: input checks, a run end to end, and the comparison of two runs. Cancellation and
// resuming: runs-resume.int.test.ts; the gate and auto-promote: gates.int.test.ts.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { datasetId, f, newRun, run, script, server, t, withRunsDatabase } from "../../../test/eval-runs-fixture";
import { failure } from "../../../test/domain-fixtures";
import { theirConnection } from "../../../test/fixtures-connections";
import { getPrompt } from "../../registry/prompts";
import {
  compareEvalRuns,
  listEvalRunItems,
  listEvalRuns,
  parseCreateRunInput,
  runItemsResponse,
  runListResponse,
  runSchema,
  versionScores,
} from ".";

withRunsDatabase("runs");

describe("evaluation runs", () => {
  it("refuses bad input naming the field and writes nothing", async () => {
    const ctx = f.ctx(f.editor);
    expect((await failure(newRun(ctx, { prompt: "support", version: 99, dataset: datasetId }))).code).toBe("not_found");
    expect((await failure(newRun(ctx, { prompt: "support", version: 1, dataset: "nope" }))).code).toBe("not_found");
    const bad = await failure(
      newRun(ctx, {
        prompt: "support",
        version: 1,
        dataset: datasetId,
        scorers: [{ type: "regex", pattern: "(?=a)b" }],
      }),
    );
    expect(bad.code).toBe("unprocessable");
    expect(bad.message).toContain("scorers[0]");
    // Connections are this project's only: another project's id (or name) is not one.
    const theirs = await theirConnection(t.db, `runs-other-${Date.now()}`);
    for (const [field, extra] of [
      ["connection", { connection: theirs.id }],
      ["scorers.0.connection", { scorers: [{ type: "llm_judge", rubric: "ok?", model: "m", connection: theirs.id }] }],
    ] as const) {
      const e = await failure(newRun(ctx, { prompt: "support", version: 1, dataset: datasetId, ...extra }));
      expect([e.code, e.details?.field]).toEqual(["unprocessable", field]);
    }
    // The one parser (the route's and the UI's): 422 naming the field, never a 400 for the same input.
    const tooMany = await failure(newRun(ctx, { prompt: "support", version: 1, dataset: datasetId, concurrency: 500 }));
    expect([tooMany.code, tooMany.details?.field]).toEqual(["unprocessable", "concurrency"]);
    expect(() => parseCreateRunInput({ prompt: "support", version: "1" })).toThrow(
      expect.objectContaining({ code: "unprocessable", details: expect.objectContaining({ field: "version" }) }),
    );
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
    const page = await listEvalRunItems(t.db, f.projectId, r.id, { limit: 3 });
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
    // The answers as the API sends them (JSON) keep to the schemas the endpoints declare.
    const asJson = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
    expect(runSchema.safeParse(asJson(r)).error).toBeUndefined();
    expect(runItemsResponse.safeParse(asJson(page)).error).toBeUndefined();
    const bad = await run(2);
    expect(bad).toMatchObject({ status: "completed", score: 0, passRate: 0 });
    expect((await listEvalRunItems(t.db, f.projectId, bad.id, { failed: true })).total).toBe(10);
    expect(runListResponse.safeParse(asJson({ data: await listEvalRuns(t.db, f.projectId) })).error).toBeUndefined();
    // Each finished run is audited once as evaluation.complete (the evaluation.completed webhook's data).
    const audited = await queryRows<{ object_id: string; after: Record<string, unknown> }>(
      t.db,
      sql`select object_id, after from audit_log where action = 'evaluation.complete' and object_id in (${r.id}, ${bad.id}) order by id`,
    );
    expect(audited.map((a) => a.object_id)).toEqual([r.id, bad.id]);
    expect(audited[1]!.after).toMatchObject({ runId: bad.id, version: 2, status: "completed", score: 0 });
  });

  it("repeats each item k times: per-item mean and spread, pass@k, pass^k and the score's interval over items", async () => {
    // One worker, so each item's three repetitions get the answers in turn: right, wrong, right.
    server.script({ ...script, rules: [{ match: "Good v5", text: ["good answer", "no idea", "good answer"] }] });
    const r = await run(5, { repetitions: 3, concurrency: 1 });
    server.script(script);
    expect(r).toMatchObject({ status: "completed", progress: { done: 30, total: 30 } });
    expect(r.statistics).toMatchObject({
      unit: "item",
      method: "t",
      items: 10,
      repetitions: 3,
      passAtK: 1,
      passHatK: 0,
      unstable: 10,
    });
    expect(r.statistics!.score).toBeCloseTo(2 / 3, 12);
    expect(r.statistics!.meanItemSd).toBeCloseTo(Math.sqrt(1 / 3), 12);
    // Every row of an item carries the item's spread over all its repetitions, even across pages.
    const page = await listEvalRunItems(t.db, f.projectId, r.id, { limit: 2 });
    expect(page.items.map((i) => [i.repetition, i.score])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    for (const it of page.items)
      expect(it.spread).toEqual({
        n: 3,
        mean: expect.closeTo(2 / 3, 12),
        sd: expect.closeTo(Math.sqrt(1 / 3), 12),
        min: 0,
        max: 1,
        passed: 2,
      });
  });

  it("compares two runs on the same dataset version, with a regression filter", async () => {
    const [a] = (await versionScores(t.db, (await getPrompt(t.db, f.projectId, "support")).id)).filter(
      (s) => s.version === 1,
    );
    const b = await run(4);
    expect(b.score).toBeCloseTo(0.9);
    const cmp = await compareEvalRuns(t.db, f.projectId, { a: a!.run, b: b.id, regressions: true });
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
});
