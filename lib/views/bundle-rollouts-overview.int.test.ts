// The bundle page's read of its guarded rollouts: per environment the one under way with each member's
// readings, the ended ones, and what the start form starts from (the environment's rule, else the default).
import { describe, expect, it } from "vitest";
import { f, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";
import { createBundleRollout } from "../experiments/rollouts/bundle-rollouts";
import { DEFAULT_ROLLOUT_STEPS } from "../experiments/rollouts/rollout-decide";
import { actOnRollout } from "../experiments/rollouts/rollout-control";
import { createBundle } from "../release/bundles/bundles";
import { updateEnvironment } from "../release/environments";
import { bundleRolloutsOverview } from "./bundle-rollouts-overview";

withExperimentsDatabase("bundle-rollouts-overview");
const steps = [
  { percent: 10, minMinutes: 0, minSubjects: 0 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];

async function crew(name: string) {
  for (const m of ["plan", "act", "tools"]) await servedPrompt(`${name}/${m}`, 2);
  await createBundle(f.ctx(f.editor), { name, prompts: [`${name}/plan`, `${name}/act`, `${name}/tools`] });
  return { [`${name}/plan`]: 2, [`${name}/act`]: 2, [`${name}/tools`]: 1 };
}
const inEnv = async (name: string, env: string) =>
  (await bundleRolloutsOverview(t.db, f.projectId, name)).find((e) => e.environment === env)!;

describe("bundleRolloutsOverview", () => {
  it("shows the rollout under way with each changed member's readings, then as ended once rolled back", async () => {
    const versions = await crew("crew");
    const before = await inEnv("crew", "staging");
    expect(before).toMatchObject({ required: false, active: null, ended: [] });
    expect(before.steps).toEqual(DEFAULT_ROLLOUT_STEPS);

    const r = await createBundleRollout(f.ctx(f.approver), "crew", { environment: "staging", versions, steps });
    const all = await bundleRolloutsOverview(t.db, f.projectId, "crew");
    const staging = all.find((e) => e.environment === "staging")!;
    expect(staging.active).toMatchObject({ id: r.id, status: "running", percent: 10, margin: null });
    expect(staging.active!.members.map((m) => [m.prompt, m.liveVersion, m.version]).sort()).toEqual([
      ["crew/act", 1, 2],
      ["crew/plan", 1, 2],
    ]);
    // Each changed member's own rollout, read with its guardrails at this step.
    expect(staging.active!.readings.map((m) => m.id)).toEqual(staging.active!.members.map((m) => m.rollout));
    expect(staging.active!.readings.every((m) => m.current !== null && m.status === "running")).toBe(true);
    expect(staging.active!.stepStartedAt).toBe(staging.active!.readings[0]!.stepStartedAt);
    expect(all.filter((e) => e.environment !== "staging").every((e) => e.active === null)).toBe(true);

    await actOnRollout(f.ctx(f.approver), r.members[1]!.rollout, "rollback", { reason: "act loops on tools" });
    const after = await inEnv("crew", "staging");
    expect(after.active).toBeNull();
    expect(after.ended.map((e) => [e.id, e.status])).toEqual([[r.id, "rolled_back"]]);
    expect(after.ended[0]!.decisions.at(-1)).toMatchObject({ action: "rollback", reason: "act loops on tools" });
  });

  it("starts from the environment's own steps where every release is a guarded rollout", async () => {
    await crew("rule");
    const own = [
      { percent: 20, minMinutes: 30, minSubjects: 50 },
      { percent: 100, minMinutes: 0, minSubjects: 0 },
    ];
    await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: { steps: own } });
    try {
      expect(await inEnv("rule", "staging")).toMatchObject({ required: true, steps: own });
      await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: {} });
      expect(await inEnv("rule", "staging")).toMatchObject({ required: true, steps: DEFAULT_ROLLOUT_STEPS });
    } finally {
      await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: null });
    }
    expect((await inEnv("rule", "staging")).required).toBe(false);
  });
});
