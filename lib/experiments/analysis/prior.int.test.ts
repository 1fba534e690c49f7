// CUPED's covariates kept as events arrive (lib/ingest/aggregate.ts, SQL lectern_subject_priors): the moments in
// experiment_arm_stats equal, to 1e-9, those of the per-subject pairs that covariates.ts reads from the raw
// events, on the same data, through several batches in which subjects' means move; the migration's backfill
// reproduces them; so do a ratio metric's moments (experiment_ratio_stats) against the subjects' sums; and
// lectern_event_metrics (SQL) reads the same metric values as metricsOf.
import { readFileSync } from "node:fs";
import path from "node:path";
import { and, eq, inArray, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { experimentArmStats, experimentRatioStats, experimentSubjectStats } from "../../../db/schema";
import { base, f, servedPrompt, t, withExperimentsDatabase } from "../../../test/experiments-fixture";
import { ingestEvents } from "../../ingest/ingest";
import { addCupedMoments, cupedFromMoments, emptyCupedMoments, type CupedMoments } from "../../stats/cuped";
import { addRatioSubject, emptyRatioMoments } from "../../stats/ratio";
import { generators } from "../../stats/random";
import { assign } from "../assign";
import { covariatePairs, momentsOfPairs } from "./covariates";
import { eventData, metricEventSchema, metricsOf } from "../metric-events";
import { startExperiment } from "../lifecycle";
import { experimentResults } from "./results";
import { createExperiment, getExperiment } from "../store";

const DAY = 86_400_000;

withExperimentsDatabase("prior");

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

function expectMomentsEqual(kept: CupedMoments, fromPairs: CupedMoments, label: string) {
  for (const k of Object.keys(fromPairs) as (keyof CupedMoments)[])
    expect(close(kept[k], fromPairs[k]), `${label} ${k}: ${kept[k]} vs ${fromPairs[k]}`).toBe(true);
}

describe("lectern_event_metrics", () => {
  it("reads the metric values metricsOf reads, for every kind of event", async () => {
    const base = { id: "x", prompt: "p", version: 1, subject: "s" };
    const events = [
      { ...base, type: "exposure" },
      { ...base, type: "feedback", value: 1 },
      { ...base, type: "feedback", value: 0, rating: 4, comment: "ok" },
      { ...base, type: "feedback", rating: 2 },
      { ...base, type: "outcome", value: true },
      { ...base, type: "outcome", name: "task.done", value: false },
      { ...base, type: "generation", latencyMs: 812.25 },
      {
        ...base,
        type: "generation",
        latencyMs: 0,
        ttftMs: 1e-7,
        inputTokens: 1234,
        outputTokens: 56,
        costUsd: 0.000123456789,
        refusal: true,
        model: "m",
      },
      { ...base, type: "generation", latencyMs: 5, refusal: false },
      { ...base, type: "metric", name: "quality", value: -3.141592653589793 },
      { ...base, type: "metric", name: "big", value: 1e12 },
    ].map((e) => metricEventSchema.parse(e));
    for (const e of events) {
      const rows = await queryRows<{ name: string; value: number }>(
        t.db,
        sql`select name, value from lectern_event_metrics(${e.type}, ${JSON.stringify(eventData(e))}::jsonb)`,
      );
      const sorted = (l: { name: string; value: number }[]) =>
        l.map((m) => ({ name: m.name, value: Number(m.value) })).sort((a, b) => a.name.localeCompare(b.name));
      expect(sorted(rows), JSON.stringify(e)).toEqual(sorted(metricsOf(e)));
    }
  });
});

describe("CUPED moments kept as events arrive", () => {
  const now = new Date();
  let id = "";
  const metrics = ["quality", "latency_ms"];

  beforeAll(async () => {
    await servedPrompt("prior-ab", 2);
    const definition = base("prior-ab", {
      name: "prior",
      seed: "prior-seed",
      primaryMetric: { name: "quality", kind: "continuous", goal: "increase" },
      guardrails: [{ name: "latency_ms", kind: "continuous", direction: "increase_is_bad" }],
      cupedLookbackDays: 7,
      ratioMetrics: [{ name: "latency_per_quality", numerator: "latency_ms", denominator: "quality" }],
    });
    const e = await createExperiment(f.ctx(f.approver), definition);
    id = e.id;
    const split = {
      seed: "prior-seed",
      coverage: 1,
      variants: definition.variants.map(({ key, weight }) => ({ key, weight })),
    };
    const g = generators("prior-int");
    const N = 240;
    const level = Array.from({ length: N }, () => g.normal(50, 10));
    const speed = Array.from({ length: N }, () => g.normal(900, 150));
    const ev = (key: string, s: number, at: Date | null, extra: Record<string, unknown>) => ({
      id: key,
      prompt: "prior-ab",
      version: 1,
      environment: "staging",
      subject: `u${s}`,
      ...(at ? { at: at.toISOString() } : {}),
      ...extra,
    });
    const quality = (key: string, s: number, at: Date | null, environment = "staging") => ({
      ...ev(key, s, at, { type: "metric", name: "quality", value: level[s]! + g.normal(0, 5) }),
      environment,
    });
    const latency = (key: string, s: number, at: Date | null) =>
      ev(key, s, at, { type: "generation", latencyMs: Math.max(0, speed[s]! + g.normal(0, 80)) });

    // History: most subjects in the 7 days before, some only outside it, some only in production.
    const before: Record<string, unknown>[] = [];
    for (let s = 0; s < N; s++) {
      if (s % 6 === 5) continue; // no history at all
      if (s % 6 === 4) {
        before.push(quality(`old-${s}`, s, new Date(now.getTime() - 9 * DAY)));
        before.push(quality(`prod-${s}`, s, new Date(now.getTime() - 2 * DAY), "production"));
        continue;
      }
      for (let k = 0; k < 1 + (s % 3); k++) {
        before.push(quality(`pre-q-${s}-${k}`, s, new Date(now.getTime() - (k + 1) * DAY)));
        if (s % 2 === 0) before.push(latency(`pre-l-${s}-${k}`, s, new Date(now.getTime() - (k + 1) * DAY - 3600_000)));
      }
    }
    for (let i = 0; i < before.length; i += 500)
      await ingestEvents(t.db, f.projectId, { events: before.slice(i, i + 500) }, now);
    await startExperiment(f.ctx(f.approver), id);
    const { phase } = await getExperiment(t.db, f.projectId, id);

    // Three batches after exposure: each subject's mean moves from batch to batch (the deltas path); subjects
    // u0–u19 send no exposure event (their first value's hour stands in for it).
    for (let batch = 0; batch < 3; batch++) {
      const at = new Date(Date.now() + (batch + 1) * 60_000);
      const events: Record<string, unknown>[] = [];
      for (let s = 0; s < N; s++) {
        const variant = assign(split, `u${s}`)!.key;
        const attributed = { experimentId: id, variant, phase };
        if (batch === 0 && s >= 20) events.push({ ...ev(`x-${s}`, s, null, { type: "exposure" }), ...attributed });
        if ((s + batch) % 4 !== 0) events.push({ ...quality(`q-${s}-${batch}`, s, null), ...attributed });
        if ((s + batch) % 3 === 0) events.push({ ...latency(`l-${s}-${batch}`, s, null), ...attributed });
      }
      for (let i = 0; i < events.length; i += 400)
        await ingestEvents(t.db, f.projectId, { events: events.slice(i, i + 400) }, at);
    }
  });

  async function kept() {
    const rows = await t.db.select().from(experimentArmStats).where(eq(experimentArmStats.experimentId, id));
    const out = new Map<string, CupedMoments>();
    for (const r of rows) {
      const k = `${r.variantKey}|${r.metric}`;
      out.set(
        k,
        addCupedMoments(out.get(k) ?? emptyCupedMoments(), {
          n: Number(r.n),
          sumY: r.sum,
          sumYY: r.sumSq,
          withHistory: Number(r.nPrior),
          sumX: r.sumPrior,
          sumXX: r.sumPriorSq,
          sumXY: r.sumPriorY,
          sumYH: r.sumYWithPrior,
        }),
      );
    }
    return out;
  }

  async function fromRawEvents() {
    const e = await getExperiment(t.db, f.projectId, id);
    return momentsOfPairs(await covariatePairs(t.db, e, [e.phase], metrics, e.cupedLookbackDays));
  }

  it("equal the moments of the pairs read from raw events, and give the same CUPED result", async () => {
    const [a, b] = [await kept(), await fromRawEvents()];
    for (const variant of ["A", "B"])
      for (const metric of metrics) {
        const raw = b.get(variant)!.get(metric)!;
        expect(raw.withHistory).toBeGreaterThan(10);
        expect(raw.withHistory).toBeLessThan(raw.n);
        expectMomentsEqual(a.get(`${variant}|${metric}`)!, raw, `${variant} ${metric}`);
      }
    for (const metric of metrics) {
      const x = cupedFromMoments([a.get(`A|${metric}`)!, a.get(`B|${metric}`)!], { method: "sequential" });
      const y = cupedFromMoments([b.get("A")!.get(metric)!, b.get("B")!.get(metric)!], { method: "sequential" });
      if (!x.ok || !y.ok) throw new Error(`CUPED did not apply to ${metric}`);
      expect(close(x.theta, y.theta)).toBe(true);
      for (const [i, arm] of x.arms.entries()) {
        expect(close(arm.adjustedMean, y.arms[i]!.adjustedMean)).toBe(true);
        expect(close(arm.adjustedVariance, y.arms[i]!.adjustedVariance)).toBe(true);
      }
      expect(close(x.comparisons[0]!.varianceReduction, y.comparisons[0]!.varianceReduction)).toBe(true);
    }
    // The results read them: the primary metric's adjustment covers the subjects with history.
    const r = await experimentResults(t.db, f.projectId, id);
    const adjusted = r.comparisons[0]!.metrics.quality!.adjusted!;
    expect(adjusted.covariate.subjectsWithHistory).toBe(
      b.get("A")!.get("quality")!.withHistory + b.get("B")!.get("quality")!.withHistory,
    );
  });

  it("keep the ratio's moments equal to those of the subjects' sums", async () => {
    const rows = await t.db
      .select()
      .from(experimentSubjectStats)
      .where(and(eq(experimentSubjectStats.experimentId, id), inArray(experimentSubjectStats.metric, metrics)));
    // The reference: each subject's (Σ latency, Σ quality), 0 for a metric it has none of.
    const points = new Map<string, { variant: string; x: number; y: number }>();
    for (const r of rows) {
      const p = points.get(r.subject) ?? { variant: r.variantKey, x: 0, y: 0 };
      if (r.metric === "latency_ms") p.x += r.sum;
      else p.y += r.sum;
      points.set(r.subject, p);
    }
    const kept = await t.db.select().from(experimentRatioStats).where(eq(experimentRatioStats.experimentId, id));
    for (const variant of ["A", "B"]) {
      const ref = [...points.values()]
        .filter((p) => p.variant === variant)
        .reduce(addRatioSubject, emptyRatioMoments());
      const k = kept.find((r) => r.variantKey === variant)!;
      expect(Number(k.n)).toBe(ref.n);
      for (const m of ["sumX", "sumY", "sumXX", "sumYY", "sumXY"] as const)
        expect(close(k[m], ref[m]), `${variant} ${m}: ${k[m]} vs ${ref[m]}`).toBe(true);
    }
    const r = await experimentResults(t.db, f.projectId, id);
    expect(r.ratios[0]!.arms.map((a) => a.n)).toEqual(
      kept.sort((a, b) => a.variantKey.localeCompare(b.variantKey)).map((k) => Number(k.n)),
    );
  });

  it("are what the migration's backfill computes for subjects already in experiments", async () => {
    const ratiosBefore = await t.db
      .select()
      .from(experimentRatioStats)
      .where(eq(experimentRatioStats.experimentId, id));
    const before = await kept();
    const file = path.join(process.cwd(), "db/migrations/0027_cuped_moments.sql");
    const statements = readFileSync(file, "utf8").split("--> statement-breakpoint");
    const backfill = statements.filter((s) =>
      /^\s*(--[^\n]*\n\s*)*(UPDATE|INSERT INTO experiment_ratio_stats) /m.test(s),
    );
    expect(backfill).toHaveLength(3);
    await t.db.delete(experimentRatioStats);
    await t.db
      .update(experimentArmStats)
      .set({ nPrior: 0, sumPrior: 0, sumPriorSq: 0, sumPriorY: 0, sumYWithPrior: 0 })
      .where(and(eq(experimentArmStats.experimentId, id)));
    await t.db.execute(sql`update experiment_subject_stats set prior_count = 0, prior_sum = 0`);
    for (const s of backfill) await t.db.execute(sql.raw(s));
    const after = await kept();
    for (const [k, m] of before) expectMomentsEqual(after.get(k)!, m, k);
    const ratiosAfter = await t.db.select().from(experimentRatioStats).where(eq(experimentRatioStats.experimentId, id));
    for (const b of ratiosBefore) {
      const a = ratiosAfter.find((r) => r.variantKey === b.variantKey && r.ratio === b.ratio)!;
      expect(Number(a.n)).toBe(Number(b.n));
      for (const m of ["sumX", "sumY", "sumXX", "sumYY", "sumXY"] as const) expect(close(a[m], b[m])).toBe(true);
    }
  });
});
