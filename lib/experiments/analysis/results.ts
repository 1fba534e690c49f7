// An experiment's results, read from the hourly aggregates (O(arms × metrics × hours) rows, never the
// raw events) and analysed with the pure statistics of analyze.ts; plus the cumulative timeline the
// dashboard charts (lift with its band, subjects, weights: lift-timeline.ts, binned to the data's span).
import { and, eq, inArray } from "drizzle-orm";
import { readTogether, type Db } from "../../../db/client";
import { AppError } from "../../errors";
import { experimentArmExposures, experimentArmStats, experimentUnattributed } from "../../../db/schema";
import { unattributedSummary } from "../unattributed";
import { analyze, type ArmInput, type ExperimentResults } from "./analyze";
import { covariatePairs, momentsOfPairs, type CovariateMoments } from "./covariates";
import { addCupedMoments, emptyCupedMoments, type CupedMoments } from "../../stats/cuped";
import { cupedMomentsOf, readLiftTimeline } from "./lift-timeline-read";
import { ratioResults } from "../ratios";
import { builtInMetrics, primaryGoal } from "../definition";
import { etaToPlan } from "./eta";
import { DEFAULT_PLANNED_TOTAL } from "../../stats/sequential";
import { currentWeights, getExperiment, type Experiment } from "../store";
import type { SufficientStats } from "../../stats/summary";
import { rolloutSrm } from "../rollouts/rollout-srm";

type Stats = SufficientStats;
const add = (a: Stats, b: Stats): Stats => ({ n: a.n + b.n, sum: a.sum + b.sum, sumSq: a.sumSq + b.sumSq });
const zero: Stats = { n: 0, sum: 0, sumSq: 0 };

/**
 * Phases analysed together: the one asked for, else the current one (a reweight re-randomizes), or a bandit's
 * (sticky subjects) and a guarded rollout's (one seed for every step, so a subject keeps its arm: the whole
 * rollout is one sequence, and its always-valid intervals hold over every look at every step) — each sequence
 * cut where a release changed what the arms serve (a phase a deployment began): results never mix two
 * compositions of an arm.
 */
export function phasesOf(e: Experiment, asked?: number): number[] {
  const phase = asked ?? e.phase;
  if (asked !== undefined && !e.phases.some((p) => p.phase === asked))
    throw new AppError("unprocessable", `This experiment has no phase ${asked} (it has ${e.phases.length}).`, {
      field: "phase",
      phases: e.phases.length,
    });
  if (e.mode !== "bandit" && e.kind !== "rollout") return e.phases.length ? [phase] : [];
  const cuts = e.phases.filter((p) => p.deploymentId !== null).map((p) => p.phase);
  const from = Math.max(1, ...cuts.filter((c) => c <= phase));
  const to = Math.min(Infinity, ...cuts.filter((c) => c > phase).map((c) => c - 1));
  return e.phases.map((p) => p.phase).filter((p) => p >= from && p <= to);
}

export type ResultsOptions = {
  unitNoun?: string;
  now?: Date;
  /**
   * Days before each subject's first exposure that count as its CUPED covariate in the adjusted numbers
   * shown; default the experiment's. The decision always uses the experiment's own (analyze's shownCovariates).
   * Another than the experiment's reads the subjects' raw events (covariates.ts): a what-if, O(events).
   */
  lookbackDays?: number;
  /** A phase other than the current one (`?phase=`): its results, as they stood. */
  phase?: number;
  /**
   * What is computed from per-subject rows (they are read per subject, not from the aggregates):
   * - "all" (default): CUPED beside every comparison and the ratio metrics (per-subject sums);
   * - "decision": only what the winner and the verdict read, CUPED on the primary metric (and, for a guarded
   *   rollout, on its guardrails, which decide it); no ratios (the experiments list, the rollouts job).
   * There is no mode without CUPED: its decision could contradict the experiment's page.
   */
  perSubject?: "all" | "decision";
  /** The experiment as the caller read it already (a start, a reweight, a rollout's move): not read again. */
  experiment?: Experiment;
};

export async function experimentResults(db: Db, projectId: string, id: string, opts: ResultsOptions = {}) {
  const e = opts.experiment ?? (await getExperiment(db, projectId, id));
  const phases = phasesOf(e, opts.phase);
  const read = opts.phase ?? e.phase;
  const all = (opts.perSubject ?? "all") === "all";
  const rows = await readAggregates(db, id, phases);
  const arms = armTotals(e, rows.stats, rows.exposures);
  const results = await analysis(db, e, phases, read, arms, rows, opts);
  const plannedTotal = e.plannedSamplePerArm ? e.plannedSamplePerArm * e.variants.length : DEFAULT_PLANNED_TOTAL;
  const ratios = !all
    ? []
    : await ratioResults(db, e.id, e.mode === "bandit" ? 0 : read, e.ratioMetrics, {
        variants: e.variants.map((v) => v.key),
        fixedReady: e.mode === "fixed" && results.progress.complete,
        alpha: e.alpha,
        plannedTotal,
      });
  // Cumulative lift of each variant on the primary metric, binned to the span of the data (lift-timeline.ts).
  const timeline = await readLiftTimeline(
    db,
    e,
    phases,
    e.primaryMetric.name,
    { stats: rows.stats, exposures: rows.exposures },
    { kind: e.primaryMetric.kind, method: e.mode === "fixed" ? "fixed" : "sequential", alpha: e.alpha, plannedTotal },
    all,
  );
  return resultsDto(e, phases, read, rows, results, { ratios, timeline, now: opts.now ?? new Date() });
}

type AggregateRows = Awaited<ReturnType<typeof readAggregates>>;

/** The hourly aggregates of `phases`: per arm and metric, exposures, and events that named no served arm. */
async function readAggregates(db: Db, id: string, phases: number[]) {
  if (!phases.length) return { stats: [], exposures: [], apart: [] };
  const [stats, exposures, apart] = await readTogether(db, [
    () =>
      db
        .select()
        .from(experimentArmStats)
        .where(and(eq(experimentArmStats.experimentId, id), inArray(experimentArmStats.phase, phases))),
    () =>
      db
        .select()
        .from(experimentArmExposures)
        .where(and(eq(experimentArmExposures.experimentId, id), inArray(experimentArmExposures.phase, phases))),
    // Events that named an arm the server did not serve (phase 0: dated before any phase began, shown with the first).
    () =>
      db
        .select()
        .from(experimentUnattributed)
        .where(
          and(
            eq(experimentUnattributed.experimentId, id),
            inArray(experimentUnattributed.phase, phases.includes(1) ? [0, ...phases] : phases),
          ),
        ),
  ]);
  return { stats, exposures, apart };
}

/** Totals per arm and metric. */
function armTotals(e: Experiment, stats: AggregateRows["stats"], exposures: AggregateRows["exposures"]) {
  return e.variants.map((v): ArmInput => {
    const metrics: Record<string, Stats> = {};
    for (const s of stats)
      if (s.variantKey === v.key)
        metrics[s.metric] = add(metrics[s.metric] ?? zero, { n: Number(s.n), sum: s.sum, sumSq: s.sumSq });
    const exposed = exposures.filter((x) => x.variantKey === v.key).reduce((n, x) => n + Number(x.subjects), 0);
    // Applications that send no exposure events still have subjects: those with a value.
    const withValues = Math.max(0, ...Object.values(metrics).map((m) => m.n));
    return { variant: v.key, subjects: Math.max(exposed, withValues), metrics };
  });
}

/** The statistics of analyze.ts over the totals, with CUPED's covariates and a rollout's own SRM check. */
async function analysis(
  db: Db,
  e: Experiment,
  phases: number[],
  read: number,
  arms: ArmInput[],
  rows: AggregateRows,
  opts: ResultsOptions,
): Promise<ExperimentResults & { srmOfRollout: ReturnType<typeof rolloutSrm> | null }> {
  const { deciding, shown } = await covariates(db, e, phases, rows.stats, opts);
  // A rollout's split grows by its steps: each subject is checked against the share in force where it arrived.
  const srmOfRollout = e.kind === "rollout" ? rolloutSrm(e, rows.exposures) : null;
  const weights = currentWeights(e);
  const pBest = e.phases.find((p) => p.phase === read)?.pBest ?? null;
  const winner = pBest ? (pBest.findIndex((p) => p >= 0.95) >= 0 ? pBest.findIndex((p) => p >= 0.95) : null) : null;
  const results = analyze(
    {
      mode: e.mode,
      variants: e.variants.map((v) => ({ key: v.key, weight: weights[v.key] ?? 0 })),
      primaryMetric: { name: e.primaryMetric.name, kind: e.primaryMetric.kind, goal: primaryGoal(e.primaryMetric) },
      guardrails: e.guardrails,
      alpha: e.alpha,
      plannedSamplePerArm: e.plannedSamplePerArm,
      unitNoun: opts.unitNoun,
      cupedGuardrails: e.kind === "rollout",
    },
    arms,
    {
      bandit: e.mode === "bandit" ? { pBest, winner } : null,
      covariates: deciding,
      shownCovariates: shown,
      ...(srmOfRollout ? { srm: srmOfRollout } : {}),
    },
  );
  return { ...results, srmOfRollout };
}

// CUPED with the experiment's look-back: from the aggregates, whose covariates were fixed as subjects arrived.
async function covariates(db: Db, e: Experiment, phases: number[], stats: AggregateRows["stats"], o: ResultsOptions) {
  const all = (o.perSubject ?? "all") === "all";
  // A guarded rollout's guardrails decide on CUPED where it applies (analyze's cupedGuardrails): they need
  // their moments in every view, which the aggregates already hold (no per-subject read).
  const rollout = e.kind === "rollout";
  const primary = e.primaryMetric.name;
  const names = all || rollout ? [...new Set([primary, ...e.guardrails.map((g) => g.name)])] : [primary];
  const moments: CovariateMoments = new Map();
  for (const s of stats) {
    const byMetric = moments.get(s.variantKey) ?? new Map<string, CupedMoments>();
    byMetric.set(s.metric, addCupedMoments(byMetric.get(s.metric) ?? emptyCupedMoments(), cupedMomentsOf(s)));
    moments.set(s.variantKey, byMetric);
  }
  const deciding = { moments, lookbackDays: e.cupedLookbackDays, only: names };
  // Another look-back (`?lookbackDays=N`, to see how much the choice matters) is read from the subjects'
  // raw history: a what-if that costs a scan of their events, never what the decision or the list reads.
  const shownLookback = all ? (o.lookbackDays ?? e.cupedLookbackDays) : e.cupedLookbackDays;
  const shown =
    shownLookback === e.cupedLookbackDays
      ? null
      : {
          moments: momentsOfPairs(await covariatePairs(db, e, phases, names, shownLookback)),
          lookbackDays: shownLookback,
          only: names,
        };
  return { deciding, shown };
}

function resultsDto(
  e: Experiment,
  phases: number[],
  read: number,
  rows: AggregateRows,
  results: Awaited<ReturnType<typeof analysis>>,
  more: {
    ratios: Awaited<ReturnType<typeof ratioResults>>;
    timeline: Awaited<ReturnType<typeof readLiftTimeline>>;
    now: Date;
  },
) {
  const eventsOf = new Map<string, number>();
  for (const s of rows.stats) {
    const key = `${s.variantKey}|${s.metric}`;
    eventsOf.set(key, (eventsOf.get(key) ?? 0) + Number(s.events));
  }
  return {
    // `phase`: the current one; `phases`: those these results read (never two compositions of an arm).
    experiment: { id: e.id, name: e.name, status: e.status, mode: e.mode, phase: e.phase, phases },
    // Each arm's metrics with the events their subjects' values came from (n counts the subjects).
    arms: results.arms.map((a) => ({
      ...a,
      version: e.variants.find((v) => v.key === a.variant)!.version,
      metrics: Object.fromEntries(
        Object.entries(a.metrics).map(([m, x]) => [m, { ...x, events: eventsOf.get(`${a.variant}|${m}`) ?? 0 }]),
      ),
    })),
    comparisons: results.comparisons,
    guardrails: results.guardrails,
    ratios: more.ratios,
    srm: results.srmOfRollout ?? results.srm,
    plannedSamplePerArm: results.plannedSamplePerArm,
    progress: { ...results.progress, eta: eta(e, read, rows.exposures, results, more.now) },
    winner: results.winner,
    verdict: results.verdict,
    primaryMetric: { ...e.primaryMetric, goal: primaryGoal(e.primaryMetric) },
    weights: e.phases.map((p) => ({
      phase: p.phase,
      at: p.startedAt.toISOString(),
      weights: p.weights,
      pBest: p.pBest,
      reason: p.reason,
      compositions: p.compositions,
      deployment: p.deploymentId,
    })),
    // Each point at the fixed end of its bin (ISO), its lift the deciding estimate (CUPED-adjusted where it applies).
    timeline: more.timeline.points,
    timelineBinMs: more.timeline.width,
    // Events that named an arm the server did not serve its subject (or outside the phase's window): counted
    // here, never in an arm.
    unattributed: unattributedSummary(
      rows.apart,
      e.variants.map((v) => v.key),
    ),
    metricsKnown: Object.keys(builtInMetrics),
  };
}

// The time to the planned sample at the last hour's pace (current phase's exposures).
function eta(e: Experiment, read: number, exposures: AggregateRows["exposures"], r: ExperimentResults, now: Date) {
  const weights = currentWeights(e);
  return etaToPlan(
    exposures
      .filter((x) => x.phase === read && read === e.phase)
      .map((x) => ({
        variant: x.variantKey,
        bucket: x.bucket,
        subjects: Number(x.subjects),
        firstAt: x.firstAt,
        lastAt: x.lastAt,
      })),
    e.variants.filter((v) => (weights[v.key] ?? 0) > 0).map((v) => v.key),
    r.progress.stillNeededPerArm,
    now,
    e.phases.find((p) => p.phase === e.phase)?.startedAt ?? e.startedAt,
  );
}
