// The time to the planned sample from the exposures that actually arrived: ingest keeps each arm-hour's
// first and last exposure, and a phase whose traffic stopped reads "no traffic in the last hour".
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { experimentArmExposures, experimentPhases, experiments } from "../../../db/schema";
import { ingestEvents } from "../../ingest/ingest";
import { startExperiment } from "../lifecycle";
import { experimentResults } from "./results";
import { createExperiment } from "../store";
import { armExposures, base, f, servedPrompt, t, withExperimentsDatabase } from "../../../test/experiments-fixture";

withExperimentsDatabase("exp-eta");

describe("the pace behind the time to the planned sample", () => {
  it("keeps each arm-hour's first and last exposure and reads the pace from them", async () => {
    await servedPrompt("eta-a", 2);
    const e = await createExperiment(f.ctx(f.admin), base("eta-a", { seed: "eta-seed" }));
    await startExperiment(f.ctx(f.approver), e.id);
    // Started an hour ago, so the exposures below (dated in the past, as a batch sent late is) count.
    const hourAgo = new Date(Date.now() - 3_600_000);
    await t.db.update(experiments).set({ startedAt: hourAgo }).where(eq(experiments.id, e.id));
    await t.db.update(experimentPhases).set({ startedAt: hourAgo }).where(eq(experimentPhases.experimentId, e.id));
    // 40 subjects over five minutes, from 50 minutes ago, sent in two batches out of order.
    const start = Date.now() - 3_000_000;
    const events = armExposures({ id: e.id, prompt: "eta-a", seed: "eta-seed" }, 40, "eta", (i) => ({
      at: new Date(start + i * 7_500).toISOString(),
    }));
    await ingestEvents(t.db, f.projectId, { events: events.slice(20) });
    await ingestEvents(t.db, f.projectId, { events: events.slice(0, 20) });
    const rows = await t.db
      .select()
      .from(experimentArmExposures)
      .where(and(eq(experimentArmExposures.experimentId, e.id), eq(experimentArmExposures.variantKey, "A")));
    const timesOfA = events.filter((x) => x.variant === "A").map((x) => Date.parse(x.at));
    expect(Math.min(...rows.map((r) => r.firstAt!.getTime()))).toBe(Math.min(...timesOfA));
    expect(Math.max(...rows.map((r) => r.lastAt!.getTime()))).toBe(Math.max(...timesOfA));

    const last = new Date(Math.max(...events.map((x) => Date.parse(x.at))));
    // Ten minutes later: every subject arrived within the last hour.
    const soon = await experimentResults(t.db, f.projectId, e.id, { now: new Date(last.getTime() + 600_000) });
    expect(soon.progress.eta.perHour).toBeGreaterThan(0);
    expect(soon.progress.eta.lastExposureAt).toBe(last.toISOString());
    // Two hours later, nothing arrived since: no pace, no estimate (not "the hour's count spread over the hour").
    const later = await experimentResults(t.db, f.projectId, e.id, { now: new Date(last.getTime() + 7_200_000) });
    expect(later.progress.eta).toEqual({
      perHour: 0,
      hoursLeft: null,
      lastExposureAt: last.toISOString(),
      burst: null,
    });
  });
});
