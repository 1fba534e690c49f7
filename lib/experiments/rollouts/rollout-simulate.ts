// Seeded simulation of guarded rollouts (docs/decisions/guarded-rollouts.md): does stepping a new version through 5 →
// 25 → 50 → 100 % with guardrails read every minute keep false rollbacks at α, how long does a harmless version take to
// reach 100 %, and how many subjects see a bad version before it is rolled back, against a one-step release
// watched by online evaluation with automatic rollback. It calls the product's own rule (decideRollout) on
// the product's own test (compareArms, always-valid, Holm over the guardrails) over the whole rollout so far,
// as the rollouts job reads it (rollout-reads.ts: every step pooled, one seed so a subject keeps its arm, one
// sequence over every look at every step, no plan); newSubjects counts the new version's since the start.
// Pure and deterministic for a seed; bench/experiments-sim.ts prints it (`--only rollouts`) and
// rollout-simulate.test.ts checks its claims.
import { compareArms } from "../../stats/compare";
import { holm } from "../../stats/multiple-testing";
import { generators, type Generators, type Seed } from "../../stats/random";
import { DEFAULT_PLANNED_TOTAL } from "../../stats/sequential";
import type { MetricKind, SufficientStats } from "../../stats/summary";
import type { RolloutStep } from "../contracts";
import { decideRollout, type GuardrailInput } from "./rollout-decide";

/** Short steps (minutes, not hours) so thousands of rollouts run in seconds; same shape as the default. */
export const SIMULATION_STEPS: readonly RolloutStep[] = [
  { percent: 5, minMinutes: 30, minSubjects: 100 },
  { percent: 25, minMinutes: 30, minSubjects: 250 },
  { percent: 50, minMinutes: 30, minSubjects: 500 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];

export interface RolloutSimulationOptions {
  seed?: Seed;
  /** Runs per scenario (each design A/A and on each regression); default 2,000, quick 200. */
  runs?: number;
  quick?: boolean;
  /** Subjects arriving per minute; default 40. */
  trafficPerMinute?: number;
  steps?: readonly RolloutStep[];
  /** Error rate of the live version (binary guardrail, increase is bad); default 0.05. */
  errorRate?: number;
  /** Error rates of the bad version, one regression scenario each; default [0.075, 0.15] (+50 %, +200 %). */
  regressedErrorRates?: readonly number[];
  /** Latency guardrail (normal, ms; increase is bad), unchanged by the regression; null leaves it out. */
  latency?: { mean: number; sd: number } | null;
  alpha?: number;
  /** N* of the confidence sequence; default 5,000, the product's for a rollout (sequential, no plan). */
  plannedTotal?: number;
  /** Minutes of the old version's traffic the one-step baseline compares with; default 60. */
  baselineMinutes?: number;
  /** Minutes over which exposure to a bad version is counted, for both designs; default 240. */
  horizonMinutes?: number;
}

export interface Spread {
  median: number;
  /** Rounded to a whole number. */
  mean: number;
  p95: number;
}

export interface RegressionOutcome {
  /** Share of runs rolled back within the horizon (power). */
  rolledBack: number;
  /** Minutes from the start to the rollback, of the runs rolled back. */
  minutesToRollback: Spread;
  /** Subjects served the bad version until the rollback, or until the horizon when never rolled back. */
  badSubjects: Spread;
  /** Runs not rolled back within the horizon. */
  neverDetected: number;
}

export interface RolloutSimulationResult {
  runs: number;
  trafficPerMinute: number;
  steps: readonly RolloutStep[];
  errorRate: number;
  latency: boolean;
  alpha: number;
  plannedTotal: number;
  horizonMinutes: number;
  baselineMinutes: number;
  /** Sum of the steps' minimum minutes: the fastest a rollout can reach 100 %. */
  plannedMinutes: number;
  aa: {
    /** Share of harmless rollouts rolled back (false alarms), and at which step (index into steps). */
    rolledBack: number;
    rollbackAtStep: number[];
    /** Share of harmless rollouts that reached 100 %. */
    completed: number;
    /** Minutes to 100 % of those that completed. */
    minutesToFull: Spread;
    /** Share of harmless one-step releases rolled back within the horizon. */
    oneStepRolledBack: number;
  };
  regressions: {
    errorRate: number;
    rollout: RegressionOutcome & { rollbackAtStep: number[] };
    oneStep: RegressionOutcome;
  }[];
}

type Truth = { errorRate: number; latency: { mean: number; sd: number } | null };
/** One arm's sufficient statistics of each guardrail: the error rate's (Σx = Σx² for 0/1) and latency's. */
type Arm = { n: number; errors: number; latencyN: number; latencySum: number; latencySumSq: number };
type Setup = { alpha: number; plannedTotal: number; traffic: number; horizon: number; latency: boolean };

const emptyArm = (): Arm => ({ n: 0, errors: 0, latencyN: 0, latencySum: 0, latencySumSq: 0 });
const armStats = (a: Arm, setup: Setup): SufficientStats[] => {
  const errors = { n: a.n, sum: a.errors, sumSq: a.errors };
  return setup.latency ? [errors, { n: a.latencyN, sum: a.latencySum, sumSq: a.latencySumSq }] : [errors];
};

/** One subject's values under `truth`, added to `arm`. */
function addSubject(g: Generators, arm: Arm, truth: Truth): void {
  arm.n++;
  if (g.uniform() < truth.errorRate) arm.errors++;
  if (truth.latency) {
    const ms = g.normal(truth.latency.mean, truth.latency.sd);
    arm.latencyN++;
    arm.latencySum += ms;
    arm.latencySumSq += ms * ms;
  }
}

const GUARDRAILS: { metric: string; kind: MetricKind }[] = [
  { metric: "error_rate", kind: "binary" },
  { metric: "latency_ms", kind: "continuous" },
];

/** The guardrails as a rollout reads them: always-valid comparison, Holm over them, the bad way only. */
function readGuardrails(liveArm: Arm, newArm: Arm, setup: Setup): GuardrailInput[] {
  const { alpha, plannedTotal } = setup;
  const next = armStats(newArm, setup);
  const comparisons = armStats(liveArm, setup).map((c, i) =>
    compareArms(c, next[i]!, { kind: GUARDRAILS[i]!.kind, method: "sequential", alpha, plannedTotal }),
  );
  const adjusted = comparisons.length > 1 ? holm(comparisons.map((c) => c.pValue)) : [comparisons[0]!.pValue];
  // Every subject has a value of each guardrail (one event each), as the minimum per arm counts them.
  const arms = (i: number) => ({
    live: { subjects: armStats(liveArm, setup)[i]!.n, events: armStats(liveArm, setup)[i]!.n },
    new: { subjects: next[i]!.n, events: next[i]!.n },
  });
  return comparisons.map((c, i) => ({
    metric: GUARDRAILS[i]!.metric,
    direction: "increase_is_bad",
    lift: c.lift,
    ci: c.ci,
    significant: adjusted[i] !== null && adjusted[i]! < alpha && c.difference !== null && c.difference > 0,
    arms: arms(i),
  }));
}

const START = Date.UTC(2026, 0, 1);
const at = (minute: number) => new Date(START + minute * 60_000);

type RolloutRun = { outcome: "rollback" | "complete" | "horizon"; step: number; minute: number; badSubjects: number };

/**
 * One rollout, minute by minute, until it rolls back, completes, or (with `stopAt`) reaches that minute.
 * badSubjects counts the subjects served the new version, and after completion all traffic up to stopAt.
 */
function runRollout(
  g: Generators,
  live: Truth,
  next: Truth,
  steps: readonly RolloutStep[],
  setup: Setup,
  stopAt: number,
): RolloutRun {
  const state = { steps: [...steps], step: 0, stepStartedAt: at(0).toISOString(), paused: false, margin: null };
  const liveArm = emptyArm();
  const newArm = emptyArm();
  let served = 0;
  for (let minute = 1; minute <= stopAt; minute++) {
    const share = steps[state.step]!.percent / 100;
    for (let i = 0; i < setup.traffic; i++)
      if (g.uniform() < share) {
        addSubject(g, newArm, next);
        served++;
      } else addSubject(g, liveArm, live);
    const guardrails = readGuardrails(liveArm, newArm, setup);
    const d = decideRollout(state, at(minute), { newSubjects: newArm.n, guardrails });
    if (d.action === "rollback") return { outcome: "rollback", step: state.step, minute, badSubjects: served };
    if (d.action === "complete") {
      const rest = (stopAt - minute) * setup.traffic;
      return { outcome: "complete", step: state.step, minute, badSubjects: served + rest };
    }
    // The arms are not reset: the next step's data adds to the same sequence.
    if (d.action === "advance") {
      state.step = d.to;
      state.stepStartedAt = at(minute).toISOString();
    }
  }
  return { outcome: "horizon", step: state.step, minute: stopAt, badSubjects: served };
}

/**
 * The baseline: all traffic moves to the new version at once; each minute its data since the release is
 * compared (same test, same α) with the old version's last `baselineMinutes` of traffic before the release,
 * and it rolls back at the first significant harm. Returns when (else the horizon) and the subjects
 * served the new version until then.
 */
function runOneStep(g: Generators, live: Truth, next: Truth, setup: Setup, baselineMinutes: number) {
  const before = emptyArm();
  for (let i = 0; i < baselineMinutes * setup.traffic; i++) addSubject(g, before, live);
  const after = emptyArm();
  for (let minute = 1; minute <= setup.horizon; minute++) {
    for (let i = 0; i < setup.traffic; i++) addSubject(g, after, next);
    if (readGuardrails(before, after, setup).some((r) => r.significant))
      return { rolledBack: true, minute, badSubjects: after.n };
  }
  return { rolledBack: false, minute: setup.horizon, badSubjects: after.n };
}

/** Nearest-rank quantile of `values` (q in (0, 1]); NaN when empty. */
function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const spread = (values: readonly number[]): Spread => ({
  median: quantile(values, 0.5),
  mean: values.length ? Math.round(values.reduce((s, x) => s + x, 0) / values.length) : Number.NaN,
  p95: quantile(values, 0.95),
});

function outcome(runs: readonly { rolledBack: boolean; minute: number; badSubjects: number }[]): RegressionOutcome {
  const caught = runs.filter((r) => r.rolledBack);
  return {
    rolledBack: caught.length / runs.length,
    minutesToRollback: spread(caught.map((r) => r.minute)),
    badSubjects: spread(runs.map((r) => r.badSubjects)),
    neverDetected: runs.length - caught.length,
  };
}

/**
 * Runs `runs` harmless rollouts (A/A, each until it completes or rolls back) and `runs` harmless one-step
 * releases (up to the horizon), then for each regressed error rate `runs` rollouts and `runs` one-step
 * releases of the bad version, counting its subjects up to the horizon. Each scenario draws from its own
 * stream derived from the seed: same options → same result.
 */
export function simulateRollouts(options: RolloutSimulationOptions = {}): RolloutSimulationResult {
  const seed = options.seed ?? "rollout-sim";
  const runs = options.runs ?? (options.quick ? 200 : 2000);
  const steps = options.steps ?? SIMULATION_STEPS;
  const errorRate = options.errorRate ?? 0.05;
  const latency = options.latency === undefined ? { mean: 800, sd: 200 } : options.latency;
  const baselineMinutes = options.baselineMinutes ?? 60;
  const setup: Setup = {
    alpha: options.alpha ?? 0.05,
    plannedTotal: options.plannedTotal ?? DEFAULT_PLANNED_TOTAL,
    traffic: options.trafficPerMinute ?? 40,
    horizon: options.horizonMinutes ?? 240,
    latency: latency !== null,
  };
  const live: Truth = { errorRate, latency };
  const times = <T>(g: Generators, run: (g: Generators) => T) => Array.from({ length: runs }, () => run(g));
  const stream = (name: string) => generators(`${seed}:${name}`);

  // A harmless rollout always completes (no margin); the cap only guards against steps that cannot.
  const aaRuns = times(stream("aa"), (g) => runRollout(g, live, live, steps, setup, 50 * setup.horizon));
  const aaOneStep = times(stream("one-step-aa"), (g) => runOneStep(g, live, live, setup, baselineMinutes));
  const atStep = (rs: readonly RolloutRun[]) => {
    const counts = steps.map(() => 0);
    for (const r of rs) if (r.outcome === "rollback") counts[r.step]!++;
    return counts;
  };
  const regressions = (options.regressedErrorRates ?? [0.075, 0.15]).map((rate) => {
    const bad: Truth = { errorRate: rate, latency };
    const rollouts = times(stream(`rollout-${rate}`), (g) => runRollout(g, live, bad, steps, setup, setup.horizon));
    const oneStep = times(stream(`one-step-${rate}`), (g) => runOneStep(g, live, bad, setup, baselineMinutes));
    return {
      errorRate: rate,
      rollout: {
        ...outcome(rollouts.map((r) => ({ ...r, rolledBack: r.outcome === "rollback" }))),
        rollbackAtStep: atStep(rollouts),
      },
      oneStep: outcome(oneStep),
    };
  });
  return {
    runs,
    trafficPerMinute: setup.traffic,
    steps,
    errorRate,
    latency: latency !== null,
    alpha: setup.alpha,
    plannedTotal: setup.plannedTotal,
    horizonMinutes: setup.horizon,
    baselineMinutes,
    plannedMinutes: steps.reduce((s, x) => s + x.minMinutes, 0),
    aa: {
      rolledBack: aaRuns.filter((r) => r.outcome === "rollback").length / runs,
      rollbackAtStep: atStep(aaRuns),
      completed: aaRuns.filter((r) => r.outcome === "complete").length / runs,
      minutesToFull: spread(aaRuns.filter((r) => r.outcome === "complete").map((r) => r.minute)),
      oneStepRolledBack: aaOneStep.filter((r) => r.rolledBack).length / runs,
    },
    regressions,
  };
}
