// Guarded rollouts (docs/decisions/guarded-rollouts.md): started only with the release plan met and alone on the
// prompt, subjects on the new version stay there as the share grows, the job rolls back on a regressing guardrail (the
// version then counts as rolled back for the plan) and completes a rollout that does no harm; people pause, resume,
// advance.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import * as fixtures from "../../../test/domain-fixtures";
import { updateEnvironment } from "../../release/environments";
import { planFor } from "../../release/plan/plan-facts";
import { promoteVersion } from "../../release/promote";
import { getPrompt } from "../../registry/prompts";
import { getEnvironmentRow } from "../../release/environments";
import { chooseArm } from "../../runtime/experiment-arms";
import { loadResolved } from "../../runtime/load";
import { resolvedDto } from "../../runtime/resolve";
import { createExperiment, getExperiment } from "../store";
import { setExperimentWeights, startExperiment } from "../lifecycle";
import { actOnRollout } from "./rollout-control";
import { tickRollouts } from "./rollout-job";
import { listPromptRollouts, getRollout } from "./rollout-reads";
import { startRollout } from "./rollouts";
import {
  arms,
  base,
  f,
  latencyRollout,
  servedArms,
  servedPrompt,
  t,
  traffic,
  withExperimentsDatabase,
} from "../../../test/experiments-fixture";

withExperimentsDatabase("rollouts");
const noEvents = { publish: async () => {} };

describe("guarded rollouts", () => {
  it("start only with the release plan met, and never beside an experiment or another rollout", async () => {
    await servedPrompt("ro-plan", 3);
    await updateEnvironment(f.ctx(f.admin), "staging", { requiresReview: true });
    const refused = await fixtures.failure(
      startRollout(f.ctx(f.approver), "ro-plan", { environment: "staging", version: 2 }),
    );
    expect(refused.code).toBe("plan_unmet");
    expect(refused.details).toMatchObject({ rule: "requiresReview", plan: { status: "blocked", missing: ["review"] } });
    await updateEnvironment(f.ctx(f.admin), "staging", { requiresReview: false });
    expect(
      await fixtures.code(startRollout(f.ctx(f.approver), "ro-plan", { environment: "staging", version: 1 })),
    ).toBe("conflict");
    const bad = await fixtures.failure(
      startRollout(f.ctx(f.approver), "ro-plan", {
        environment: "staging",
        version: 2,
        steps: [{ percent: 50 }, { percent: 20 }],
      }),
    );
    expect([bad.code, bad.details?.field]).toEqual(["invalid_input", "steps"]);
    const r = await startRollout(f.ctx(f.approver), "ro-plan", {
      environment: "staging",
      version: 2,
      guardrails: ["latency_ms"],
    });
    expect(r).toMatchObject({ status: "running", step: 0, percent: 5, version: 2, liveVersion: 1 });
    expect(
      await fixtures.code(startRollout(f.ctx(f.approver), "ro-plan", { environment: "staging", version: 3 })),
    ).toBe("conflict");
    const e = await createExperiment(f.ctx(f.approver), base("ro-plan", { variants: arms(1, 3) }));
    expect(await fixtures.code(startExperiment(f.ctx(f.approver), e.id))).toBe("conflict");
    // Its share grows by its steps, never by an experiment's weights.
    expect(
      await fixtures.code(setExperimentWeights(f.ctx(f.approver), r.id, { weights: { live: 0.5, new: 0.5 } })),
    ).toBe("conflict");
    // A person's release meanwhile ends it: "stopped", and nothing of it is served any more.
    await promoteVersion(f.ctx(f.approver), "ro-plan", { environment: "staging", version: 3 });
    expect((await getRollout(t.db, f.projectId, r.id)).status).toBe("stopped");
    expect((await loadResolved(t.db, f.projectId, "ro-plan", "staging")).experiment).toBeNull();
  });

  it("a subject on the new version stays on it as the share grows; no subject gets the live version", async () => {
    await servedPrompt("ro-mono", 2);
    const r = await latencyRollout("ro-mono");
    const subjects = Array.from({ length: 2000 }, (_, i) => `m-${i}`);
    const first = await servedArms("ro-mono", subjects);
    const onNew = subjects.filter((s) => first.get(s)!.version === 2);
    expect(onNew.length / 2000).toBeGreaterThan(0.07);
    expect(onNew.length / 2000).toBeLessThan(0.13);
    const c = first.get(onNew[0]!)!.dto;
    expect(resolvedDto(c.arm, onNew[0], new Date(), c.experiment).rollout).toEqual({ id: r.id, arm: "new" });
    const anonymous = chooseArm(await loadResolved(t.db, f.projectId, "ro-mono", "staging"), undefined);
    expect(anonymous !== "sticky" && [anonymous.arm.version, anonymous.experiment]).toEqual([1, null]);
    await actOnRollout(f.ctx(f.approver), r.id, "advance", { reason: "looks fine" });
    const second = await servedArms("ro-mono", subjects);
    expect(onNew.every((s) => second.get(s)!.version === 2)).toBe(true);
    const now = subjects.filter((s) => second.get(s)!.version === 2).length / 2000;
    expect(now).toBeGreaterThan(0.45);
    expect(now).toBeLessThan(0.55);
    expect(await fixtures.code(actOnRollout(f.ctx(f.approver), r.id, "pause", { reason: "" }))).toBe("invalid_input");
  });

  it("the job rolls back on a regressing guardrail, and the version is then rolled back for the plan", async () => {
    await servedPrompt("ro-bad", 2);
    const r = await latencyRollout("ro-bad", {
      steps: [{ percent: 50, minMinutes: 0, minSubjects: 10_000 }, { percent: 100 }],
    });
    await traffic("ro-bad", 400, (v, rnd) => (v === 2 ? 300 : 200) + rnd() * 20, "bad");
    const ticks = await tickRollouts(t.db, noEvents);
    expect(ticks.find((x) => x.rolloutId === r.id)).toMatchObject({ action: "rollback" });
    const after = await getRollout(t.db, f.projectId, r.id);
    expect(after).toMatchObject({ status: "rolled_back", percent: 0 });
    const last = after.decisions.at(-1)!;
    expect(last).toMatchObject({ action: "rollback", by: "rollouts", automatic: true, step: 0 });
    expect(last.guardrails[0]).toMatchObject({ metric: "latency_ms", significant: true });
    expect(last.guardrails[0]!.ci![0]).toBeGreaterThan(0);
    expect((await loadResolved(t.db, f.projectId, "ro-bad", "staging")).experiment).toBeNull();
    const prompt = await getPrompt(t.db, f.projectId, "ro-bad");
    const plan = await planFor(t.db, prompt, await getEnvironmentRow(t.db, f.projectId, "staging"), 2);
    expect(plan.missing[0]).toBe("rolled_back");
    expect(plan.steps[0]!.detail).toMatch(/automatically by its guarded rollout's guardrails/);
    const again = await fixtures.failure(
      startRollout(f.ctx(f.approver), "ro-bad", { environment: "staging", version: 2 }),
    );
    expect([again.code, again.details?.rule]).toEqual(["plan_unmet", "rolledBack"]);
    const audit = await queryRows<{ action: string }>(
      t.db,
      sql`select action from audit_log where object_id = ${r.id} order by id`,
    );
    expect(audit.map((a) => a.action)).toEqual(["rollout.start", "rollout.rollback"]);
  });

  it("a rollout that does no harm advances by itself and ends as the environment's deployment", async () => {
    await servedPrompt("ro-good", 2);
    const r = await latencyRollout("ro-good", { minSamplePerArm: 10 });
    await actOnRollout(f.ctx(f.approver), r.id, "pause", { reason: "waiting for the support team" });
    expect((await tickRollouts(t.db, noEvents)).find((x) => x.rolloutId === r.id)).toBeUndefined();
    expect(await fixtures.code(actOnRollout(f.ctx(f.approver), r.id, "pause", { reason: "again" }))).toBe("conflict");
    await actOnRollout(f.ctx(f.approver), r.id, "resume", { reason: "they are ready" });
    await traffic("ro-good", 200, (_v, rnd) => 200 + rnd() * 20, "good1");
    expect((await tickRollouts(t.db, noEvents)).find((x) => x.rolloutId === r.id)).toMatchObject({ action: "advance" });
    expect((await getRollout(t.db, f.projectId, r.id)).percent).toBe(50);
    await traffic("ro-good", 200, (_v, rnd) => 200 + rnd() * 20, "good2");
    expect((await tickRollouts(t.db, noEvents)).find((x) => x.rolloutId === r.id)).toMatchObject({
      action: "complete",
    });
    const done = await getRollout(t.db, f.projectId, r.id);
    expect(done).toMatchObject({ status: "completed", percent: 100, current: null });
    expect(done.decisions.map((d) => d.action)).toEqual(["start", "pause", "resume", "advance", "complete"]);
    expect(await fixtures.liveVersion(t.db, f, "ro-good", "staging")).toBe(2);
    const e = await getExperiment(t.db, f.projectId, r.id);
    expect(e.decision).toMatchObject({ ship: "new", deployment: { version: 2 } });
    expect((await listPromptRollouts(t.db, f.projectId, "ro-good")).map((x) => x.status)).toEqual(["completed"]);
    expect(await fixtures.code(actOnRollout(f.ctx(f.approver), r.id, "advance", { reason: "more" }))).toBe("conflict");
  });
});
