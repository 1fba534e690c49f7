// A version rolled back in an environment stays rolled back (docs/decisions/rolled-back-versions.md): promoting it
// again, starting an experiment that serves it, giving it traffic by a weight change, shipping it from an experiment
// and auto-promotion are each refused with 409 rolled_back naming the rollback, until a person confirms; a job's
// confirmation does not count. Read from the deployment log, on the database the tier runs against.
import { describe, expect, it } from "vitest";
import { failure, liveVersion } from "../../../test/domain-fixtures";
import { base, f, servedPrompt, t, withExperimentsDatabase } from "../../../test/experiments-fixture";
import { setExperimentWeights, startExperiment, stopExperiment } from "../../experiments/lifecycle";
import { createExperiment } from "../../experiments/store";
import { getPrompt } from "../../registry/prompts";
import { deploy } from "../deployments";
import { getEnvironmentRow } from "../environments";
import { promoteVersion } from "../promote";
import { rollbackPrompt } from "../rollback";

withExperimentsDatabase("rolled-back");

const system = { type: "system" as const, label: "online evaluation" };

/** v1 live in staging, v2 released and then rolled back to v1 (by the online loop's system actor, or a person). */
async function rolledBackPrompt(name: string, automatic: boolean) {
  await servedPrompt(name, 2);
  await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: 2 });
  if (!automatic)
    return rollbackPrompt(f.ctx(f.approver), name, { environment: "staging", version: 1, reason: "rude" });
  const prompt = await getPrompt(t.db, f.projectId, name);
  const env = await getEnvironmentRow(t.db, f.projectId, "staging");
  return deploy(f.ctx(system), prompt, env, 1, "auto_rollback", "thanks fell from 90.0% to 10.0%");
}

describe("a rolled-back version stays rolled back", () => {
  it("a promotion needs a person's confirmation, and names the rollback", async () => {
    await rolledBackPrompt("rb-promote", true);
    const refused = await failure(
      promoteVersion(f.ctx(f.approver), "rb-promote", { environment: "staging", version: 2 }),
    );
    expect([refused.code, refused.details?.field]).toEqual(["rolled_back", "confirmRolledBack"]);
    expect(refused.message).toMatch(
      /^Version 2 was rolled back in staging on \d{4}-\d\d-\d\d \d\d:\d\d UTC automatically by online evaluation, back to version 1 \(“thanks fell from 90\.0% to 10\.0%”\)\./,
    );
    // A job's confirmation does not count (auto-promote and the loop run as the system).
    const job = await failure(
      promoteVersion(f.ctx(system), "rb-promote", { environment: "staging", version: 2, confirmRolledBack: true }),
    );
    expect(job.code).toBe("rolled_back");
    expect(await liveVersion(t.db, f, "rb-promote", "staging")).toBe(1);
    await promoteVersion(f.ctx(f.approver), "rb-promote", {
      environment: "staging",
      version: 2,
      confirmRolledBack: true,
    });
    expect(await liveVersion(t.db, f, "rb-promote", "staging")).toBe(2);
    // Released again by a person and live: the plan no longer holds the rollback against it.
    await promoteVersion(f.ctx(f.approver), "rb-promote", { environment: "staging", version: 1 });
    await promoteVersion(f.ctx(f.approver), "rb-promote", { environment: "staging", version: 2 });
  });

  it("an experiment's start, a weight change and a ship each need it too", async () => {
    await rolledBackPrompt("rb-exp", false);
    const e = await createExperiment(f.ctx(f.approver), base("rb-exp"));
    const start = await failure(startExperiment(f.ctx(f.approver), e.id));
    expect([start.code, start.details?.field]).toEqual(["rolled_back", "confirmRolledBack"]);
    expect(start.message).toContain("Version 2 was rolled back in staging");
    expect(start.message).toContain("by approver@rolled-back.test");

    // Started with B at no traffic (nothing served of v2), then given traffic: refused without the confirmation.
    const quiet = await createExperiment(
      f.ctx(f.approver),
      base("rb-exp", {
        name: "quiet",
        variants: [
          { key: "A", version: 1, weight: 1 },
          { key: "B", version: 2, weight: 0 },
        ],
      }),
    );
    await startExperiment(f.ctx(f.approver), quiet.id);
    const reweight = await failure(setExperimentWeights(f.ctx(f.approver), quiet.id, { weights: { A: 0.5, B: 0.5 } }));
    expect(reweight.code).toBe("rolled_back");
    await setExperimentWeights(f.ctx(f.approver), quiet.id, { weights: { A: 0.5, B: 0.5 }, confirmRolledBack: true });
    // Shipping it from the experiment is a release like any other.
    const ship = await failure(
      stopExperiment(f.ctx(f.approver), quiet.id, { decision: { ship: "B" }, reason: "B reads better" }),
    );
    expect(ship.code).toBe("rolled_back");
    await stopExperiment(f.ctx(f.approver), quiet.id, {
      decision: { ship: "B" },
      reason: "B reads better",
      confirmRolledBack: true,
    });
    expect(await liveVersion(t.db, f, "rb-exp", "staging")).toBe(2);
  });
});
