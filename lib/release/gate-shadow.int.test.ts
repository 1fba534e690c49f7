// The release plan's shadow step (requiresShadow): an environment takes a version only after it answered
// enough live inputs in the shadow with no scorer significantly worse than the live version, on every
// path that changes what is served (promote here; the plan is the one every release operation reads).
import { beforeEach, describe, expect, it } from "vitest";
import { createModelCaller } from "../llm/caller";
import { putOnlineRule } from "../evaluation/online/rules";
import { scorePendingSamples } from "../evaluation/online/scoring";
import { runShadow } from "../evaluation/online/shadow";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { createScorerModels } from "../scorers";
import { getEnvironment, updateEnvironmentRules } from "./environments";
import { planByName } from "./plan-facts";
import { promote } from "./promote";
import { liveVersion } from "../../test/domain-fixtures";
import { f, generations, rule, server, t, withOnlineDatabase } from "../../test/online-fixture";

withOnlineDatabase("gate-shadow");

const models = () =>
  createScorerModels(() =>
    createModelCaller({ id: "default", name: "Local", provider: "openai-compatible", baseUrl: server.baseUrl }),
  );

describe("the shadow step of the release plan", () => {
  beforeEach(() => {
    server.reset();
    server.script({
      rules: [
        { match: "v2", text: "Your refund is on its way." },
        { match: "v3", text: "Thank you for waiting, Ana. Your refund is on its way." },
      ],
    });
  });

  it("refuses a version worse in the shadow, takes one that is not, and says how far one is", async () => {
    const config = { model: "support-model" };
    await createPrompt(f.ctx(f.editor), { name: "gs", type: "text", template: "v1", config });
    for (const v of [2, 3, 4]) await createVersion(f.ctx(f.editor), "gs", { template: `v${v}`, config });
    await promote(f.ctx(f.approver), "gs", { environment: "staging", version: 1 });
    await expect(
      updateEnvironmentRules(f.ctx(f.admin), "staging", { requiresShadow: { minInputs: 2 } }),
    ).rejects.toMatchObject({ code: "invalid_input", message: expect.stringMatching(/at least 5/) });
    await updateEnvironmentRules(f.ctx(f.admin), "staging", { requiresShadow: { minInputs: 10 } });
    expect((await getEnvironment(t.db, f.projectId, "staging")).shadowMinInputs).toBe(10);
    await putOnlineRule(f.ctx(f.approver), "gs", rule({ shadow: { versions: [2, 3], sampleRate: 1 } }));

    const before = await planByName(t.db, f.projectId, "gs", "staging", 3);
    expect(before.missing).toEqual(["shadow"]);
    expect(before.steps[0]!.detail).toBe("Version 3 has answered 0 of the 10 live inputs the shadow comparison needs.");
    expect((await planByName(t.db, f.projectId, "gs", "staging", 4)).steps[0]!.detail).toMatch(
      /^Version 4 is not a shadow candidate in staging/,
    );

    await generations("gs", 1, 12, 12);
    await scorePendingSamples(t.db, undefined);
    await runShadow(t.db, () => models());

    await expect(promote(f.ctx(f.approver), "gs", { environment: "staging", version: 2 })).rejects.toMatchObject({
      code: "gate_failed",
      message:
        "staging requires a shadow comparison with no significant loss: Version 2 is significantly worse than live version 1 in the shadow on thanks by 100.0 points [100.0, 100.0], weighted score by 100.0 points [100.0, 100.0] (12 inputs, Holm-adjusted).",
      details: { rule: "requiresShadow", shadow: { n: 12, minInputs: 10 } },
    });
    expect(await liveVersion(t.db, f, "gs", "staging")).toBe(1);
    const v3 = await planByName(t.db, f.projectId, "gs", "staging", 3);
    expect(v3).toMatchObject({ status: "ready", missing: [] });
    expect(v3.steps[0]!.detail).toBe(
      "Version 3 answered 12 live inputs in the shadow with no scorer significantly worse than version 1.",
    );
    await promote(f.ctx(f.approver), "gs", { environment: "staging", version: 3 });
    expect(await liveVersion(t.db, f, "gs", "staging")).toBe(3);
    // An experiment may serve a version staging served before, as a rollback may return to it.
    expect((await planByName(t.db, f.projectId, "gs", "staging", 1)).missing).toEqual(["shadow"]);
    const back = await planByName(t.db, f.projectId, "gs", "staging", 1, { purpose: "experiment" });
    expect(back.missing).toEqual([]);

    await updateEnvironmentRules(f.ctx(f.admin), "staging", { requiresShadow: null });
    expect((await planByName(t.db, f.projectId, "gs", "staging", 2)).steps).toEqual([]);
  });
});
