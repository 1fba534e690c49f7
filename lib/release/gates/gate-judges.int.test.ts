// An evaluation gate that relies on an LLM judge shows, on its release-plan step, how far people trust
// that judge: the labels of an online rule of the same prompt running the same judge (model, rubric,
// scale, mode), with a warning under 30 labels or κ < 0.6. It informs; it never blocks.
import { describe, expect, it } from "vitest";
import { createModelCaller } from "../../llm/model-caller";
import { addItems, createDataset } from "../../evaluation/datasets";
import { createAnnotation } from "../../evaluation/online/annotations";
import { getOnlineEvaluation, putOnlineEvaluation } from "../../evaluation/online/rules";
import { listSamples, scorePendingSamples } from "../../evaluation/online/scoring";
import { createScorerModels } from "../../scorers";
import { updateEnvironment } from "../environments";
import { planByName } from "../plan/plan-facts";
import { f, generations, promptLiveIn, rule, server, t, withOnlineDatabase } from "../../../test/online-fixture";

withOnlineDatabase("gate-judges");

const rubric = "Is the reply polite and personal?";
const judge = (extra: Record<string, unknown> = {}) => ({
  type: "llm_judge",
  name: "polite",
  model: "judge-1",
  rubric,
  ...extra,
});

const judgesOf = async (version: number) =>
  (await planByName(t.db, f.projectId, "gj", "staging", version)).steps.find((s) => s.id === "evaluation")!.evaluation!
    .judges;

describe("an evaluation gate that relies on an LLM judge", () => {
  it("warns until people have labelled the same judge's online verdicts, then shows its κ", async () => {
    await promptLiveIn("gj", 2, 1);
    const ds = await createDataset(f.ctx(f.admin), { name: "gj-tickets", prompt: "gj" });
    await addItems(f.ctx(f.admin), ds.id, [{ input: { customer: "Ana" }, tags: [], metadata: {} }], {
      source: "test",
    });
    await updateEnvironment(f.ctx(f.admin), "staging", {
      evaluationGate: {
        dataset: "gj-tickets",
        minScore: 0.5,
        maxDrop: 1,
        scorers: [judge({ name: "gate-polite" }), { type: "contains", name: "thanks", value: ["thank"] }],
      },
    });
    // No online rule runs the judge: nothing to label, and the plan says so.
    expect(await judgesOf(2)).toEqual([
      expect.objectContaining({ scorer: "gate-polite", labels: 0, kappa: null, source: null }),
    ]);
    expect((await judgesOf(2))[0]!.sentence).toBe(
      "LLM judge gate-polite is not checked well enough against people: only 0 labels: at least 30 are needed before the agreement means much.",
    );

    // Online rules: one with another rubric (not the same judge), then one with the same judge, labelled.
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "gj",
      rule({ environment: "production", scorers: [judge({ rubric: "Short?" })] }),
    );
    await putOnlineEvaluation(f.ctx(f.approver), "gj", rule({ scorers: [judge()] }));
    server.script({
      rules: [
        { match: "Thank you for waiting", json: { reasoning: "Warm.", score: 5 } },
        { json: { reasoning: "Curt.", score: 1 } },
      ],
    });
    await generations("gj", 1, 32, 24);
    const caller = createModelCaller({
      id: "d",
      name: "Local",
      provider: "openai-compatible",
      baseUrl: server.baseUrl,
    });
    await scorePendingSamples(t.db, () => createScorerModels(() => caller));
    const r = await getOnlineEvaluation(t.db, f.projectId, "gj", "staging");
    // The editor agrees with the judge on every output but one curt reply they found fine.
    let lenient = 1;
    for (const s of await listSamples(t.db, r.id, 1, { limit: 100 }))
      await createAnnotation(f.ctx(f.editor), {
        sampleId: s.id,
        label: s.output.startsWith("Thank") || lenient-- > 0 ? "pass" : "fail",
      });
    const [polite] = await judgesOf(2);
    // Judge: 24 pass, 8 fail; editor: 25 pass, 7 fail; they differ on one. p_o = 31/32,
    // p_e = (24·25 + 8·7)/32², κ = (p_o − p_e)/(1 − p_e).
    const po = 31 / 32;
    const pe = (24 * 25 + 8 * 7) / 32 ** 2;
    const kappa = (po - pe) / (1 - pe);
    expect(polite).toMatchObject({
      scorer: "gate-polite",
      labels: 32,
      warning: null,
      source: "on its online outputs in staging",
    });
    expect(polite!.kappa).toBeCloseTo(kappa, 10);
    expect(polite!.sentence).toBe(
      `LLM judge gate-polite agrees with people at κ ${kappa.toFixed(2)} (almost perfect, 32 labels on its online outputs in staging).`,
    );
    // It informs the step; the step's verdict still comes from the runs alone.
    const plan = await planByName(t.db, f.projectId, "gj", "staging", 2);
    expect(plan.missing).toEqual(["evaluation"]);
  });
});
