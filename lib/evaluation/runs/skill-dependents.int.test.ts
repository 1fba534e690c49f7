// A skill is tested like a prompt: a prompt that includes the skill's SKILL.md body as a partial
// ({{> skills/pdf-report}}) is its dependent, so the skill's release plan lists it with the environment's gate
// run on the composed text; the skill itself, never rendered alone, has no evaluation step of its own even where
// the gate's dataset applies to every prompt. The scripted model answers "no idea" to any prompt containing
// "Bad:", so a bad skill fails its dependent's gate although the dependent did not change.
import { beforeAll, describe, expect, it } from "vitest";
import { datasetId, exact, f, newRun, t, withRunsDatabase } from "../../../test/eval-runs-fixture";
import { failure, liveVersion } from "../../../test/domain-fixtures";
import { createPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { listPromptDependents } from "../../release/dependents";
import { updateEnvironment } from "../../release/environments";
import { planByName } from "../../release/plan/plan-facts";
import { promoteVersion } from "../../release/promote";
import { gateRun } from "./gate-run.fixture";

withRunsDatabase("runs-skill-dependents");

const skill = "skills/pdf-report";
const skillMd = (body: string) => `---\nname: pdf-report\ndescription: Writes PDF reports.\n---\n${body}`;
const files = (body: string) => ({ "SKILL.md": skillMd(body), "references/guide.md": "# Guide\n" });

beforeAll(async () => {
  const ctx = f.ctx(f.editor);
  await createPrompt(ctx, { name: skill, type: "skill", files: files("Be thorough.") });
  await createVersion(ctx, skill, { type: "skill", files: files("Bad: skip the charts.") }); // v2
  await createVersion(ctx, skill, { type: "skill", files: files("Be thorough and brief.") }); // v3
  await promoteVersion(f.ctx(f.approver), skill, { environment: "staging", version: 1 });
  await createVersion(ctx, "support", {
    template: "{{> skills/pdf-report}} Good: {{question}}",
    variables: [{ name: "question" }],
    config: { model: "scripted-model" },
  }); // v6
  await promoteVersion(f.ctx(f.approver), "support", { environment: "staging", version: 6 });
  await updateEnvironment(f.ctx(f.admin), "staging", {
    evaluationGate: { dataset: datasetId, minScore: 0.8, maxDrop: 0.05, scorers: exact },
  });
});

describe("a skill's dependents", () => {
  it("are the prompts that include its SKILL.md where the environment serves it", async () => {
    expect(await listPromptDependents(t.db, f.projectId, skill, "staging")).toEqual([
      { name: "support", environment: "staging", serves: 6, direct: true },
    ]);
  });

  it("pass their gate on the composed text before the skill is released; the skill has no gate of its own", async () => {
    const plan = await planByName(t.db, f.projectId, skill, "staging", 2);
    expect(plan.steps.map((s) => s.id)).toEqual(["dependents"]);
    expect(plan.missing).toEqual(["dependents"]);
    expect(plan.dependents[0]!.steps[0]).toMatchObject({
      id: "evaluation",
      met: false,
      action: { kind: "run_evaluation", prompt: "support", version: 6, partials: { [skill]: 2 } },
    });
    const refused = await failure(promoteVersion(f.ctx(f.approver), skill, { environment: "staging", version: 2 }));
    expect([refused.code, refused.details?.rule]).toEqual(["conflict", "dependents"]);

    // The run renders support with the skill's v2 body: "Bad:" reaches the model, every item fails.
    const bad = await gateRun(6, { [skill]: 2 });
    expect([bad.score, bad.partialVersions]).toEqual([0, { [skill]: 2 }]);
    expect((await planByName(t.db, f.projectId, skill, "staging", 2)).status).toBe("blocked");

    await gateRun(6);
    expect((await gateRun(6, { [skill]: 3 })).score).toBe(1);
    expect((await planByName(t.db, f.projectId, skill, "staging", 3)).status).toBe("ready");
    await promoteVersion(f.ctx(f.approver), skill, { environment: "staging", version: 3 });
    expect(await liveVersion(t.db, f, skill, "staging")).toBe(3);
  });

  it("a skill alone is not evaluated: a run of it is refused in words", async () => {
    const err = await failure(
      newRun(f.ctx(f.editor), { prompt: skill, version: 3, dataset: datasetId, scorers: exact }),
    );
    expect(err.message).toMatch(/skill/i);
  });
});
