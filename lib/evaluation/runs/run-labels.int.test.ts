// People label an evaluation run's outputs (createAnnotation with a runItemId), one output at a time in dataset
// order; each LLM-judge scorer of the run reports its agreement with them, and a gate running the same
// judge shows it on the release plan. The judge scores through the local model server.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { annotations } from "../../../db/schema";
import { createModelCaller } from "../../llm/model-caller";
import { createPrompt } from "../../registry/prompts";
import { updateEnvironment } from "../../release/environments";
import { planByName } from "../../release/plan/plan-facts";
import { createScorerModels } from "../../scorers";
import { code, seedProject } from "../../../test/domain-fixtures";
import { expectRefusedFields } from "../../../test/refused-fields";
import { f, server, t, withOnlineDatabase } from "../../../test/online-fixture";
import { addItems, createDataset } from "../datasets";
import { createAnnotation } from "../online/annotations";
import { agreementContract } from "../../stats/contracts";
import { annotateOverview } from "../../views/annotate-overview";
import { scorerAgreement } from "../judge-labels";
import { nextRunItemToLabel, runJudgeAgreement } from "./run-labels";
import { recordRun } from "./record-run";

withOnlineDatabase("run-labels");

const judge = { type: "llm_judge", name: "polite", model: "judge-1", rubric: "Is the reply polite and personal?" };
let runId = "";

beforeAll(async () => {
  await createPrompt(f.ctx(f.editor), {
    name: "rl",
    type: "text",
    template: "Reply to {{customer}}.",
    variables: [{ name: "customer" }],
  });
  const ds = await createDataset(f.ctx(f.admin), { name: "rl-tickets", prompt: "rl" });
  await addItems(
    f.ctx(f.admin),
    ds.id,
    Array.from({ length: 32 }, (_, i) => ({ input: { customer: `C${i}` }, tags: [], metadata: {} })),
    { source: "test" },
  );
  server.script({
    rules: [
      { match: "Thank you for waiting", json: { reasoning: "Warm.", score: 5 } },
      { json: { reasoning: "Curt.", score: 1 } },
    ],
  });
  const caller = createModelCaller({ id: "d", name: "Local", provider: "openai-compatible", baseUrl: server.baseUrl });
  const run = await recordRun(
    f.ctx(f.editor),
    { prompt: "rl", version: 1, dataset: ds.id, scorers: [judge] },
    ({ input, position }) => ({
      text: position < 24 ? `Thank you for waiting, ${String(input.customer)}.` : "Your refund is on its way.",
    }),
    { models: createScorerModels(() => caller) },
  );
  runId = run.id;
});

describe("labelling an evaluation run's outputs", () => {
  it("refuses bad targets naming the field, changing nothing", async () => {
    const ed = f.ctx(f.editor);
    const first = (await nextRunItemToLabel(ed, runId)).item!;
    const cases: [unknown, string][] = [
      [{ label: "pass" }, "sampleId"],
      [{ sampleId: 1, runItemId: first.id, label: "pass" }, "sampleId"],
      [{ runItemId: "x", label: "pass" }, "runItemId"],
    ];
    await expectRefusedFields((input) => createAnnotation(ed, input), cases);
    expect(await code(createAnnotation(ed, { runItemId: 999_999_999, label: "pass" }))).toBe("not_found");
    // Another project's run output is not found either.
    const other = await seedProject(t.db, "run-labels-other");
    expect(await code(createAnnotation(other.ctx(other.editor), { runItemId: first.id, label: "pass" }))).toBe(
      "not_found",
    );
    expect(await t.db.select().from(annotations)).toEqual([]);
  });

  it("the labelling page reads a run's next output in the shape it shows a rule's", async () => {
    const ed = f.ctx(f.editor);
    expect(await annotateOverview(ed, { run: runId })).toEqual({
      origin: { kind: "run", run: runId, prompt: "rl", version: 1 },
      labelled: { you: 0, everyone: 0 },
      outputs: 32,
      rubrics: [{ scorer: "polite", rubric: judge.rubric }],
      output: {
        version: 1,
        item: { position: 1, repetition: 0 },
        input: { customer: "C0" },
        expected: null,
        text: "Thank you for waiting, C0.",
        target: { runItemId: (await nextRunItemToLabel(ed, runId)).item!.id },
      },
    });
    expect(await annotateOverview(ed, {})).toEqual({
      problem: "Open this page from an online evaluation rule or an evaluation run with an LLM judge.",
    });
    expect(await annotateOverview(ed, { rule: "nope" })).toEqual({ problem: "No online evaluation rule nope." });
  });

  it("offers the outputs in dataset order, and the run's judge agreement reads the labels", async () => {
    const ed = f.ctx(f.editor);
    const start = await nextRunItemToLabel(ed, runId);
    expect(start).toMatchObject({
      prompt: "rl",
      version: 1,
      rubrics: [{ scorer: "polite", rubric: judge.rubric }],
      labelled: { you: 0, everyone: 0 },
      outputs: 32,
      item: { position: 1, repetition: 0, input: { customer: "C0" }, output: "Thank you for waiting, C0." },
    });
    // The editor agrees with the judge but for one curt reply they found fine.
    let lenient = 1;
    for (let n = 0; n < 40; n++) {
      const next = await nextRunItemToLabel(ed, runId);
      if (!next.item) break;
      const pass = next.item.output.startsWith("Thank") || lenient-- > 0;
      const label = await createAnnotation(ed, { runItemId: next.item.id, label: pass ? "pass" : "fail" });
      expect(label).toMatchObject({ runItemId: next.item.id, sampleId: null });
    }
    expect(await nextRunItemToLabel(ed, runId)).toMatchObject({ labelled: { you: 32, everyone: 32 }, item: null });
    // Labelling again replaces the label.
    const again = await createAnnotation(ed, { runItemId: start.item!.id, label: "pass", comment: "fine" });
    expect(await t.db.select().from(annotations).where(eq(annotations.runItemId, start.item!.id))).toHaveLength(1);
    expect(again.comment).toBe("fine");

    const answer = await scorerAgreement(t.db, f.projectId, { run: runId });
    expect(agreementContract.safeParse(JSON.parse(JSON.stringify(answer))).success).toBe(true);
    expect(answer).toMatchObject({ run: runId, scorer: "polite", labels: 32 });
    const [polite] = (await runJudgeAgreement(t.db, f.projectId, runId)).judges;
    const po = 31 / 32;
    const pe = (24 * 25 + 8 * 7) / 32 ** 2;
    expect(polite).toMatchObject({ scorer: "polite", labels: 32, warning: null });
    expect(polite!.passFail!.kappa).toBeCloseTo((po - pe) / (1 - pe), 10);
    // The output is named by the id labels are given with: runItemId, not sampleId.
    expect(polite!.disagreements).toEqual([
      expect.objectContaining({ human: 1, judge: 0, output: "Your refund is on its way." }),
    ]);
    const [d] = polite!.disagreements;
    expect(d).toMatchObject({ sampleId: null, runItemId: expect.any(Number) });
    const labelled = await t.db.select().from(annotations).where(eq(annotations.runItemId, d!.runItemId!));
    expect(labelled).toHaveLength(1);
    expect(labelled[0]!.value).toBe(1);
    expect(await code(runJudgeAgreement(t.db, f.projectId, runId, { scorer: "nope" }))).toBe("not_found");
  });

  it("a gate running the same judge shows that agreement on the release plan", async () => {
    await updateEnvironment(f.ctx(f.admin), "staging", {
      evaluationGate: {
        dataset: "rl-tickets",
        minScore: 0.5,
        maxDrop: 1,
        scorers: [{ ...judge, name: "gate-polite" }],
      },
    });
    const plan = await planByName(t.db, f.projectId, "rl", "staging", 1);
    const [trust] = plan.steps.find((s) => s.id === "evaluation")!.evaluation!.judges;
    expect(trust).toMatchObject({
      scorer: "gate-polite",
      labels: 32,
      warning: null,
      source: "on its outputs in 1 evaluation run",
    });
  });
});
