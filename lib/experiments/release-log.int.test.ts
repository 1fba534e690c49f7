// Experiments follow the release log: promotions, rollbacks and reviews of the prompt an experiment
// runs on end or keep it, as the release plan says.
import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import * as fixtures from "../../test/domain-fixtures";
import { failure } from "../../test/domain-fixtures";
import { promoteVersion } from "../release/promote";
import { decideReview, requestReview } from "../release/reviews/reviews";
import { rollbackPrompt } from "../release/rollback";
import { chooseArm } from "../runtime/experiment-arms";
import { loadResolved } from "../runtime/load";
import { setExperimentWeights, startExperiment, stopExperiment } from "./lifecycle";
import { createExperiment, getExperiment } from "./store";
import { base, f, servedPrompt, t, withExperimentsDatabase, runningExperiment } from "../../test/experiments-fixture";

withExperimentsDatabase("exp-release-log");

describe("experiments follow the release log", () => {
  /** An even A/B experiment on `prompt` (staging unless `extra` says), A on version `a`, B on version `b`. */
  const evenSplit = (prompt: string, a: number, b: number, extra: Record<string, unknown> = {}) =>
    createExperiment(
      f.ctx(f.approver),
      base(prompt, {
        ...extra,
        variants: [
          { key: "A", version: a, weight: 0.5 },
          { key: "B", version: b, weight: 0.5 },
        ],
      }),
    );

  /** What 300 subjects (and a request without one) get now, by version. */
  async function served(name: string, environment: string) {
    const entry = await loadResolved(t.db, f.projectId, name, environment);
    const versions = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const c = chooseArm(entry, `subject-${i}`);
      if (c === "sticky") throw new Error("not a bandit");
      versions.add(c.arm.version);
    }
    const none = chooseArm(entry, undefined);
    if (none !== "sticky") versions.add(none.arm.version);
    return { versions: [...versions].sort(), experiment: entry.experiment?.id ?? null };
  }

  it("a rollback stops the running experiment in the same transaction; every subject gets what the log says", async () => {
    const prompt = await servedPrompt("exp-rollback", 3);
    await promoteVersion(f.ctx(f.editor), "exp-rollback", { environment: "staging", version: 2 });
    const e = await evenSplit("exp-rollback", 2, 3);
    await startExperiment(f.ctx(f.approver), e.id);
    expect(await served("exp-rollback", "staging")).toEqual({ versions: [2, 3], experiment: e.id });
    const published: string[] = [];
    const sink = {
      publish: async (x: { action: string; version: number }) => void published.push(`${x.action} v${x.version}`),
    };
    const { deployment: d } = await rollbackPrompt(f.ctx(f.approver, sink), "exp-rollback", {
      environment: "staging",
      version: 1,
    });
    expect(await served("exp-rollback", "staging")).toEqual({ versions: [1], experiment: null });
    const stopped = await getExperiment(t.db, f.projectId, e.id);
    expect(stopped.status).toBe("stopped");
    expect(stopped.decision).toMatchObject({
      stoppedBy: "deployment",
      deployment: { id: d.id, version: 1, action: "rollback" },
      reason: expect.stringMatching(/staging now serves version 1 \(rollback by .*deployment \d+\)/),
    });
    expect(published).toEqual(["rollback v1"]);
    const [audit] = await queryRows<{ action: string; after: { decision: { deployment: { id: number } } } }>(
      t.db,
      sql`select action, after from audit_log where object_id = ${e.id} and action = 'experiment.stop'`,
    );
    expect(audit!.after.decision.deployment.id).toBe(d.id);
    expect(prompt.name).toBe("exp-rollback");
  });

  it("a promotion stops it too, and so does a job's automatic rollback (any deployment)", async () => {
    await servedPrompt("exp-promoted", 3);
    const e = await runningExperiment("exp-promoted");
    // An editor may not end an approver's experiment this way (experiment-end.int.test.ts); an approver may.
    await promoteVersion(f.ctx(f.approver), "exp-promoted", { environment: "staging", version: 3 });
    expect(await served("exp-promoted", "staging")).toEqual({ versions: [3], experiment: null });
    expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("stopped");
    // A deployment in another environment leaves an experiment alone.
    const other = await evenSplit("exp-promoted", 3, 2);
    await startExperiment(f.ctx(f.approver), other.id);
    await promoteVersion(f.ctx(f.editor), "exp-promoted", { environment: "development", version: 1 });
    expect((await getExperiment(t.db, f.projectId, other.id)).status).toBe("running");
    await stopExperiment(f.ctx(f.approver), other.id, { decision: { keep: "control" } });
  });

  it("starts only with the environment's own version as the control", async () => {
    await servedPrompt("exp-control", 3);
    const e = await evenSplit("exp-control", 2, 3);
    const err = await failure(startExperiment(f.ctx(f.approver), e.id));
    expect(err).toMatchObject({ code: "conflict", details: { rule: "control", live: 1, control: 2 } });
    expect(err.message).toMatch(/control must be what staging serves \(version 1\)/);
    expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("draft");
  });

  it("serves a variant in a protected environment only when it satisfies the environment's release plan", async () => {
    // The hole this closes: a 99/1 split could serve an unreviewed version to 100 of 100 subjects in production.
    await servedPrompt("exp-reviewed", 3, "production");
    await t.db.execute(
      sql`update environments set requires_review = true where project_id = ${f.projectId} and name = 'production'`,
    );
    try {
      const e = await createExperiment(
        f.ctx(f.approver),
        base("exp-reviewed", {
          environment: "production",
          variants: [
            { key: "A", version: 1, weight: 0.01 },
            { key: "B", version: 2, weight: 0.99 },
            { key: "C", version: 3, weight: 0 },
          ],
        }),
      );
      const err = await failure(startExperiment(f.ctx(f.approver), e.id));
      expect(err).toMatchObject({ code: "conflict", details: { rule: "releasePlan" } });
      expect(err.message).toMatch(/Variant "B" \(version 2\) cannot be served in production/);
      expect((err.details!.variants as { plan: { missing: string[] } }[])[0]!.plan.missing).toEqual(["review"]);
      expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("draft");
      // Reviewed (approved without deploying), version 2 may be served; version 3 gets no traffic yet.
      const review = await requestReview(f.ctx(f.editor), "exp-reviewed", {
        version: 2,
        environment: "production",
        deployOnApprove: false,
      });
      await decideReview(f.ctx(f.approver), review.id, { decision: "approve" });
      await startExperiment(f.ctx(f.approver), e.id);
      // Giving the unreviewed version 3 traffic is refused the same way; nothing changes.
      const weights = await failure(
        setExperimentWeights(f.ctx(f.approver), e.id, { weights: { A: 0.5, B: 0.25, C: 0.25 } }),
      );
      expect(weights.message).toMatch(/Variant "C" \(version 3\)/);
      expect((await getExperiment(t.db, f.projectId, e.id)).phase).toBe(1);
      await stopExperiment(f.ctx(f.approver), e.id, { decision: { keep: "control" } });
      // A version production served before may be a variant without a review, as a rollback could return to it.
      await promoteVersion(f.ctx(f.approver), "exp-reviewed", { environment: "production", version: 2 });
      const back = await evenSplit("exp-reviewed", 2, 1, { environment: "production" });
      await startExperiment(f.ctx(f.approver), back.id);
      // Shipping it is a return to a version production served: allowed like a rollback.
      await stopExperiment(f.ctx(f.approver), back.id, { decision: { ship: "B" }, reason: "back to v1" });
      expect(await fixtures.liveVersion(t.db, f, "exp-reviewed", "production")).toBe(1);
    } finally {
      await t.db.execute(
        sql`update environments set requires_review = false where project_id = ${f.projectId} and name = 'production'`,
      );
    }
  });
});
