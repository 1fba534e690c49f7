// A run judged against a baseline run by a pairwise llm_judge: the judge sees both runs' answers to the
// same item in both orders at temperature 0, each order's verdict is kept, a changed verdict is a tie,
// and the comparison of the two runs counts the judge's wins, ties and losses.
import { describe, expect, it } from "vitest";
import { datasetId, exact, f, newRun, run, script, server, t, withRunsDatabase } from "../../../test/eval-runs-fixture";
import { failure } from "../../../test/domain-fixtures";
import { compareEvalRuns, listEvalRunItems } from ".";
import { newRunFormData } from "./form-data";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";

withRunsDatabase("runs-pairwise");

const preference = {
  type: "llm_judge",
  name: "preference",
  mode: "pairwise",
  model: "judge-model",
  rubric: "Prefer the answer that actually answers.",
};

// The judge prefers "good answer" to "no idea" whichever side shows it, except on q0, where it always
// picks the first answer shown (position bias).
const judging = {
  ...script,
  rules: [
    { model: "judge-model", regex: '"q0"', json: { reasoning: "First is best.", winner: "A" } },
    {
      model: "judge-model",
      regex: "<answer_a>\\ngood answer[\\s\\S]*<answer_b>\\nno idea",
      json: { reasoning: "A answers.", winner: "A" },
    },
    {
      model: "judge-model",
      regex: "<answer_a>\\nno idea[\\s\\S]*<answer_b>\\ngood answer",
      json: { reasoning: "B answers.", winner: "B" },
    },
    { model: "judge-model", json: { reasoning: "Same.", winner: "tie" } },
    ...script.rules,
  ],
};

describe("a pairwise judge against a baseline run", () => {
  it("needs a completed baseline on the same dataset version", async () => {
    const ctx = f.ctx(f.editor);
    const input = { prompt: "support", version: 4, dataset: datasetId, scorers: [preference] };
    const none = await failure(newRun(ctx, input));
    expect([none.code, none.details?.field]).toEqual(["unprocessable", "baseline"]);
    expect(none.message).toContain("preference");
    const queued = await newRun(ctx, { prompt: "support", version: 1, dataset: datasetId, scorers: exact });
    const notDone = await failure(newRun(ctx, { ...input, baseline: queued.id }));
    expect([notDone.code, notDone.details?.field]).toEqual(["unprocessable", "baseline"]);
    expect(notDone.message).toContain("queued");
    const unknown = await failure(newRun(ctx, { ...input, baseline: "8f9e3c1a-0000-4000-8000-000000000000" }));
    expect([unknown.code, unknown.details?.field]).toEqual(["unprocessable", "baseline"]);
  });

  it("asks both orders at temperature 0, keeps each order's verdict, and feeds wins, ties and losses to the comparison", async () => {
    // v2 answers "no idea" to everything; v4 "good answer" except on q9.
    const base = await run(2);
    server.script(judging);
    server.reset();
    const judged = await run(4, { scorers: [...exact, preference], baseline: base.id });
    expect(judged).toMatchObject({ status: "completed", baseline: base.id });
    const judgeCalls = server.requests.filter((r) => r.model === "judge-model");
    expect(judgeCalls).toHaveLength(20);
    for (const r of judgeCalls) expect((r.body as { temperature?: number }).temperature).toBe(0);
    // Each item was shown in both orders: once with this run's answer first, once with the baseline's.
    const q1 = judgeCalls.filter((r) => r.prompt.includes('"q1"')).map((r) => r.prompt);
    expect(q1.filter((p) => p.includes("<answer_a>\ngood answer"))).toHaveLength(1);
    expect(q1.filter((p) => p.includes("<answer_a>\nno idea"))).toHaveLength(1);

    const items = (await listEvalRunItems(t.db, f.projectId, judged.id, { limit: 10 })).items;
    const verdict = (q: string) =>
      (items.find((i) => i.input.question === q)!.scores as { name: string; score: number; order?: unknown }[]).find(
        (s) => s.name === "preference",
      );
    expect(verdict("q1")).toMatchObject({
      score: 1,
      order: { forward: "output", reverse: "output", verdict: "output" },
    });
    expect(verdict("q0")).toMatchObject({
      score: 0.5,
      order: { forward: "output", reverse: "baseline", verdict: "tie" },
    });
    expect(verdict("q9")).toMatchObject({ score: 0.5, order: { forward: "tie", reverse: "tie", verdict: "tie" } });

    const cmp = await compareEvalRuns(t.db, f.projectId, { a: base.id, b: judged.id });
    expect(cmp.pairwise).toEqual([
      {
        name: "preference",
        judged: "b",
        items: 10,
        wins: 8,
        ties: 2,
        losses: 0,
        flips: 1,
        errors: 0,
        signPValue: expect.closeTo(2 / 256, 12),
      },
    ]);
    // The other way round, a win is still b's: here the baseline's.
    const reversed = await compareEvalRuns(t.db, f.projectId, { a: judged.id, b: base.id });
    expect(reversed.pairwise[0]).toMatchObject({ judged: "a", wins: 0, losses: 8, ties: 2 });
    // Runs without a baseline relation have no pairwise verdicts.
    const other = await run(3);
    expect((await compareEvalRuns(t.db, f.projectId, { a: base.id, b: other.id })).pairwise).toEqual([]);
    server.script(script);
    // The run form offers completed runs on the dataset's current version as baselines, newest first.
    const offered = (await newRunFormData(projectContext(t.db, f.admin, f.projectId, noEvents))).baselines;
    expect(offered.slice(0, 3).map((b) => b.id)).toEqual([other.id, judged.id, base.id]);
    expect(offered.every((b) => b.dataset === datasetId)).toBe(true);
    expect(offered.find((b) => b.id === base.id)!.label).toMatch(/^support v2 · 0\.0% · /);
  });
});
