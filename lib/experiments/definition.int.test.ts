// Defining experiments against a real database: bad definitions refused with nothing written, and the
// lifecycle (start, weights, stop).
import { beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import * as fixtures from "../../test/domain-fixtures";
import { failure } from "../../test/domain-fixtures";
import { deploymentHistory } from "../release/deployments";
import { getPrompt } from "../registry/prompts";
import { startExperiment, stopExperiment } from "./lifecycle";
import { createExperiment, getExperiment } from "./store";
import {
  arms,
  base,
  count,
  f,
  servedPrompt,
  t,
  withExperimentsDatabase,
  runningExperiment,
} from "../../test/experiments-fixture";

withExperimentsDatabase("exp-definition");

describe("defining an experiment", () => {
  beforeAll(async () => {
    await fixtures.promptWith(t.db, f, "exp-def", 2);
  });

  it.each([
    [
      {
        variants: [
          { key: "A", version: 1, weight: 0.6 },
          { key: "B", version: 2, weight: 0.6 },
        ],
      },
      "variants",
      /weights must sum to 1/,
    ],
    [{ variants: arms(1, 9) }, "variants", /has no version 9/],
    [{ variants: [{ key: "A", version: 1, weight: 1 }] }, "variants", /control and at least one other variant/],
    [
      {
        variants: [
          { key: "A", version: 1, weight: 0.5 },
          { key: "A", version: 2, weight: 0.5 },
        ],
      },
      "variants",
      /keys must be distinct/,
    ],
    [{ environment: "qa" }, "environment", /No environment named qa/],
    [{ coverage: 1.5 }, "coverage", /coverage must be between 0 and 1/],
    [{ mode: "fixed", primaryMetric: { name: "rating", kind: "continuous" } }, "baseline", /needs baseline/],
    [{ primaryMetric: { name: "thumbs", kind: "continuous" } }, "primaryMetric.kind", /thumbs is a binary metric/],
    [{ mode: "sequential", bandit: { algorithm: "thompson" } }, "bandit", /only when mode is "bandit"/],
    [{ alpha: 0 }, "alpha", /alpha must be between 0 and 1/],
  ])("%j → 422 naming %s, nothing written", async (patch, field, message) => {
    const before = await count("experiments");
    const err = await failure(createExperiment(f.ctx(f.approver), base("exp-def", patch)));
    expect(err.code).toBe("unprocessable");
    expect(err.details?.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(await count("experiments")).toBe(before);
  });

  it("plans the sample per arm from alpha, power, the MDE and the baseline", async () => {
    const e = await createExperiment(
      f.ctx(f.approver),
      base("exp-def", { mode: "fixed", baseline: { rate: 0.2 }, minDetectableEffect: 0.1 }),
    );
    // (1.959964 + 0.841621)² (0.2·0.8 + 0.22·0.78) / 0.02² = 6,506.3 → 6,507
    expect(e.plannedSamplePerArm).toBe(6507);
    expect(e.status).toBe("draft");
  });
});

describe("lifecycle", () => {
  it("starts (one running per prompt and environment), ships through the release log, and keeps the control", async () => {
    await servedPrompt("exp-life", 3);
    const a = await createExperiment(f.ctx(f.approver), base("exp-life"));
    const b = await createExperiment(f.ctx(f.approver), base("exp-life", { variants: arms(2, 3, "C") }));
    const started = await startExperiment(f.ctx(f.approver), a.id);
    expect(started).toMatchObject({ status: "running", phase: 1 });
    expect(started.phases[0]).toMatchObject({ phase: 1, seed: a.seed, weights: { A: 0.5, B: 0.5 } });
    const clash = await failure(startExperiment(f.ctx(f.approver), b.id));
    expect(clash.code).toBe("conflict");
    expect(clash.message).toMatch(/already running on exp-life in staging/);
    expect((await getExperiment(t.db, f.projectId, b.id)).status).toBe("draft");

    const stopped = await stopExperiment(f.ctx(f.approver), a.id, { decision: { ship: "B" }, reason: "B wins" });
    expect(stopped.status).toBe("stopped");
    const prompt = await getPrompt(t.db, f.projectId, "exp-life");
    const [d] = await deploymentHistory(t.db, f.projectId, prompt, { environment: "staging" });
    expect(d!.deployment).toMatchObject({ version: 2, action: "promote" });
    expect(d!.deployment.reason).toContain(`experiment "${a.name}"`);

    // b's control is version 2, which staging serves since the ship.
    await startExperiment(f.ctx(f.approver), b.id);
    await stopExperiment(f.ctx(f.approver), b.id, { decision: { keep: "control" } });
    expect((await deploymentHistory(t.db, f.projectId, prompt, { environment: "staging" })).length).toBe(2);
  });

  it("a ship refused by a promotion rule leaves the experiment running and nothing deployed", async () => {
    await servedPrompt("exp-gated", 2, "production");
    const e = await runningExperiment("exp-gated", { environment: "production" });
    await t.db.execute(
      sql`update environments set requires_review = true where project_id = ${f.projectId} and name = 'production'`,
    );
    try {
      // No winner called: shipping without a reason is refused, naming the field; with one, the review rule refuses.
      const noReason = await failure(stopExperiment(f.ctx(f.approver), e.id, { decision: { ship: "B" } }));
      expect([noReason.code, noReason.details]).toEqual(["unprocessable", { field: "reason" }]);
      expect(noReason.message).toMatch(/say why you ship B: the data has not called it the winner/);
      expect(
        (await failure(stopExperiment(f.ctx(f.approver), e.id, { decision: { ship: "B" }, reason: "try it" }))).code,
      ).toBe("conflict");
      expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("running");
    } finally {
      await t.db.execute(
        sql`update environments set requires_review = false where project_id = ${f.projectId} and name = 'production'`,
      );
    }
    await stopExperiment(f.ctx(f.approver), e.id, { decision: { keep: "control" } });
  });
});
