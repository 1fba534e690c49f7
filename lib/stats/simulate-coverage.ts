// Do the intervals Lectern shows cover what they claim? Seeded simulations with a known true value, one per
// kind of interval a page shows: a rate's lift, a mean's lift, a ratio metric's lift, the CUPED-adjusted
// lift, the always-valid sequence at several looks, and the paired difference of two evaluation runs. Each
// reports how often the interval covered the truth and whether any left the metric's range (a lift below
// −100%, a score difference outside ±1). Pure and deterministic for a seed; the unit test checks the
// claims and bench/experiments-sim.ts prints the table (docs/experiments.md).
import { compareArms, type MetricComparison } from "./compare";
import { cuped, type CupedSubject } from "./cuped";
import { pairedComparison } from "./paired";
import { generators, type Generators, type Seed } from "./random";
import { compareRatios, ratioOf, type RatioSubject } from "./ratio";
import { fromValues, type SufficientStats } from "./summary";

export interface CoverageRow {
  kind: "rate" | "mean" | "ratio" | "cuped" | "sequential" | "paired";
  /** The design in words (sizes, true values). */
  design: string;
  simulations: number;
  /** 1 − α. */
  nominal: number;
  /** Share of the intervals shown that covered the true value (sequential: at every look at once). */
  coverage: number;
  /** Sequential only: the lowest coverage at any single look. */
  worstLook?: number;
  /** Simulations with no interval to show (e.g. a mean of 0 in an arm): counted out of `coverage`. */
  noInterval: number;
  /** Intervals that left the metric's range (must be 0). */
  outOfRange: number;
}

const ALPHA = 0.05;

const binaryArm = (g: Generators, n: number, p: number): SufficientStats => {
  let x = 0;
  for (let i = 0; i < n; i++) if (g.uniform() < p) x++;
  return { n, sum: x, sumSq: x };
};

/** Lognormal with mean `mean` and log-sd `sigma`: a skewed positive metric (cost, latency, tokens). */
const lognormal = (g: Generators, mean: number, sigma: number) =>
  Math.exp(g.normal(Math.log(mean) - (sigma * sigma) / 2, sigma));

interface Tally {
  covered: number;
  shown: number;
  outOfRange: number;
}

function tallyLift(t: Tally, c: MetricComparison, truth: number) {
  if (!c.ci) return;
  t.shown++;
  if (c.ci[0] <= truth && truth <= c.ci[1]) t.covered++;
  if (!(c.ci[0] >= -1) || !(c.ci[1] >= c.ci[0])) t.outOfRange++;
}

function row(kind: CoverageRow["kind"], design: string, runs: number, t: Tally): CoverageRow {
  return {
    kind,
    design,
    simulations: runs,
    nominal: 1 - ALPHA,
    coverage: t.shown ? t.covered / t.shown : 0,
    noInterval: runs - t.shown,
    outOfRange: t.outOfRange,
  };
}

const tally = (): Tally => ({ covered: 0, shown: 0, outOfRange: 0 });

function rate(g: Generators, runs: number): CoverageRow {
  const [n, pC, pT] = [400, 0.08, 0.1];
  const t = tally();
  for (let r = 0; r < runs; r++)
    tallyLift(
      t,
      compareArms(binaryArm(g, n, pC), binaryArm(g, n, pT), { kind: "binary", method: "fixed" }),
      pT / pC - 1,
    );
  return row("rate", `${n} subjects per arm, 8% → 10% (+25%), fixed horizon`, runs, t);
}

function meanKind(g: Generators, runs: number): CoverageRow {
  const [n, mC, mT, sigma] = [300, 1, 1.1, 0.8];
  const t = tally();
  const arm = (m: number) => fromValues(Array.from({ length: n }, () => lognormal(g, m, sigma)));
  for (let r = 0; r < runs; r++)
    tallyLift(t, compareArms(arm(mC), arm(mT), { kind: "continuous", method: "fixed" }), mT / mC - 1);
  return row("mean", `${n} subjects per arm, skewed (lognormal, log-sd ${sigma}), +10%, fixed horizon`, runs, t);
}

function ratio(g: Generators, runs: number): CoverageRow {
  const [n, cC, cT] = [300, 1, 1.15];
  const t = tally();
  // Tasks per subject 1–4, each subject's cost per task lognormal around the arm's: E[x]/E[y] = c.
  const arm = (c: number): RatioSubject[] =>
    Array.from({ length: n }, () => {
      const y = 1 + Math.floor(g.uniform() * 4);
      return { x: y * lognormal(g, c, 0.6), y };
    });
  for (let r = 0; r < runs; r++)
    tallyLift(t, compareRatios(ratioOf(arm(cC)), ratioOf(arm(cT)), { method: "fixed" }), cT / cC - 1);
  return row("ratio", `${n} subjects per arm, cost per task, +15%, fixed horizon`, runs, t);
}

function cupedKind(g: Generators, runs: number): CoverageRow {
  const [n, lift] = [300, 0.05];
  const t = tally();
  // y = (2 + 0.8·x + ε)·(1 + lift); a fifth of the subjects have no history (x is not seen, y still depends on it).
  const arm = (l: number): CupedSubject[] =>
    Array.from({ length: n }, () => {
      const x = g.normal(10, 3);
      const y = (2 + 0.8 * x + g.normal(0, 1.5)) * (1 + l);
      return { x: g.uniform() < 0.2 ? null : x, y };
    });
  for (let r = 0; r < runs; r++) {
    const res = cuped([arm(0), arm(lift)], { method: "fixed", alpha: ALPHA });
    if (res.ok) tallyLift(t, res.comparisons[0]!, lift);
  }
  return row("cuped", `${n} subjects per arm, covariate ρ ≈ 0.85, 20% without history, +5%, fixed horizon`, runs, t);
}

function sequential(g: Generators, runs: number): CoverageRow {
  const [perLook, looks, pC, pT] = [250, 8, 0.2, 0.22];
  const truth = pT / pC - 1;
  let allLooks = 0;
  let shown = 0;
  let outOfRange = 0;
  const perLookCovered = Array<number>(looks).fill(0);
  for (let r = 0; r < runs; r++) {
    const c = { n: 0, sum: 0, sumSq: 0 };
    const tr = { n: 0, sum: 0, sumSq: 0 };
    let everyLook = true;
    for (let k = 0; k < looks; k++) {
      for (const [arm, p] of [
        [c, pC],
        [tr, pT],
      ] as const) {
        const add = binaryArm(g, perLook, p);
        arm.n += add.n;
        arm.sum += add.sum;
        arm.sumSq += add.sumSq;
      }
      const cmp = compareArms(c, tr, {
        kind: "binary",
        method: "sequential",
        alpha: ALPHA,
        plannedTotal: 2 * perLook * looks,
      });
      if (!cmp.ci) {
        everyLook = false;
        continue;
      }
      if (!(cmp.ci[0] >= -1)) outOfRange++;
      const ok = cmp.ci[0] <= truth && truth <= cmp.ci[1];
      if (ok) perLookCovered[k]!++;
      else everyLook = false;
    }
    shown++;
    if (everyLook) allLooks++;
  }
  return {
    kind: "sequential",
    design: `${looks} looks, ${perLook} more subjects per arm each, 20% → 22% (+10%), always-valid`,
    simulations: runs,
    nominal: 1 - ALPHA,
    coverage: allLooks / shown,
    worstLook: Math.min(...perLookCovered) / runs,
    noInterval: runs - shown,
    outOfRange,
  };
}

function paired(g: Generators, runs: number): CoverageRow {
  const [items, reps, gain] = [40, 3, 0.05];
  const t = tally();
  // Each item has its own difficulty; run b passes each item 5 points more often. Scores are the share of
  // 3 repetitions passed, as a run's item score is.
  const score = (p: number) => {
    let passed = 0;
    for (let i = 0; i < reps; i++) if (g.uniform() < p) passed++;
    return passed / reps;
  };
  for (let r = 0; r < runs; r++) {
    const diffs = Array.from({ length: items }, () => {
      const p = 0.2 + 0.65 * g.uniform();
      return score(p + gain) - score(p);
    });
    const res = pairedComparison(diffs, { alpha: ALPHA, range: [-1, 1] });
    if (!res.ci) continue;
    t.shown++;
    if (res.ci[0] <= gain && gain <= res.ci[1]) t.covered++;
    if (res.ci[0] < -1 || res.ci[1] > 1) t.outOfRange++;
  }
  return row("paired", `${items} items × ${reps} repetitions, run b passes 5 points more often`, runs, t);
}

/** The coverage table: every kind, `simulations` seeded runs each. */
export function simulateCoverage(options: { seed?: Seed; simulations?: number } = {}): CoverageRow[] {
  const runs = options.simulations ?? 2000;
  const seed = options.seed ?? "coverage";
  return [rate, meanKind, ratio, cupedKind, sequential, paired].map((f) => f(generators(`${seed}:${f.name}`), runs));
}
