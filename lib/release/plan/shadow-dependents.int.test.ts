// A partial's plan where the environment requires a shadow comparison (docs/decisions/partial-releases.md): each
// dependent's shadow step reads the answers of its live version rendered with the partial's candidate version (a
// composition candidate of the dependent's online rule): not a candidate yet, too few inputs, met, significantly worse,
// and an approver's override that still passes it.
import { describe, expect, it } from "vitest";
import { f, generations, rule, scriptEachTest, server, t, withOnlineDatabase } from "../../../test/online-fixture";
import { putOnlineEvaluation } from "../../evaluation/online/rules";
import { scorePendingSamples } from "../../evaluation/online/scoring";
import { runShadow } from "../../evaluation/online/shadow/shadow";
import { createPrompt, getPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { scorerModelsOn } from "../../../test/scorer-models";
import { getEnvironmentRow, updateEnvironment } from "../environments";
import { releasePlan } from "./plan";
import { loadPlanFacts, planByName } from "./plan-facts";
import { promoteVersion } from "../promote";
import { textPrompt } from "../../../test/contents";

withOnlineDatabase("shadow-dependents");

const models = () => scorerModelsOn(server);

/** The dependent's steps in the plan of shared/tone `version` for staging. */
async function dependentSteps(version: number) {
  const plan = await planByName(t.db, f.projectId, "shared/tone", "staging", version);
  const d = plan.dependents.find((x) => x.name === "support-reply")!;
  return { plan, step: d.steps.find((s) => s.id === "shadow")!, met: d.met };
}

describe("a dependent's shadow step in a partial's plan", () => {
  scriptEachTest({
    rules: [
      { match: "Be warm.", text: "Thank you for waiting, Ana. Your refund is on its way." },
      { match: "Be curt.", text: "Your refund is on its way." },
    ],
  });

  it("reads the dependent's live version with the candidate partial: missing, met, significantly worse", async () => {
    const ctx = f.ctx(f.editor);
    // shared/tone v1 (live), v2 (warm), v3 (curt); support-reply v1 includes it, live in staging.
    await createPrompt(ctx, { name: "shared/tone", type: "text", template: "Be warm and brief." });
    await createVersion(ctx, "shared/tone", { template: "Be warm." });
    await createVersion(ctx, "shared/tone", { template: "Be curt." });
    await promoteVersion(f.ctx(f.approver), "shared/tone", { environment: "staging", version: 1 });
    await createPrompt(
      ctx,
      textPrompt("support-reply", "{{> shared/tone}} Answer {{customer}}.", {
        variables: [{ name: "customer" }],
        config: { model: "support-model" },
      }),
    );
    await promoteVersion(f.ctx(f.approver), "support-reply", { environment: "staging", version: 1 });
    await updateEnvironment(f.ctx(f.admin), "staging", { requiresShadow: { minInputs: 10 } });

    // No rule for support-reply in staging: the step says how to make the composition a candidate.
    const none = await dependentSteps(2);
    expect(none.plan.missing).toEqual(["shadow", "dependents"]);
    expect(none.step).toMatchObject({
      met: false,
      title: "A shadow comparison of support-reply with shared/tone version 2 with no significant loss (10 inputs)",
      action: {
        kind: "open_shadow",
        environment: "staging",
        prompt: "support-reply",
        composition: { version: 1, partials: { "shared/tone": 2 } },
      },
    });
    expect(none.step.detail).toBe(
      'support-reply version 1 with shared/tone version 2 is not a shadow candidate in staging: support-reply has no online evaluation rule there; create one with {"version": 1, "partials": {"shared/tone": 2}} among its shadow candidates (it needs 10 answered inputs).',
    );
    await putOnlineEvaluation(f.ctx(f.approver), "support-reply", rule());
    expect((await dependentSteps(2)).step.detail).toMatch(
      /is not a shadow candidate in staging: add \{"version": 1, "partials": \{"shared\/tone": 2\}\} to the shadow candidates of support-reply's online evaluation rule there/,
    );

    const compositions = [2, 3].map((v) => ({ version: 1, partials: { "shared/tone": v } }));
    await putOnlineEvaluation(
      f.ctx(f.approver),
      "support-reply",
      rule({ shadow: { versions: compositions, sampleRate: 1 } }),
    );
    expect((await dependentSteps(2)).step.detail).toBe(
      "support-reply version 1 with shared/tone version 2 has answered 0 of the 10 live inputs the shadow comparison needs.",
    );

    // 12 live answers that thank the customer: v2's composition thanks too, v3's never does.
    await generations("support-reply", 1, 12, 12);
    await scorePendingSamples(t.db, undefined);
    expect(await runShadow(t.db, () => models())).toMatchObject({ answered: 24, failed: 0 });

    const met = await dependentSteps(2);
    expect(met.met).toBe(true);
    expect(met.step).toMatchObject({ met: true, action: null, shadow: { n: 12, candidate: true, worse: [] } });
    expect(met.step.detail).toBe(
      "support-reply version 1 with shared/tone version 2 answered 12 live inputs in the shadow with no scorer clearly lower than support-reply version 1 as staging serves it.",
    );
    expect(met.plan.steps.find((s) => s.id === "dependents")).toMatchObject({ met: true });
    // Nothing answers for shared/tone on its own: support-reply's comparison stands for its own shadow step.
    expect(met.plan.missing).toEqual([]);
    expect(met.plan.steps.find((s) => s.id === "shadow")).toMatchObject({
      met: true,
      detail: "shared/tone is served inside support-reply: its shadow comparison with version 2 stands for it.",
    });

    const worse = await dependentSteps(3);
    expect(worse.met).toBe(false);
    expect(worse.step.shadow?.worse.map((w) => w.name)).toEqual(["thanks", "weighted score"]);
    expect(worse.step.detail).toMatch(
      /^support-reply version 1 with shared\/tone version 3 scores clearly lower than support-reply version 1 as staging serves it in the shadow on thanks by 100\.0 points/,
    );
    expect(worse.plan.missing).toEqual(["shadow", "dependents"]);
    expect(worse.plan.steps.find((s) => s.id === "shadow")).toMatchObject({ met: false, action: null });

    // An approver may still release past it: the override meets the dependents step and says what it skipped.
    const [prompt, env] = [
      await getPrompt(t.db, f.projectId, "shared/tone"),
      await getEnvironmentRow(t.db, f.projectId, "staging"),
    ];
    const overridden = releasePlan(await loadPlanFacts(t.db, prompt, env, 3), { confirmDependents: true });
    expect(overridden.steps.find((s) => s.id === "dependents")).toMatchObject({
      met: true,
      detail: expect.stringMatching(
        /^Released past the rules of support-reply \(version 1\) by a person's override \(recorded with the deployment\): support-reply version 1 with shared\/tone version 3 scores clearly lower/,
      ),
    });
    expect(overridden.status).toBe("ready");

    // With support-reply's comparison met, shared/tone version 2 goes live in staging without an override.
    await expect(
      promoteVersion(f.ctx(f.approver), "shared/tone", { environment: "staging", version: 2 }),
    ).resolves.toMatchObject({ status: "deployed", deployment: { version: 2 } });
  });
});
