// A partial's release under running experiments and rollouts (docs/decisions/compositions.md): every move of what an
// environment serves that changes what a running experiment's arms compose is refused (409 experiment_running, naming
// it) until the caller chooses a new phase or a stop; the choice is applied in the release's transaction; a guarded
// rollout can only be stopped; an automatic rollback goes through. Rollbacks of rollbacks need a person, for prompts
// and bundles alike.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { failure } from "../../test/domain-fixtures";
import { f, t, traffic, withExperimentsDatabase, runningExperiment } from "../../test/experiments-fixture";
import { ingestEvents } from "../ingest/ingest";
import { assign } from "../experiments/assign";
import { experimentResults } from "../experiments/analysis/results";
import { getExperiment } from "../experiments/store";
import { startRollout } from "../experiments/rollouts/rollouts";
import { actOnRollout } from "../experiments/rollouts/rollout-control";
import { tickRollouts } from "../experiments/rollouts/rollout-job";
import { getRollout } from "../experiments/rollouts/rollout-reads";
import { stopExperiment } from "../experiments/stop";
import { createPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { loadResolved } from "../runtime/load";
import { resolvedDto } from "../runtime/resolve";
import { createBundle, releaseBundle } from "./bundles/bundles";
import { rollbackBundle } from "./bundles/bundle-rollback";
import { planByName } from "./plan/plan-facts";
import { promoteVersion } from "./promote";
import { rollbackPrompt } from "./rollback";
import { step } from "../../test/rollout-steps";

withExperimentsDatabase("composing");

/** Releases version 2 into staging and begins a new phase of what runs there. */
const newPhase = { environment: "staging", version: 2, experimentAction: "new_phase" } as const;

/** A partial `<n>/tone` (v1..v3) and a prompt `<n>/reply` (v1, v2) including it, both live in staging at v1. */
async function scene(n: string, include = `{{> ${n}/tone}}`) {
  const editor = f.ctx(f.editor);
  await createPrompt(editor, { name: `${n}/tone`, type: "text", template: "Be kind." });
  await createVersion(editor, `${n}/tone`, { template: "Be brief." });
  await createVersion(editor, `${n}/tone`, { template: "Be warm." });
  await createPrompt(editor, { name: `${n}/reply`, type: "text", template: `Reply. ${include}` });
  await createVersion(editor, `${n}/reply`, { template: `Answer. ${include}` });
  for (const p of ["tone", "reply"])
    await promoteVersion(f.ctx(f.approver), `${n}/${p}`, { environment: "staging", version: 1 });
}

async function running(n: string) {
  const e = await runningExperiment(`${n}/reply`, { name: `Concise ${n}` });
  return e.id;
}

const served = async (n: string, p: string) => (await loadResolved(t.db, f.projectId, `${n}/${p}`, "staging")).version;

describe("a partial released under a running experiment", () => {
  it("is refused naming the experiment, with the plan, and changes nothing", async () => {
    await scene("a");
    const id = await running("a");
    expect((await getExperiment(t.db, f.projectId, id)).phases[0]!.compositions).toEqual({
      A: "a/tone@1",
      B: "a/tone@1",
    });
    const plan = await planByName(t.db, f.projectId, "a/tone", "staging", 2);
    expect(plan).toMatchObject({ status: "blocked", missing: ["experiments"] });
    expect(plan.steps.at(-1)!.action).toMatchObject({ kind: "choose_experiment_action", newPhase: true });
    expect(plan.steps.at(-1)!.detail).toContain("Concise a");

    const err = await failure(promoteVersion(f.ctx(f.approver), "a/tone", { environment: "staging", version: 2 }));
    expect(err.code).toBe("experiment_running");
    expect(err.status).toBe(409);
    expect(err.details).toMatchObject({ field: "experimentAction", experiment: { id, name: "Concise a" } });
    expect((err.details as { plan: { missing: string[] } }).plan.missing).toEqual(["experiments"]);
    expect(await served("a", "tone")).toBe(1);
    expect((await getExperiment(t.db, f.projectId, id)).phase).toBe(1);

    // A rollback moves what is served too: the same refusal, without a plan.
    await promoteVersion(f.ctx(f.approver), "a/tone", newPhase);
    const back = await failure(rollbackPrompt(f.ctx(f.approver), "a/tone", { environment: "staging" }));
    expect([back.code, (back.details as { experiment: { id: string } }).experiment.id]).toEqual([
      "experiment_running",
      id,
    ]);
    expect(await served("a", "tone")).toBe(2);
  });

  it("a new phase keeps the split and records what each arm serves from then on", async () => {
    await scene("b");
    const id = await running("b");
    const before = await loadResolved(t.db, f.projectId, "b/reply", "staging");
    const e1 = before.experiment!;
    await ingestEvents(t.db, f.projectId, {
      events: Array.from({ length: 8 }, (_, i) => {
        const variant = assign({ seed: e1.seed, coverage: 1, variants: e1.variants }, `u${i}`)!.key;
        const common = { prompt: "b/reply", subject: `u${i}`, environment: "staging", experimentId: id, variant };
        return { ...common, id: `b-${i}`, type: "feedback", value: i % 2, version: variant === "A" ? 1 : 2, phase: 1 };
      }),
    });
    const d = await promoteVersion(f.ctx(f.approver), "b/tone", {
      environment: "staging",
      version: 2,
      reason: "shorter tone",
      experimentAction: "new_phase",
    });
    expect(d.status).toBe("deployed");
    const e = await getExperiment(t.db, f.projectId, id);
    expect([e.status, e.phase]).toEqual(["running", 2]);
    const [first, second] = e.phases;
    expect(second).toMatchObject({
      reason: "New phase: b/tone v2 released to staging: shorter tone",
      compositions: { A: "b/tone@2", B: "b/tone@2" },
      deploymentId: d.deployment.id,
      seed: first!.seed,
      weights: first!.weights,
    });
    const after = await loadResolved(t.db, f.projectId, "b/reply", "staging");
    expect(before.experiment!.phase).toBe(1);
    expect(after.experiment!.phase).toBe(2);
    // Each subject stays in its arm: the phase's seed did not change.
    expect(after.experiment!.seed).toBe(before.experiment!.seed);
    const arm = after.experiment!.arms.B!;
    expect(resolvedDto(arm, "s", new Date()).composition).toEqual({
      prompt: { name: "b/reply", version: 2 },
      partials: [{ name: "b/tone", version: 2 }],
    });
    // Results are read per phase: the new one starts empty, ?phase=1 keeps what came before.
    const results = await experimentResults(t.db, f.projectId, id);
    expect([results.experiment.phases, results.arms.map((a) => a.subjects)]).toEqual([[2], [0, 0]]);
    const old = await experimentResults(t.db, f.projectId, id, { phase: 1 });
    expect(old.experiment.phases).toEqual([1]);
    expect(old.arms.reduce((n, a) => n + a.subjects, 0)).toBe(8);
    expect((await failure(experimentResults(t.db, f.projectId, id, { phase: 9 }))).code).toBe("unprocessable");
    const [audit] = await queryRows<{ after: { phase: number; deployment: number } }>(
      t.db,
      sql`select after from audit_log where action = 'experiment.phase' and object_id = ${id}`,
    );
    expect(audit!.after).toMatchObject({ phase: 2, deployment: d.deployment.id });
  });

  it("a stop ends it in the same transaction, with the release as its reason", async () => {
    await scene("c");
    const id = await running("c");
    await promoteVersion(f.ctx(f.approver), "c/tone", { environment: "staging", version: 3, experimentAction: "stop" });
    const e = await getExperiment(t.db, f.projectId, id);
    expect(e.status).toBe("stopped");
    expect(e.decision).toMatchObject({
      stoppedBy: "deployment",
      reason: "Stopped: c/tone v3 released to staging changed what its arms serve.",
    });
  });

  it("a pinned reference does not follow the release, so nothing is asked", async () => {
    await scene("d", "{{> d/tone|version=1}}");
    const id = await running("d");
    await promoteVersion(f.ctx(f.approver), "d/tone", { environment: "staging", version: 2 });
    expect((await getExperiment(t.db, f.projectId, id)).phase).toBe(1);
  });

  it("only its owner or an approver may move it; an automatic rollback goes through with a new phase", async () => {
    await scene("e");
    const id = await running("e");
    const editor = await failure(promoteVersion(f.ctx(f.editor), "e/tone", newPhase));
    expect([editor.code, editor.details?.rule]).toEqual(["forbidden", "endExperiment"]);
    await promoteVersion(f.ctx(f.approver), "e/tone", newPhase);
    const system = { type: "system", id: "online-eval", label: "Online evaluation", role: "admin" } as const;
    await rollbackPrompt(
      f.ctx(system),
      "e/tone",
      { environment: "staging", reason: "scores dropped" },
      {
        action: "auto_rollback",
      },
    );
    const e = await getExperiment(t.db, f.projectId, id);
    expect([e.status, e.phase, e.phases[2]!.compositions]).toEqual(["running", 3, { A: "e/tone@1", B: "e/tone@1" }]);
  });
});

describe("a partial released under a guarded rollout of a prompt that includes it", () => {
  it("waits, or stops the rollout; a new phase is refused", async () => {
    await scene("g");
    await startRollout(f.ctx(f.approver), "g/reply", { environment: "staging", version: 2 });
    const asked = await failure(promoteVersion(f.ctx(f.approver), "g/tone", newPhase));
    expect(asked.code).toBe("experiment_running");
    expect(asked.message).toContain("A guarded rollout cannot begin a new phase");
    expect(await served("g", "tone")).toBe(1);
    await promoteVersion(f.ctx(f.approver), "g/tone", { environment: "staging", version: 2, experimentAction: "stop" });
    const [row] = await queryRows<{ status: string }>(
      t.db,
      sql`select e.status from experiments e join prompts p on p.id = e.prompt_id where p.name = 'g/reply'`,
    );
    expect(row!.status).toBe("stopped");
  });
});

describe("a partial's own experiment or rollout that ends by releasing it, under an experiment that includes it", () => {
  it("a ship is refused until the person says what happens to that experiment, and their choice applies", async () => {
    // The partial's own experiment starts first (an experiment on the prompt including it is refused to start
    // the other way round: the plan asks for a choice first), then one on the prompt that includes it.
    await scene("k");
    const own = await runningExperiment("k/tone", { name: "Tone k" });
    const reply = await running("k");
    const ship = { decision: { ship: "B" }, reason: "warmer reads better" };
    const asked = await failure(stopExperiment(f.ctx(f.approver), own.id, ship));
    expect([asked.code, asked.details?.field]).toEqual(["experiment_running", "experimentAction"]);
    expect(asked.message).toContain("Concise k");
    const still = await getExperiment(t.db, f.projectId, own.id);
    expect([still.status, await served("k", "tone")]).toEqual(["running", 1]);
    await stopExperiment(f.ctx(f.approver), own.id, { ...ship, experimentAction: "new_phase" });
    expect(await served("k", "tone")).toBe(2);
    expect((await getExperiment(t.db, f.projectId, own.id)).decision).toMatchObject({ ship: "B" });
    const e = await getExperiment(t.db, f.projectId, reply);
    expect([e.status, e.phase, e.phases[1]!.compositions]).toEqual(["running", 2, { A: "k/tone@2", B: "k/tone@2" }]);
  });

  it("a rollout ready to complete holds and says why; a person completes it with their choice", async () => {
    await scene("m");
    const options = {
      environment: "staging",
      version: 3,
      steps: [step(50), step(100)],
      guardrails: ["latency_ms"],
      minSamplePerArm: 10,
    };
    // Under a running experiment that includes the partial, the rollout does not start: it could not complete.
    const first = await running("m");
    const refused = await failure(startRollout(f.ctx(f.approver), "m/tone", options));
    expect([refused.code, refused.details?.rule]).toEqual(["plan_unmet", "experimentRunning"]);
    expect(refused.details).not.toHaveProperty("field");
    expect(refused.message).toBe(
      "A rollout starts only when the release plan is met. Experiment “Concise m” on m/reply runs in staging and includes m/tone: this rollout's completion would change what it serves mid-experiment, and a rollout's start cannot choose for it. Stop it first, or start the rollout once it has ended.",
    );
    await stopExperiment(f.ctx(f.approver), first, { decision: { keep: "control" } });
    // Started the other way round, the experiment runs when the rollout is ready to complete.
    const r = await startRollout(f.ctx(f.approver), "m/tone", options);
    const reply = await running("m");
    await traffic("m/tone", 200, (_v, rnd) => 200 + rnd() * 20, "m-1");
    const noEvents = { publish: async () => {} };
    const [held] = (await tickRollouts(t.db, noEvents)).filter((x) => x.rolloutId === r.id);
    expect(held).toMatchObject({ action: "wait" });
    expect(held!.reason).toBe(
      "ready to complete, but completing changes what experiment “Concise m” on m/reply serves while it runs: it completes once that ends, or when a person completes it and chooses a new phase or a stop for it",
    );
    // The rollout's page and API say so; nothing was released, nothing of the experiment moved.
    const waiting = await getRollout(t.db, f.projectId, r.id);
    expect([waiting.status, waiting.percent, waiting.lastCheck?.reason]).toEqual(["running", 50, held!.reason]);
    expect(await served("m", "tone")).toBe(1);
    expect((await getExperiment(t.db, f.projectId, reply)).phase).toBe(1);
    // A person's completion is asked the same, and takes the choice.
    const advance = { reason: "guardrails held" };
    expect((await failure(actOnRollout(f.ctx(f.approver), r.id, "advance", advance))).code).toBe("experiment_running");
    const wrong = await failure(
      actOnRollout(f.ctx(f.approver), r.id, "pause", { ...advance, experimentAction: "stop" }),
    );
    expect([wrong.code, wrong.details?.field]).toEqual(["unprocessable", "experimentAction"]);
    await actOnRollout(f.ctx(f.approver), r.id, "advance", { ...advance, experimentAction: "stop" });
    expect((await getRollout(t.db, f.projectId, r.id)).status).toBe("completed");
    expect(await served("m", "tone")).toBe(3);
    expect((await getExperiment(t.db, f.projectId, reply)).status).toBe("stopped");
  });
});

describe("a rollback of a rollback", () => {
  it("releases the rolled-back version again only when a person confirms it", async () => {
    await scene("r");
    await promoteVersion(f.ctx(f.approver), "r/reply", { environment: "staging", version: 2 });
    await rollbackPrompt(f.ctx(f.approver), "r/reply", { environment: "staging", reason: "rude answers" });
    const again = await failure(rollbackPrompt(f.ctx(f.approver), "r/reply", { environment: "staging" }));
    expect([again.code, again.details?.field]).toEqual(["rolled_back", "confirmRolledBack"]);
    expect(again.message).toContain("“rude answers”");
    expect(await served("r", "reply")).toBe(1);
    await rollbackPrompt(f.ctx(f.approver), "r/reply", { environment: "staging", confirmRolledBack: true });
    expect(await served("r", "reply")).toBe(2);
  });

  it("of a bundle asks the same, naming every member", async () => {
    await scene("s");
    await createBundle(f.ctx(f.editor), { name: "s-agent", prompts: ["s/reply", "s/tone"] });
    await releaseBundle(f.ctx(f.approver), "s-agent", {
      environment: "staging",
      versions: { "s/reply": 2, "s/tone": 1 },
    });
    await rollbackBundle(f.ctx(f.approver), "s-agent", { environment: "staging", reason: "worse" });
    expect(await served("s", "reply")).toBe(1);
    const again = await failure(rollbackBundle(f.ctx(f.approver), "s-agent", { environment: "staging" }));
    expect(again.code).toBe("rolled_back");
    expect(again.details).toMatchObject({ bundle: "s-agent", members: [{ prompt: "s/reply", version: 2 }] });
    expect(await served("s", "reply")).toBe(1);
    await rollbackBundle(f.ctx(f.approver), "s-agent", { environment: "staging", confirmRolledBack: true });
    expect(await served("s", "reply")).toBe(2);
  });
});
