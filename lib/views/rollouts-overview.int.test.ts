// The Rollouts pages' read models (docs/decisions/rollout-decisions.md): the list filters by environment and status and
// says what each rollout does now (why it waits, or its last decision); a rollout's page is null for an experiment's
// id, and carries the traffic-split check and what the controls need.
import { describe, expect, it } from "vitest";
import {
  f,
  latencyRollout,
  servedPrompt,
  t,
  withExperimentsDatabase,
  runningExperiment,
} from "../../test/experiments-fixture";
import { step } from "../../test/rollout-steps";
import { actOnRollout } from "../experiments/rollouts/rollout-control";
import { tickRollouts } from "../experiments/rollouts/rollout-job";
import { startRollout } from "../experiments/rollouts/rollouts";
import { rolloutOverview, rolloutsOverview } from "./rollouts-overview";

withExperimentsDatabase("rollouts-overview");
const steps = [step(10), step(100)];

describe("the Rollouts pages", () => {
  it("list the rollouts with what each does now, and open one; never an experiment", async () => {
    await servedPrompt("ov-wait", 2);
    const waiting = await latencyRollout("ov-wait", { steps });
    await tickRollouts(t.db, { publish: async () => {} });
    await servedPrompt("ov-done", 2);
    const done = await startRollout(f.ctx(f.approver), "ov-done", { environment: "staging", version: 2, steps });
    await actOnRollout(f.ctx(f.approver), done.id, "advance", { reason: "looks right" });
    await servedPrompt("ov-exp", 2);
    const e = await runningExperiment("ov-exp");

    const all = await rolloutsOverview(t.db, f.projectId, {});
    expect(all.rollouts.map((r) => [r.id, r.status])).toEqual([
      [done.id, "completed"],
      [waiting.id, "running"],
    ]);
    expect(all.rollouts[1]!.now).toBe("waiting for data: no guardrail has a value on either version yet (latency_ms)");
    expect(all.rollouts[0]!.now).toBe("looks right");
    expect(all.environments).toEqual(["development", "staging", "production"]);
    const running = await rolloutsOverview(t.db, f.projectId, { status: "running", environment: "staging" });
    expect([running.status, running.environment, running.rollouts.map((r) => r.id)]).toEqual([
      "running",
      "staging",
      [waiting.id],
    ]);
    // An unknown filter is no filter, and says so by answering null.
    expect((await rolloutsOverview(t.db, f.projectId, { status: "sideways" })).status).toBeNull();
    expect((await rolloutsOverview(t.db, f.projectId, { environment: "mars" })).rollouts).toEqual([]);

    const page = (await rolloutOverview(t.db, f.projectId, waiting.id))!;
    expect([page.active, page.nextPercent, page.environment]).toEqual([
      true,
      null,
      { name: "staging", protected: false },
    ]);
    expect(page.rollout.lastCheck?.reason).toMatch(/^waiting for data/);
    expect(page.rollout.sampleRatio).toMatchObject({ ok: true, pValue: null });
    const ended = (await rolloutOverview(t.db, f.projectId, done.id))!;
    expect([ended.active, ended.rollout.current, ended.rollout.lastCheck]).toEqual([false, null, null]);
    expect(await rolloutOverview(t.db, f.projectId, e.id)).toBeNull();
    expect(await rolloutOverview(t.db, f.projectId, "not-an-id")).toBeNull();
  });
});
