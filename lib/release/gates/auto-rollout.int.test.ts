// Auto-promote where every release is a guarded rollout (docs/decisions/guarded-rollouts.md): a passing run starts a
// rollout of its version with the environment's steps, by auto-promote, naming the run; nothing live yet is a plain
// first promotion; a rollout already running or a version rolled back there is skipped with the reason; with the
// rule off the run promotes as before.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { liveVersion } from "../../../test/domain-fixtures";
import { datasetId, deps, exact, f, run, t, withRunsDatabase } from "../../../test/eval-runs-fixture";
import type { RunDeps } from "../../evaluation/runs";
import { actOnRollout } from "../../experiments/rollouts/rollout-control";
import { getRollout } from "../../experiments/rollouts/rollout-reads";
import { startRollout } from "../../experiments/rollouts/rollouts";
import { autoPromote, type AutoPromoteDecision } from "./auto-promote";
import { updateEnvironment } from "../environments";
import { noEvents } from "../../announcements";

withRunsDatabase("auto-rollout");
const steps = [
  { percent: 20, minMinutes: 30, minSubjects: 50 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];

describe("auto-promote where every release is a guarded rollout", () => {
  it("starts a rollout with the environment's steps, skips when one runs or the version was rolled back", async () => {
    await updateEnvironment(f.ctx(f.admin), "staging", {
      evaluationGate: { dataset: datasetId, minScore: 0.5, maxDrop: 1, scorers: exact },
      autoPromote: { minScore: 0.95 },
      guardedRollout: { steps },
    });
    let decisions: AutoPromoteDecision[] = [];
    const auto: RunDeps = {
      ...deps,
      onCompleted: async (db, r) => void (decisions = await autoPromote(db, r, noEvents, startRollout)),
    };
    const staging = () => decisions.filter((d) => d.environment === "staging");

    // Nothing is live: a first release has nothing to ramp beside, so it is a promotion.
    await run(1, {}, auto);
    expect(staging()).toMatchObject([{ action: "promoted" }]);
    expect(await liveVersion(t.db, f, "support", "staging")).toBe(1);

    const passing = await run(3, {}, auto);
    const [started] = staging();
    expect(started).toMatchObject({
      action: "rollout_started",
      rolloutId: expect.any(String),
      reason: `Auto-promote: evaluation run ${passing.id} scored 1.000 (threshold 0.95)`,
    });
    const rollout = await getRollout(t.db, f.projectId, started!.rolloutId!);
    expect(rollout).toMatchObject({ status: "running", version: 3, liveVersion: 1, percent: 20, steps });
    expect(rollout.decisions).toEqual([
      expect.objectContaining({ action: "start", by: "auto-promote", automatic: true, reason: started!.reason }),
    ]);
    expect(await liveVersion(t.db, f, "support", "staging")).toBe(1);
    const audit = await queryRows<{ action: string; actor_label: string; after: { reason: string } }>(
      t.db,
      sql`select action, actor_label, after from audit_log where object_id = ${rollout.id} order by id`,
    );
    expect(audit.map((a) => [a.action, a.actor_label, a.after.reason])).toEqual([
      ["rollout.start", "auto-promote", started!.reason],
    ]);

    // A rollout runs there: the next passing run starts nothing.
    await run(5, {}, auto);
    expect(staging()).toEqual([
      {
        environment: "staging",
        action: "skipped",
        reason: `no guarded rollout started: a guarded rollout (“Guarded rollout of version 3”) already runs on support in staging`,
      },
    ]);

    // Rolled back there by a person: automation never starts it again.
    await actOnRollout(f.ctx(f.approver), rollout.id, "rollback", { reason: "tone is off" });
    await run(3, {}, auto);
    expect(staging()).toMatchObject([
      {
        action: "skipped",
        reason: expect.stringMatching(/^no guarded rollout started: Version 3 was rolled back in staging/),
      },
    ]);
    expect((await getRollout(t.db, f.projectId, rollout.id)).status).toBe("rolled_back");
  });

  it("promotes as before once the rule is off", async () => {
    await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: null });
    let decisions: AutoPromoteDecision[] = [];
    const auto: RunDeps = {
      ...deps,
      onCompleted: async (db, r) => void (decisions = await autoPromote(db, r, noEvents, startRollout)),
    };
    const passing = await run(5, {}, auto);
    expect(decisions.filter((d) => d.environment === "staging")).toMatchObject([
      { action: "promoted", reason: expect.stringContaining(passing.id), deploymentId: expect.any(Number) },
    ]);
    expect(await liveVersion(t.db, f, "support", "staging")).toBe(5);
  });
});
