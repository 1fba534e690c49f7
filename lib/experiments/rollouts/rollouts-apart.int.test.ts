// Rollouts are rollouts (docs/decisions/rollout-decisions.md): a guarded rollout splits traffic through an experiment
// row of kind `rollout`, but the experiments' list, summaries and moves never treat it as an experiment; the project's
// rollouts are listed on their own, by environment and by status as people read it.
import { describe, expect, it } from "vitest";
import * as fixtures from "../../../test/domain-fixtures";
import {
  f,
  latencyRollout,
  servedPrompt,
  t,
  withExperimentsDatabase,
  runningExperiment,
} from "../../../test/experiments-fixture";
import { promoteVersion } from "../../release/promote";
import { setExperimentWeights, stopExperiment } from "../lifecycle";
import { actOnRollout } from "./rollout-control";
import { listRollouts } from "./rollout-reads";
import { listExperiments } from "../store";
import { experimentSummaries } from "../analysis/experiment-summaries";

withExperimentsDatabase("rollouts-apart");
const start = (prompt: string, environment = "staging") => latencyRollout(prompt, { environment });

describe("rollouts apart from experiments", () => {
  it("are never listed as experiments, and are listed as rollouts by environment and status", async () => {
    await servedPrompt("ap-exp", 2);
    const e = await runningExperiment("ap-exp");
    await servedPrompt("ap-run", 2);
    const running = await start("ap-run");
    await servedPrompt("ap-pause", 2);
    const paused = await start("ap-pause");
    await actOnRollout(f.ctx(f.approver), paused.id, "pause", { reason: "look first" });
    await servedPrompt("ap-done", 2);
    const done = await start("ap-done");
    await actOnRollout(f.ctx(f.approver), done.id, "advance", { reason: "fine" });
    await actOnRollout(f.ctx(f.approver), done.id, "advance", { reason: "fine again" });
    await servedPrompt("ap-back", 2);
    const back = await start("ap-back");
    await actOnRollout(f.ctx(f.approver), back.id, "rollback", { reason: "slow" });
    await servedPrompt("ap-stop", 3);
    const stopped = await start("ap-stop");
    await promoteVersion(f.ctx(f.approver), "ap-stop", { environment: "staging", version: 3 });
    await fixtures.promptWith(t.db, f, "ap-prod", 2);
    await promoteVersion(f.ctx(f.approver), "ap-prod", { environment: "production", version: 1 });
    const prod = await start("ap-prod", "production");

    expect((await listExperiments(t.db, f.projectId)).map((x) => x.id)).toEqual([e.id]);
    expect((await listExperiments(t.db, f.projectId, { status: "running" })).map((x) => x.id)).toEqual([e.id]);
    expect((await listExperiments(t.db, f.projectId, { prompt: "ap-run" })).map((x) => x.id)).toEqual([]);
    expect((await experimentSummaries(t.db, f.projectId)).map((x) => x.id)).toEqual([e.id]);

    const ids = async (filter: Parameters<typeof listRollouts>[2]) =>
      (await listRollouts(t.db, f.projectId, filter)).map((r) => r.id);
    expect(await ids({})).toEqual([prod.id, stopped.id, back.id, done.id, paused.id, running.id]);
    expect(await ids({ status: "running" })).toEqual([prod.id, running.id]);
    expect(await ids({ status: "paused" })).toEqual([paused.id]);
    expect(await ids({ status: "completed" })).toEqual([done.id]);
    expect(await ids({ status: "rolled_back" })).toEqual([back.id]);
    expect(await ids({ status: "stopped" })).toEqual([stopped.id]);
    expect(await ids({ environment: "production" })).toEqual([prod.id]);
    expect(await ids({ environment: "staging", status: "running" })).toEqual([running.id]);
    expect(await ids({ environment: "nowhere" })).toEqual([]);
    expect(await ids({ prompt: "ap-back" })).toEqual([back.id]);
    // Each as the rollout's own read answers it, with the status people read.
    const listed = await listRollouts(t.db, f.projectId);
    expect(listed.map((r) => r.status)).toEqual([
      "running",
      "stopped",
      "rolled_back",
      "completed",
      "paused",
      "running",
    ]);
    expect(listed[0]).toMatchObject({ prompt: "ap-prod", environment: "production", version: 2, liveVersion: 1 });
  });

  it("refuse an experiment's moves, naming the rollout's own", async () => {
    await servedPrompt("ap-moves", 2);
    const r = await start("ap-moves");
    const stop = await fixtures.failure(
      stopExperiment(f.ctx(f.approver), r.id, { decision: { ship: "new" }, reason: "ship it" }),
    );
    expect([stop.code, stop.details?.rule, stop.details?.rollout]).toEqual([
      "conflict",
      "rollout",
      { id: r.id, path: `/api/v1/rollouts/${r.id}` },
    ]);
    expect(stop.message).toMatch(/^This is a guarded rollout, not an experiment: it cannot be stopped and decided/);
    expect(stop.message).toContain(`POST /api/v1/rollouts/${r.id}/advance or /api/v1/rollouts/${r.id}/rollback`);
    const weights = await fixtures.failure(
      setExperimentWeights(f.ctx(f.approver), r.id, { weights: { live: 0.5, new: 0.5 } }),
    );
    expect([weights.code, weights.details?.rule]).toEqual(["conflict", "rollout"]);
    // Nothing moved: still running at its first step.
    const [still] = await listRollouts(t.db, f.projectId, { prompt: "ap-moves" });
    expect([still!.status, still!.percent]).toEqual(["running", 10]);
  });
});
