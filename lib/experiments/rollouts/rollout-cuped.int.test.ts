// CUPED on a guarded rollout's guardrails (docs/decisions/guarded-rollouts.md): where subjects have a pre-exposure
// history of a guardrail in the environment, its reading is the CUPED-adjusted comparison (narrower, so a modest
// regression shows with the same subjects, and the job rolls back on it); a guardrail without history reads unadjusted
// and says so.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { ingestEvents } from "../../ingest/ingest";
import { chooseArm } from "../../runtime/experiment-arms";
import { loadResolved } from "../../runtime/load";
import { experimentResults } from "../analysis/results";
import { tickRollouts } from "./rollout-job";
import { getRollout, rolloutReadings } from "./rollout-reads";
import { startRollout } from "./rollouts";
import { f, mulberry, servedPrompt, t, withExperimentsDatabase } from "../../../test/experiments-fixture";

withExperimentsDatabase("rollout-cuped");
const noEvents = { publish: async () => {} };
const DAY = 86_400_000;
const SUBJECTS = 300;
/** +25 ms on a latency of 400–1200 ms: about 3 %, well inside the unadjusted interval at 300 subjects. */
const REGRESSION = 25;

/**
 * Each subject's own latency level (400–1200 ms, what its requests cost) and small noise per request: its
 * history before the rollout predicts its latency during it almost entirely.
 */
function population() {
  const r = mulberry(43);
  const level = Array.from({ length: SUBJECTS }, () => 400 + 800 * r());
  const noise = (g: () => number) => () => (g() - 0.5) * 20;
  return { level, before: noise(mulberry(44)), during: noise(mulberry(45)) };
}

/** Prompt `name` (version 1 live in staging) with a rollout of version 2 that waits at 50 % (10,000 subjects). */
async function rolloutOf(name: string, history: boolean) {
  await servedPrompt(name, 2);
  const p = population();
  const now = Date.now();
  if (history) {
    // Two requests per subject on the live version, one and two days before the rollout.
    const before = p.level.flatMap((level, i) =>
      [1, 2].map((d) => ({
        id: `${name}-pre-${i}-${d}`,
        type: "generation",
        prompt: name,
        version: 1,
        subject: `${name}-${i}`,
        environment: "staging",
        latencyMs: level + p.before(),
        at: new Date(now - d * DAY).toISOString(),
      })),
    );
    await ingestEvents(t.db, f.projectId, { events: before });
  }
  const r = await startRollout(f.ctx(f.approver), name, {
    environment: "staging",
    version: 2,
    steps: [{ percent: 50, minMinutes: 0, minSubjects: 10_000 }, { percent: 100 }],
    guardrails: ["latency_ms", "cost_usd"],
  });
  // One seed for both rollouts (a new one is random): the same subjects on the same arms, the same data.
  await t.db.execute(sql`update experiments set seed = 'rc-seed' where id = ${r.id}`);
  await t.db.execute(sql`update experiment_phases set seed = 'rc-seed' where experiment_id = ${r.id}`);
  const entry = await loadResolved(t.db, f.projectId, name, "staging");
  const events = p.level.flatMap((level, i) => {
    const subject = `${name}-${i}`;
    const c = chooseArm(entry, subject);
    if (c === "sticky") throw new Error("a rollout is never sticky");
    const version = c.arm.version;
    const common = { prompt: name, version, subject, environment: "staging" };
    return [
      { ...common, id: `${name}-x-${i}`, type: "exposure" },
      {
        ...common,
        id: `${name}-g-${i}`,
        type: "generation",
        latencyMs: level + p.during() + (version === 2 ? REGRESSION : 0),
        // No history of cost: that guardrail reads unadjusted even where latency is adjusted.
        costUsd: 0.01 + p.during() / 10_000,
      },
    ];
  });
  await ingestEvents(t.db, f.projectId, { events });
  return r.id;
}

const width = (ci: [number, number] | null) => ci![1] - ci![0];

describe("CUPED on a guarded rollout's guardrails", () => {
  it("reads a guardrail with history adjusted: narrower, and it catches a regression the raw one misses", async () => {
    const id = await rolloutOf("rc-history", true);
    const reading = await rolloutReadings(t.db, f.projectId, id);
    expect(reading.newSubjects + reading.liveSubjects).toBe(SUBJECTS);
    const [latency, cost] = reading.guardrails;
    // The unadjusted comparison of the same data, as experiments' guardrails and the page's raw numbers read it.
    const raw = (await experimentResults(t.db, f.projectId, id)).comparisons[0]!.metrics;
    const unadjusted = raw.latency_ms!;
    expect(unadjusted.adjusted).toBeDefined();
    expect(latency).toMatchObject({ metric: "latency_ms", lift: unadjusted.adjusted!.lift, significant: true });
    expect(latency!.ci).toEqual(unadjusted.adjusted!.ci);
    expect(latency!.cuped!.varianceReduction).toBeGreaterThan(90);
    expect(latency!.cuped!.varianceReduction).toBeCloseTo(unadjusted.adjusted!.varianceReduction, 10);
    expect(width(latency!.ci)).toBeLessThan(0.5 * width(unadjusted.ci));
    // Unadjusted: +3 % is inside the always-valid interval, so it would not have rolled back.
    expect(unadjusted.significant).toBe(false);
    expect(unadjusted.ci![0]).toBeLessThan(0);
    expect(latency!.ci![0]).toBeGreaterThan(0);
    expect(latency!.lift!).toBeGreaterThan(0.01);
    expect(latency!.lift!).toBeLessThan(0.06);
    // Cost has no history: unadjusted, and it says so.
    expect(cost).toMatchObject({ metric: "cost_usd", cuped: null, lift: raw.cost_usd!.lift, ci: raw.cost_usd!.ci });

    // The API's read carries it, and the job rolls back on it.
    const read = await getRollout(t.db, f.projectId, id);
    expect(read.current!.guardrails[0]!.cuped).toEqual(latency!.cuped);
    const ticks = await tickRollouts(t.db, noEvents);
    expect(ticks.find((x) => x.rolloutId === id)).toMatchObject({ action: "rollback" });
    const after = await getRollout(t.db, f.projectId, id);
    expect(after.status).toBe("rolled_back");
    expect(after.decisions.at(-1)!.guardrails[0]).toMatchObject({ metric: "latency_ms", significant: true });
  });

  it("reads the same regression unadjusted without history, says so, and does not roll back on it", async () => {
    const id = await rolloutOf("rc-nohistory", false);
    const reading = await rolloutReadings(t.db, f.projectId, id);
    const unadjusted = (await experimentResults(t.db, f.projectId, id)).comparisons[0]!.metrics.latency_ms!;
    expect(unadjusted.adjusted).toBeUndefined();
    expect(unadjusted.adjustedReason).toMatch(/before its exposure/);
    expect(reading.guardrails.map((g) => g.cuped)).toEqual([null, null]);
    expect(reading.guardrails[0]).toMatchObject({
      metric: "latency_ms",
      lift: unadjusted.lift,
      ci: unadjusted.ci,
      significant: false,
    });
    expect(reading.guardrails[0]!.lift!).toBeGreaterThan(0);
    const ticks = await tickRollouts(t.db, noEvents);
    expect(ticks.find((x) => x.rolloutId === id)).toMatchObject({ action: "wait" });
    expect((await getRollout(t.db, f.projectId, id)).status).toBe("running");
  });
});
