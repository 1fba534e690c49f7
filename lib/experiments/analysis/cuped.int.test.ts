// CUPED in experiment results: subjects with a pre-exposure history of the primary metric (in the experiment's
// environment) get it as their covariate, the adjusted comparison is narrower than the unadjusted one, and
// it is the one that decides.
import { beforeAll, describe, expect, it } from "vitest";
import { base, f, servedPrompt, split, t, withExperimentsDatabase } from "../../../test/experiments-fixture";
import { generators } from "../../stats/random";
import { assign } from "../assign";
import { ingestEvents } from "../../ingest/ingest";
import { refreshDecisions } from "./decisions";
import { startExperiment } from "../lifecycle";
import { experimentResults } from "./results";
import { createExperiment } from "../store";
import { experimentSummaries } from "./experiment-summaries";

const DAY = 86_400_000;

withExperimentsDatabase("cuped");

/** Prompt `name` with versions 1 and 2, v1 live in staging, and a sequential A/B experiment on it (not started). */
async function abExperiment(
  name: string,
  seed: string,
  primaryMetric: Parameters<typeof createExperiment>[1]["primaryMetric"],
  extra: { cupedLookbackDays?: number } = {},
) {
  await servedPrompt(name, 2);
  const definition = base(name, { name, seed, primaryMetric, ...extra });
  const e = await createExperiment(f.ctx(f.approver), definition);
  // The split assignment uses, to know each subject's arm before sending its events.
  const split = { seed, coverage: 1, variants: definition.variants.map(({ key, weight }) => ({ key, weight })) };
  return { e, split };
}

describe("CUPED-adjusted experiment results", () => {
  let id = "";
  const now = new Date();

  beforeAll(async () => {
    // One day: no subject's history (2–4 days before) is in the stored window; requests override it.
    id = (
      await abExperiment(
        "cuped-int",
        "cuped-seed",
        { name: "quality", kind: "continuous", goal: "increase" },
        { cupedLookbackDays: 1 },
      )
    ).e.id;

    // Each subject has a persistent level u; its score is u + noise, before and after exposure, so the
    // pre-period mean predicts the outcome (ρ ≈ 0.8). Subjects s60–s79 have no history in staging; one old
    // event per subject lies outside the 14-day window (at −20 days, value 1000) and must be ignored, and so
    // must s60–s79's production events inside it: another environment is another population.
    const g = generators("cuped-int");
    const level = Array.from({ length: 80 }, () => g.normal(50, 10));
    const score = (s: number) => level[s]! + g.normal(0, 5);
    const metric = (id: string, s: number, value: number, at?: Date, environment = "staging") => ({
      id,
      type: "metric",
      name: "quality",
      prompt: "cuped-int",
      version: 1,
      environment,
      subject: `s${s}`,
      value,
      ...(at ? { at: at.toISOString() } : {}),
    });
    const before: Record<string, unknown>[] = [];
    for (let s = 0; s < 60; s++) {
      before.push(metric(`old-${s}`, s, 1000, new Date(now.getTime() - 20 * DAY)));
      for (let k = 0; k < 3; k++)
        before.push(metric(`pre-${s}-${k}`, s, score(s), new Date(now.getTime() - (k + 2) * DAY)));
    }
    for (let s = 60; s < 80; s++)
      before.push(metric(`prod-${s}`, s, 1000, new Date(now.getTime() - 3 * DAY), "production"));
    await ingestEvents(t.db, f.projectId, { events: before }, now);
    await startExperiment(f.ctx(f.approver), id);

    const after: Record<string, unknown>[] = [];
    for (let s = 0; s < 80; s++) {
      const variant = assign(split("cuped-seed"), `s${s}`)!.key;
      const version = variant === "A" ? 1 : 2;
      const common = { prompt: "cuped-int", version, environment: "staging", subject: `s${s}`, experimentId: id };
      after.push({ ...common, id: `exp-${s}`, type: "exposure", variant });
      after.push({
        ...common,
        id: `post-${s}`,
        type: "metric",
        name: "quality",
        variant,
        value: score(s) + (version === 2 ? 3 : 0),
      });
    }
    await ingestEvents(t.db, f.projectId, { events: after }, now);
  });

  it("returns adjusted next to the unadjusted comparison, with a narrower interval", async () => {
    const results = await experimentResults(t.db, f.projectId, id, { now, lookbackDays: 14 });
    const m = results.comparisons[0]!.metrics.quality!;
    expect(m.adjustedReason).toBeUndefined();
    const a = m.adjusted!;
    expect(a.lookbackDays).toBe(14);
    expect(a.covariate).toMatchObject({ metric: "quality", subjects: 80, subjectsWithHistory: 60 });
    // θ near the share of the outcome's variance the level explains (100 / (100 + 25/3) ≈ 0.92); it would be
    // near 0 if the old 1000s outside the window (or production's inside it) counted.
    expect(a.covariate.theta).toBeGreaterThan(0.5);
    expect(a.covariate.theta).toBeLessThan(1.3);
    const width = (ci: [number, number] | null) => ci![1] - ci![0];
    expect(width(a.differenceCi)).toBeLessThan(0.8 * width(m.differenceCi));
    expect(width(a.ci)).toBeLessThan(width(m.ci));
    expect(a.varianceReduction).toBeGreaterThan(30);
    expect(a.varianceReduction).toBeLessThan(100);
    expect(a.pValue).not.toBeNull();
  });

  it("says why when no subject has history in the experiment's own (stored) window", async () => {
    const results = await experimentResults(t.db, f.projectId, id, { now });
    const m = results.comparisons[0]!.metrics.quality!;
    expect(m.adjusted).toBeUndefined();
    expect(m.adjustedReason).toMatch(/before its exposure/);
  });
});

describe("CUPED and events attributed to the experiment", () => {
  it("never takes an experiment's own back-dated events as a subject's history", async () => {
    // As the demo's traffic does: the app resolves (exposure at T), then reports events dated a little earlier,
    // still inside the experiment. Counting them as history made the covariate the outcome (variance -100%).
    const { e, split } = await abExperiment("cuped-backdated", "backdated-seed", { name: "thumbs", kind: "binary" });
    await startExperiment(f.ctx(f.approver), e.id);
    const start = Date.now();
    const later = new Date(start + 10 * 60_000);
    const events: Record<string, unknown>[] = [];
    for (let s = 0; s < 60; s++) {
      const variant = assign(split, `b${s}`)!.key;
      const common = {
        prompt: "cuped-backdated",
        version: variant === "A" ? 1 : 2,
        environment: "staging",
        subject: `b${s}`,
        experimentId: e.id,
        variant,
      };
      events.push({ ...common, id: `bx-${s}`, type: "exposure", at: new Date(start + 5 * 60_000).toISOString() });
      const up = variant === "B" ? s % 10 < 8 : s % 10 < 4;
      events.push({
        ...common,
        id: `bf-${s}`,
        type: "feedback",
        value: up ? 1 : 0,
        at: new Date(start + 60_000).toISOString(),
      });
    }
    await ingestEvents(t.db, f.projectId, { events }, later);
    const results = await experimentResults(t.db, f.projectId, e.id, { now: later });
    const m = results.comparisons[0]!.metrics.thumbs!;
    expect(m.lift!).toBeGreaterThan(0.5);
    expect(m.adjusted).toBeUndefined();
    expect(m.adjustedReason).toMatch(/before its exposure/);
  });
});

describe("CUPED decides", () => {
  it("names the winner the adjusted comparison finds, on the page, the API and the list alike", async () => {
    // 200 subjects whose level explains almost all of their score: B's +3 is lost in the spread of levels
    // unadjusted, and clear once each subject's own staging history is taken out.
    const { e, split } = await abExperiment("cuped-decides", "decides-seed", {
      name: "quality",
      kind: "continuous",
      goal: "increase",
    });
    const now = new Date();
    const g = generators("cuped-decides");
    const level = Array.from({ length: 200 }, () => g.normal(50, 10));
    const score = (s: number) => level[s]! + g.normal(0, 2);
    const common = { type: "metric", name: "quality", prompt: "cuped-decides", environment: "staging" };
    const history = level.flatMap((_, s) =>
      [2, 3, 4].map((d) => ({
        ...common,
        id: `d-pre-${s}-${d}`,
        version: 1,
        subject: `d${s}`,
        value: score(s),
        at: new Date(now.getTime() - d * DAY).toISOString(),
      })),
    );
    await ingestEvents(t.db, f.projectId, { events: history }, now);
    await startExperiment(f.ctx(f.approver), e.id);
    const during = level.flatMap((_, s) => {
      const variant = assign(split, `d${s}`)!.key;
      const at = { ...common, version: variant === "B" ? 2 : 1, subject: `d${s}`, experimentId: e.id, variant };
      return [
        { ...at, id: `d-x-${s}`, type: "exposure" },
        { ...at, id: `d-post-${s}`, value: score(s) + (variant === "B" ? 3 : 0) },
      ];
    });
    await ingestEvents(t.db, f.projectId, { events: during }, now);

    const results = await experimentResults(t.db, f.projectId, e.id, { now });
    const m = results.comparisons[0]!.metrics.quality!;
    expect(results.srm.ok).toBe(true);
    expect(m.significant).toBe(false);
    expect(m.adjusted!.significant).toBe(true);
    expect(m.adjusted!.covariate.subjectsWithHistory).toBe(200);
    expect(results.winner).toBe("B");
    expect(results.verdict).toMatch(
      /^B is better than A on quality: \+\d+\.\d% \(95% always-valid CI \+\d+\.\d% to \+\d+\.\d%\), CUPED-adjusted by each subject's quality in the 14 days before exposure \(200 of 200 subjects with history; variance \d+% smaller; unadjusted \+\d+\.\d%, not yet significant\)\./,
    );
    expect(results.verdict).toContain("Recommendation: ship B.");

    // Another look-back changes the numbers shown, not the decision (the experiment's 14 days).
    const shortLook = await experimentResults(t.db, f.projectId, e.id, { now, lookbackDays: 1 });
    expect(shortLook.comparisons[0]!.metrics.quality!.adjustedReason).toMatch(/before its exposure/);
    expect([shortLook.winner, shortLook.verdict]).toEqual([results.winner, results.verdict]);

    // The list reads the same decision (CUPED on the primary metric only), as its scheduled job computed it.
    const decision = await experimentResults(t.db, f.projectId, e.id, { now, perSubject: "decision" });
    expect([decision.winner, decision.verdict]).toEqual([results.winner, results.verdict]);
    await refreshDecisions(t.db);
    const listed = (await experimentSummaries(t.db, f.projectId, { prompt: "cuped-decides" }))[0]!;
    expect([listed.winner, listed.verdict]).toEqual([results.winner, results.verdict]);
    expect(listed.comparisons).toEqual([expect.objectContaining({ variant: "B", significant: true, cuped: true })]);
  });
});
