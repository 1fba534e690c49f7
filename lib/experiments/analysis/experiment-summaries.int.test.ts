// The experiments list's read model against a real database: filters, the running ones' progress and
// weights (as the results say), and a stopped one's decision in words.
import { describe, expect, it } from "vitest";
import { ingestEvents } from "../../ingest/ingest";
import { startExperiment, stopExperiment } from "../lifecycle";
import { experimentResults } from "./results";
import { createExperiment } from "../store";
import { refreshDecisions } from "./decisions";
import { experimentSummaries } from "./experiment-summaries";
import { armExposures, base, f, servedPrompt, t, withExperimentsDatabase } from "../../../test/experiments-fixture";

withExperimentsDatabase("exp-summaries");

describe("experimentSummaries", () => {
  it("lists, filters and summarises as the results do", async () => {
    await servedPrompt("sum-a", 2);
    await servedPrompt("sum-b", 2);
    const running = await createExperiment(f.ctx(f.admin), base("sum-a", { name: "Running one", seed: "sum-seed" }));
    await startExperiment(f.ctx(f.approver), running.id);
    const stopped = await createExperiment(f.ctx(f.admin), base("sum-b", { name: "Stopped one" }));
    await startExperiment(f.ctx(f.approver), stopped.id);
    await stopExperiment(f.ctx(f.approver), stopped.id, { decision: { keep: "control" } });
    const draft = await createExperiment(f.ctx(f.admin), base("sum-a", { name: "Draft one" }));
    await ingestEvents(t.db, f.projectId, {
      events: armExposures({ id: running.id, prompt: "sum-a", seed: "sum-seed" }, 12, "sum"),
    });

    // The list shows the call as its scheduled job last computed it.
    await refreshDecisions(t.db);
    const all = await experimentSummaries(t.db, f.projectId);
    expect(all.map((e) => e.name).sort()).toEqual(["Draft one", "Running one", "Stopped one"]);
    const r = all.find((e) => e.id === running.id)!;
    const results = await experimentResults(t.db, f.projectId, running.id, { perSubject: "decision" });
    expect(r).toMatchObject({
      status: "running",
      subjects: results.arms.reduce((n, a) => n + a.subjects, 0),
      progress: { smallestArm: results.progress.smallestArm, planned: results.plannedSamplePerArm },
      variants: [
        { key: "A", version: 1, weight: 0.5 },
        { key: "B", version: 2, weight: 0.5 },
      ],
      srmOk: results.srm.ok,
      winner: results.winner,
      verdict: results.verdict,
    });
    expect(r.subjects).toBeGreaterThan(0);
    expect(all.find((e) => e.id === stopped.id)).toMatchObject({
      decision: "Kept the control",
      subjects: null,
      computedAt: null,
    });
    expect(all.find((e) => e.id === draft.id)).toMatchObject({ status: "draft", progress: null });

    expect((await experimentSummaries(t.db, f.projectId, { status: "running" })).map((e) => e.id)).toEqual([
      running.id,
    ]);
    expect((await experimentSummaries(t.db, f.projectId, { prompt: "sum-b" })).map((e) => e.id)).toEqual([stopped.id]);
  });
});
