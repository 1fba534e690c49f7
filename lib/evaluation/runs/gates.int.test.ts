// The evaluation gate on promotion and auto-promote, with runs of "support" made before: v1 and v3
// score 1, v2 scores 0, v4 0.9; v5 has no completed run.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { deployments } from "../../../db/schema";
import {
  datasetId,
  deps,
  exact,
  f,
  failedUnits,
  newRun,
  run,
  t,
  withRunsDatabase,
} from "../../../test/eval-runs-fixture";
import { failure, liveVersion } from "../../../test/domain-fixtures";
import { createPrompt, getPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { autoPromote } from "../../release/gates/auto-promote";
import { startRollout } from "../../experiments/rollouts/rollouts";
import { deploy } from "../../release/deployments";
import { noEvents } from "../../announcements";
import { promoteVersion } from "../../release/promote";
import { getEnvironmentRow, updateEnvironment } from "../../release/environments";
import { executeRun, getEvalRun, type RunDeps } from ".";

withRunsDatabase("runs-gates");

// Each prepared run as the tests below count on it: completed, its score, every item run and judged (a run
// that did not, under a loaded tier, fails here by its version rather than as a gate's odd numbers later).
const prepared = { 1: 1, 2: 0, 3: 1, 4: 0.9 } as const;

beforeAll(async () => {
  for (const [version, score] of Object.entries(prepared)) {
    const r = await run(Number(version));
    const failed = await failedUnits(r.id);
    expect({ version, status: r.status, failed }).toEqual({ version, status: "completed", failed: 0 });
    expect(r.score, `the prepared run of version ${version}`).toBeCloseTo(score);
  }
});

describe("the evaluation gate and auto-promote", () => {
  it("refuses a promotion without a passing run, then allows it", async () => {
    const admin = f.ctx(f.admin);
    await updateEnvironment(admin, "production", {
      evaluationGate: { dataset: "support-eval", minScore: 0.8, maxDrop: 0.05, scorers: exact },
    });
    // Nothing live yet; version 2 scored 0.
    const low = await failure(promoteVersion(f.ctx(f.approver), "support", { environment: "production", version: 2 }));
    expect(low.code).toBe("gate_failed");
    expect(low.status).toBe(409);
    expect(low.details).toMatchObject({ score: 0, minScore: 0.8, maxDrop: 0.05, baseline: null });
    expect(low.details!.run).toEqual(expect.any(String));
    // Version 1 scored 1: allowed.
    await promoteVersion(f.ctx(f.approver), "support", { environment: "production", version: 1 });
    expect(await liveVersion(t.db, f, "support", "production")).toBe(1);
    // Version 4 scored 0.9 ≥ 0.8, but 0.1 below live version 1.
    const drop = await failure(promoteVersion(f.ctx(f.approver), "support", { environment: "production", version: 4 }));
    expect(drop.code).toBe("gate_failed");
    expect(drop.details).toMatchObject({ baseline: { version: 1, score: 1 }, maxDrop: 0.05 });
    expect(drop.details!.drop).toBeCloseTo(0.1);
    // Version 5 has no completed run.
    const none = await failure(promoteVersion(f.ctx(f.approver), "support", { environment: "production", version: 5 }));
    expect(none.details).toMatchObject({ run: null, reason: expect.stringContaining("no completed evaluation run") });
    // Version 3 completed with 1.
    await promoteVersion(f.ctx(f.approver), "support", { environment: "production", version: 3 });
    expect(await liveVersion(t.db, f, "support", "production")).toBe(3);
  });

  it("auto-promotes a version whose run passes, through the release log, never one rolled back automatically", async () => {
    const admin = f.ctx(f.admin);
    await updateEnvironment(admin, "staging", {
      evaluationGate: { dataset: datasetId, minScore: 0.5, maxDrop: 1, scorers: exact },
      autoPromote: { minScore: 0.95 },
    });
    const staging = await getEnvironmentRow(t.db, f.projectId, "staging");
    const prompt = await getPrompt(t.db, f.projectId, "support");
    const withAuto: RunDeps = { ...deps, onCompleted: (db, r) => autoPromote(db, r, noEvents, startRollout) };

    // 0.9 is below the auto-promote threshold.
    await run(4, {}, withAuto);
    expect(await liveVersion(t.db, f, "support", "staging")).toBeUndefined();

    const good = await run(1, {}, withAuto);
    expect(await liveVersion(t.db, f, "support", "staging")).toBe(1);
    const [d] = await t.db
      .select()
      .from(deployments)
      .where(and(eq(deployments.promptId, prompt.id), eq(deployments.environmentId, staging.id)));
    expect(d).toMatchObject({ action: "auto_promote", version: 1, actorLabel: "auto-promote" });
    expect(d!.reason).toContain(good.id);

    // Version 3 went live in staging and online evaluation rolled it back: its passing run does not promote it.
    await deploy(f.ctx(f.approver), prompt, staging, 3, "promote", "by hand");
    await deploy(f.ctx({ type: "system", label: "online evaluation" }), prompt, staging, 1, "auto_rollback", "test");
    const rolled = await run(3);
    const decisions = await autoPromote(
      t.db,
      (await t.db.query.evalRuns.findFirst({ where: (r, { eq: e }) => e(r.id, rolled.id) }))!,
      noEvents,
      startRollout,
    );
    expect(decisions).toEqual([
      {
        environment: "staging",
        action: "skipped",
        reason: expect.stringContaining("Version 3 was rolled back in staging"),
      },
    ]);
    expect(await liveVersion(t.db, f, "support", "staging")).toBe(1);
  });

  it("counts for a gate and auto-promotes only runs made with the gate's own scorers", async () => {
    // The hole this closes: an editor starts a run on the gate dataset with a scorer of their choosing
    // ({"type": "length", "max": 1000000} scores every answer 1), and auto-promote would trust it.
    const admin = f.ctx(f.admin);
    const config = { model: "scripted-model" };
    const variables = [{ name: "question" }];
    await createPrompt(admin, { name: "rigged", type: "text", template: "Answer {{question}}", variables, config });
    await createVersion(admin, "rigged", { template: "Say nothing about {{question}}", variables, config });
    await updateEnvironment(admin, "development", {
      evaluationGate: { dataset: datasetId, minScore: 0.5, maxDrop: 1, scorers: exact },
      autoPromote: { minScore: 0.9 },
    });
    const withAuto: RunDeps = { ...deps, onCompleted: (db, r) => autoPromote(db, r, noEvents, startRollout) };
    const chosen = await newRun(f.ctx(f.editor), {
      prompt: "rigged",
      version: 2,
      dataset: datasetId,
      scorers: [{ type: "length", max: 1_000_000 }],
    });
    await executeRun(t.db, chosen.id, withAuto);
    expect((await getEvalRun(t.db, f.projectId, chosen.id)).score).toBe(1);
    expect(await liveVersion(t.db, f, "rigged", "development")).toBeUndefined();
    const refused = await failure(
      promoteVersion(f.ctx(f.editor), "rigged", { environment: "development", version: 2 }),
    );
    expect(refused).toMatchObject({ code: "gate_failed" });
    expect(refused.message).toContain("other scorers than the gate's");
    // A run for the gate (its dataset, items and scorers) is the one that counts.
    const forGate = await newRun(f.ctx(f.editor), { prompt: "rigged", version: 2, gate: "development" });
    expect(forGate.scorers).toEqual((await getEnvironmentRow(t.db, f.projectId, "development")).gateScorers);
    await expect(
      newRun(f.ctx(f.editor), { prompt: "rigged", version: 2, gate: "development", scorers: exact }),
    ).rejects.toMatchObject({ code: "unprocessable", details: { field: "scorers" } });
  });

  it("auto-promotes only where every rule of the environment holds (review, live-in first)", async () => {
    const admin = f.ctx(f.admin);
    await createPrompt(admin, {
      name: "ruled",
      type: "text",
      template: "{{question}}",
      variables: [{ name: "question" }],
      config: { model: "scripted-model" },
    });
    await updateEnvironment(admin, "production", {
      requiresReview: true,
      requiresLiveIn: "staging",
      evaluationGate: { dataset: datasetId, minScore: 0.1, maxDrop: 1, scorers: exact },
      autoPromote: { minScore: 0.1 },
    });
    try {
      const run = await newRun(f.ctx(f.editor), { prompt: "ruled", version: 1, gate: "production" });
      const decisions: unknown[] = [];
      await executeRun(t.db, run.id, {
        ...deps,
        onCompleted: async (db, r) =>
          decisions.push(
            ...(await autoPromote(db, r, noEvents, startRollout)).filter((d) => d.environment !== "development"),
          ),
      });
      // Staging (gated on the same dataset, auto-promote at 0.95) takes it first, which meets production's
      // live-in rule; production still needs an approved review, which no job can give.
      expect(decisions).toEqual([
        {
          environment: "staging",
          action: "promoted",
          reason: expect.stringContaining(run.id),
          deploymentId: expect.any(Number),
        },
        {
          environment: "production",
          action: "skipped",
          reason: expect.stringMatching(/production requires an approved review/),
        },
      ]);
      expect(await liveVersion(t.db, f, "ruled", "staging")).toBe(1);
      expect(await liveVersion(t.db, f, "ruled", "production")).toBeUndefined();
    } finally {
      await updateEnvironment(admin, "production", {
        requiresReview: false,
        requiresLiveIn: null,
        evaluationGate: null,
      });
    }
  });
});
