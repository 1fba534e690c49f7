// An environment where every release is a guarded rollout (docs/decisions/guarded-rollouts.md): a promotion is refused
// with the plan's "rollout" step (409, rule guardedRollout), a rollout started there takes the environment's steps, and
// its completion, a person's rollback and a version shipped from an experiment still go through; turning the rule
// off lets promotions through again. Bad rules are refused naming the field; the rule travels in a snapshot.
import { describe, expect, it } from "vitest";
import * as fixtures from "../../../test/domain-fixtures";
import {
  arms,
  f,
  servedPrompt,
  t,
  withExperimentsDatabase,
  runningExperiment,
} from "../../../test/experiments-fixture";
import { getPrompt } from "../../registry/prompts";
import { getEnvironmentRow, updateEnvironment } from "../../release/environments";
import { planFor } from "../../release/plan/plan-facts";
import { promoteVersion } from "../../release/promote";
import { rollbackPrompt } from "../../release/rollback";
import { setExperimentWeights } from "../lifecycle";
import { actOnRollout } from "./rollout-control";
import { startRollout } from "./rollouts";
import { stopExperiment } from "../stop";
import { exportProjectSnapshot } from "../../snapshots/export";
import { importProjectSnapshot } from "../../snapshots/import";

withExperimentsDatabase("rollout-rule");
const steps = [
  { percent: 20, minMinutes: 0, minSubjects: 0 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];
const live = async (name: string) => fixtures.liveVersion(t.db, f, name, "staging");

describe("every release to an environment is a guarded rollout", () => {
  it("refuses a promotion, ramps a rollout with the environment's steps, and lets it complete", async () => {
    await servedPrompt("rr-main", 3);
    await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: { steps } });
    expect((await getEnvironmentRow(t.db, f.projectId, "staging")).guardedRollout).toEqual({ steps });

    const refused = await fixtures.failure(
      promoteVersion(f.ctx(f.approver), "rr-main", { environment: "staging", version: 2 }),
    );
    expect([refused.code, refused.details?.rule]).toEqual(["conflict", "guardedRollout"]);
    expect(refused.message).toMatch(/^Every release to staging is a guarded rollout: version 2 ramps by steps/);
    const plan = await planFor(
      t.db,
      await getPrompt(t.db, f.projectId, "rr-main"),
      await getEnvironmentRow(t.db, f.projectId, "staging"),
      2,
    );
    expect(plan.steps.find((s) => s.id === "rollout")).toMatchObject({
      met: false,
      action: { kind: "start_rollout", environment: "staging", version: 2 },
    });

    const r = await startRollout(f.ctx(f.approver), "rr-main", {
      environment: "staging",
      version: 2,
      guardrails: ["latency_ms"],
    });
    expect(r.steps).toEqual(steps);
    // The last step makes it the deployment, through the same plan (the rollout is the way).
    await actOnRollout(f.ctx(f.approver), r.id, "advance", { reason: "fine at 20 %" });
    expect(await live("rr-main")).toBe(2);
    // A rollback is never held back by the rule.
    await rollbackPrompt(f.ctx(f.approver), "rr-main", { environment: "staging", version: 1, reason: "undo" });
    expect(await live("rr-main")).toBe(1);
  });

  it("lets a version shipped from an experiment through, and promotions once the rule is off", async () => {
    await servedPrompt("rr-ship", 2);
    await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: {} });
    expect((await getEnvironmentRow(t.db, f.projectId, "staging")).guardedRollout).toEqual({ steps: null });
    const e = await runningExperiment("rr-ship", { variants: arms(1, 2) });
    await setExperimentWeights(f.ctx(f.approver), e.id, { weights: { A: 0.2, B: 0.8 } });
    await stopExperiment(f.ctx(f.approver), e.id, { decision: { ship: "B" }, reason: "B reads better" });
    expect(await live("rr-ship")).toBe(2);

    await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: null });
    await promoteVersion(f.ctx(f.approver), "rr-ship", { environment: "staging", version: 1 });
    expect(await live("rr-ship")).toBe(1);
  });

  it("refuses a bad rule naming the field, and changes nothing", async () => {
    const shallow = await fixtures.failure(
      updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: { steps: [{ percent: 50 }] } }),
    );
    expect([shallow.code, shallow.details?.field, shallow.message]).toEqual([
      "invalid_input",
      "guardedRollout.steps",
      "guardedRollout.steps: steps must have at least two entries, the last at 100 %",
    ]);
    const stranger = await fixtures.failure(
      updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: { step: [] } as never }),
    );
    expect(stranger.code).toBe("invalid_input");
    expect((await getEnvironmentRow(t.db, f.projectId, "staging")).guardedRollout).toBeNull();
  });

  it("travels in a project snapshot", async () => {
    await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: { steps } });
    const snapshot = await exportProjectSnapshot(t.db, f.projectId);
    expect(snapshot.environments.find((e) => e.name === "staging")?.guardedRollout).toEqual({ steps });
    const target = await fixtures.seedProject(t.db, "rr-target");
    await importProjectSnapshot(target.ctx(target.admin), JSON.parse(JSON.stringify(snapshot)));
    expect((await getEnvironmentRow(t.db, target.projectId, "staging")).guardedRollout).toEqual({ steps });
  });
});
