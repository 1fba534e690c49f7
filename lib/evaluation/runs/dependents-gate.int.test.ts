// A partial's release is a release of every prompt that includes it (docs/decisions/partial-releases.md): the plan of
// `tone` in staging lists `support` (which includes it) with staging's evaluation gate run on support rendered with
// the candidate tone; promotion is refused until that run passes, or an approver overrides (audited). A
// run can name the partial versions it renders with. Dependents through other partials count, a pin of a
// version of tone does not. The scripted model answers "no idea" to any prompt
// containing "Bad:", so a bad tone makes support fail its gate although support itself did not change.
import { and, desc, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "../../../db/schema";
import { datasetId, exact, f, newRun, t, withRunsDatabase } from "../../../test/eval-runs-fixture";
import { failure, liveVersion } from "../../../test/domain-fixtures";
import { updateDataset } from "../datasets";
import { createPrompt, getPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { listPromptDependents } from "../../release/dependents";
import { updateEnvironment } from "../../release/environments";
import { planByName } from "../../release/plan/plan-facts";
import { promoteVersion } from "../../release/promote";
import { gateRun } from "./gate-run.fixture";

withRunsDatabase("runs-dependents");

const variables = [{ name: "question" }];
const config = { model: "scripted-model" };

beforeAll(async () => {
  const ctx = f.ctx(f.editor);
  await createPrompt(ctx, { name: "tone", type: "text", template: "Be kind." });
  await createVersion(ctx, "tone", { template: "Bad: be curt." }); // v2: makes support fail
  await createVersion(ctx, "tone", { template: "Be kind and brief." }); // v3: fine
  await createVersion(ctx, "support", { template: "{{> tone}} Good: {{question}}", variables, config }); // v6
  await createPrompt(ctx, { name: "pinned", type: "text", template: "{{> tone|version=1}} Hi" });
  await promoteVersion(f.ctx(f.approver), "tone", { environment: "staging", version: 1 });
  // Saving a label pin needs what it pins to be served there.
  await createPrompt(ctx, { name: "labelled", type: "text", template: "{{> tone|label=staging}} Hi" });
  // Through another partial, by name or by a pin of its version (whose own `{{> tone}}` follows staging).
  await createPrompt(ctx, { name: "voice", type: "text", template: "{{> tone}} Speak plainly." });
  await promoteVersion(f.ctx(f.approver), "voice", { environment: "staging", version: 1 });
  await createPrompt(ctx, { name: "deep", type: "text", template: "{{> voice}} Hi" });
  await createPrompt(ctx, { name: "via-pin", type: "text", template: "{{> voice|version=1}} Hi" });
  for (const [name, version] of [
    ["deep", 1],
    ["via-pin", 1],
    ["support", 6],
    ["pinned", 1],
    ["labelled", 1],
  ] as const)
    await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version });
  // The gate's dataset is support's: tone has no gate of its own, only through support.
  await updateDataset(f.ctx(f.admin), datasetId, { prompt: "support" });
  await updateEnvironment(f.ctx(f.admin), "staging", {
    evaluationGate: { dataset: datasetId, minScore: 0.8, maxDrop: 0.05, scorers: exact },
  });
});

describe("a partial's dependents", () => {
  it("are the prompts that include it as the environment serves it, directly or by its label", async () => {
    expect(await listPromptDependents(t.db, f.projectId, "tone", "staging")).toEqual([
      { name: "deep", environment: "staging", serves: 1, direct: false },
      { name: "labelled", environment: "staging", serves: 1, direct: true },
      { name: "support", environment: "staging", serves: 6, direct: true },
      { name: "via-pin", environment: "staging", serves: 1, direct: false },
      { name: "voice", environment: "staging", serves: 1, direct: true },
    ]);
    // A version pin does not follow staging's release; production serves none of them.
    expect(await listPromptDependents(t.db, f.projectId, "tone", "production")).toEqual([]);
    expect(await listPromptDependents(t.db, f.projectId, "support")).toEqual([]);
  });

  it("must pass their gate on the composed text before the partial is released", async () => {
    const plan = await planByName(t.db, f.projectId, "tone", "staging", 2);
    expect(plan.status).toBe("blocked");
    expect(plan.missing).toEqual(["dependents"]);
    const support = plan.dependents.find((d) => d.name === "support")!;
    expect(support).toMatchObject({ serves: 6, met: false });
    expect(support.steps[0]).toMatchObject({
      id: "evaluation",
      met: false,
      action: { kind: "run_evaluation", prompt: "support", version: 6, partials: { tone: 2 } },
    });
    expect(support.steps[0]!.detail).toMatch(/^support version 6 with tone version 2 has no completed evaluation run/);
    // labelled has no gate here (the dataset is support's): nothing to meet.
    expect(plan.dependents.find((d) => d.name === "labelled")).toMatchObject({ met: true, steps: [] });

    const refused = await failure(promoteVersion(f.ctx(f.approver), "tone", { environment: "staging", version: 2 }));
    expect([refused.code, refused.details?.rule]).toEqual(["conflict", "dependents"]);
    expect(refused.message).toContain("support (version 6)");
    expect((refused.details!.dependents as { name: string }[]).map((d) => d.name)).toEqual([
      "deep",
      "labelled",
      "support",
      "via-pin",
      "voice",
    ]);

    // The run renders support with tone v2: "Bad:" reaches the model, every item fails the gate.
    const bad = await gateRun(6, { tone: 2 });
    expect([bad.score, bad.partialVersions]).toEqual([0, { tone: 2 }]);
    const after = await planByName(t.db, f.projectId, "tone", "staging", 2);
    expect(after.dependents.find((d) => d.name === "support")!.steps[0]!.detail).toContain(
      "support version 6 with tone version 2 scored 0.0%",
    );
    expect(
      (await failure(promoteVersion(f.ctx(f.approver), "tone", { environment: "staging", version: 2 }))).code,
    ).toBe("conflict");
    // A run with an override never counts for the prompt's own gate (it is not what staging serves).
    const own = await planByName(t.db, f.projectId, "support", "staging", 6);
    expect(own.status).toBe("live");

    // tone v3 passes through support, measured against support as staging serves it (with tone v1).
    await gateRun(6);
    const good = await gateRun(6, { tone: 3 });
    expect(good.score).toBe(1);
    const v3 = await planByName(t.db, f.projectId, "tone", "staging", 3);
    expect(v3.dependents.find((d) => d.name === "support")!.steps[0]!.detail).toBe(
      "support version 6 with tone version 3 scored 100.0% on support-eval (version 1) (support version 6 as staging serves it: 100.0%).",
    );
    expect(v3.status).toBe("ready");
    await promoteVersion(f.ctx(f.approver), "tone", { environment: "staging", version: 3 });
    expect(await liveVersion(t.db, f, "tone", "staging")).toBe(3);
  });

  it("can be released past only by an approver's override, which is audited", async () => {
    const editor = await failure(
      promoteVersion(f.ctx(f.editor), "tone", { environment: "staging", version: 2, confirmDependents: true }),
    );
    expect([editor.code, editor.details?.field]).toEqual(["forbidden", "confirmDependents"]);
    const job = await failure(
      promoteVersion(f.ctx({ type: "system", label: "auto-promote" }), "tone", {
        environment: "staging",
        version: 2,
        confirmDependents: true,
      }),
    );
    expect(job.details?.rule).toBe("dependents");
    await promoteVersion(f.ctx(f.approver), "tone", { environment: "staging", version: 2, confirmDependents: true });
    expect(await liveVersion(t.db, f, "tone", "staging")).toBe(2);
    const tone = await getPrompt(t.db, f.projectId, "tone");
    const [row] = await t.db
      .select({ after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.objectId, tone.id), eq(auditLog.action, "deployment.promote")))
      .orderBy(desc(auditLog.id))
      .limit(1);
    expect(row!.after).toMatchObject({ version: 2, overrode: { rule: "dependents", prompts: ["support"] } });
  });

  it("a run's partial versions are checked: they exist and the prompt includes them there", async () => {
    const bad = async (partials: Record<string, number>) =>
      failure(newRun(f.ctx(f.editor), { prompt: "support", version: 6, gate: "staging", partials }));
    expect((await bad({ nope: 1 })).message).toMatch(/^partials: /);
    expect((await bad({ tone: 99 })).message).toBe("partials: Prompt tone has no version 99.");
    expect((await bad({ pinned: 1 })).message).toBe(
      "partials: support version 6 does not include pinned as staging serves it",
    );
    expect((await bad({ support: 1 })).details?.field).toBe("partials");
    expect((await bad({ tone: 0 })).code).toBe("unprocessable");
  });
});
