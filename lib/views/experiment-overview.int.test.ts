// The experiment page's read model against a real database: the experiment as the API shows it, what the
// page draws (the interval's name, the lift chart's span, whether weights are charted), and null or a plain
// title for an experiment that does not exist.
import { describe, expect, it } from "vitest";
import { setExperimentWeights, startExperiment, stopExperiment } from "../experiments/lifecycle";
import { createExperiment } from "../experiments/store";
import { base, f, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";
import { experimentName, experimentOverview } from "./experiment-overview";

withExperimentsDatabase("exp-overview");

const missing = "00000000-0000-4000-8000-000000000000";
const at = (iso: string) => () => new Date(iso);

describe("experimentOverview", () => {
  it("draws the current phase up to when the results were read, then to the stop", async () => {
    await servedPrompt("ov-a", 2);
    const e = await createExperiment(f.ctx(f.admin), base("ov-a", { name: "Overview one", alpha: 0.05 }));
    const draft = (await experimentOverview(t.db, f.projectId, e.id, at("2030-01-01T00:00:00Z")))!;
    expect(draft.experiment).toMatchObject({ id: e.id, name: "Overview one", status: "draft" });
    expect(draft.interval).toEqual({ name: "95% always-valid interval", term: "alwaysValidInterval" });
    expect(draft.lift).toMatchObject({ series: [{ key: "B" }], control: "A", from: null });
    expect(draft.lift.until).toBe("2030-01-01T00:00:00.000Z");
    expect(draft.weights.shown).toBe(false);

    await startExperiment(f.ctx(f.approver), e.id);
    await setExperimentWeights(f.ctx(f.approver), e.id, { weights: { A: 0.7, B: 0.3 }, reason: "ramp" });
    const running = (await experimentOverview(t.db, f.projectId, e.id))!;
    expect(running.experiment.phase).toBe(2);
    expect(running.lift.from).toBe(running.experiment.phases.find((p) => p.phase === 2)!.startedAt);
    expect(running.weights.shown).toBe(true);

    await stopExperiment(f.ctx(f.approver), e.id, { decision: { keep: "control" } });
    const stopped = (await experimentOverview(t.db, f.projectId, e.id, at("2099-01-01T00:00:00Z")))!;
    expect(stopped.lift.until).toBe(stopped.experiment.stoppedAt);
    expect(stopped.weights.until).toBe(stopped.experiment.stoppedAt);
    expect(await experimentName(t.db, f.projectId, e.id)).toBe("Overview one");
  });

  it("answers null, and no title, for an experiment that does not exist", async () => {
    expect(await experimentOverview(t.db, f.projectId, missing)).toBeNull();
    expect(await experimentName(t.db, f.projectId, missing)).toBeNull();
  });
});
