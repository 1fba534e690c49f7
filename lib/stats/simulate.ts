// Seeded simulations behind two claims on the dashboard: looking every day at the always-valid results
// does not inflate false positives (naive peeking at a fixed test does), and a bandit loses less than a
// fixed 50/50 split while it learns. They call the same compareArms and banditReweight as the product.
import { banditReweight } from "./bandits";
import { compareArms } from "./compare";
import { generators, type Seed } from "./random";
import type { SufficientStats } from "./summary";

export interface AASimulationOptions {
  /** Independent A/A experiments; default 2,000. */
  experiments?: number;
  /** Looks per experiment (e.g. daily); default 30. */
  looks?: number;
  /** New subjects per arm between looks; default 100. */
  subjectsPerLookPerArm?: number;
  /** True conversion rate of both arms; default 0.1. */
  rate?: number;
  alpha?: number;
  seed: Seed;
}

export interface AASimulationResult {
  experiments: number;
  looks: number;
  subjectsPerArm: number;
  /** Share of experiments where a fixed χ² test had p < alpha at any look (stop at the first). */
  naivePeekingFalsePositiveRate: number;
  /** Share where the confidence sequence excluded 0 at any look. */
  sequentialFalsePositiveRate: number;
  /** Share where the fixed test had p < alpha at the last look only (should be ≈ alpha). */
  fixedOnceFalsePositiveRate: number;
}

/**
 * A/A experiments on a binary metric: both arms convert at `rate`, so every "significant" result is a
 * false positive. Subjects are Bernoulli draws from one seeded MT19937 stream; each look runs the same
 * compareArms the dashboard runs (fixed χ² for naive peeking; sequential with N* = the planned total,
 * 2 × looks × subjectsPerLookPerArm). Same options and seed → same rates.
 */
export function simulateAA(options: AASimulationOptions): AASimulationResult {
  const experiments = options.experiments ?? 2000;
  const looks = options.looks ?? 30;
  const perLook = options.subjectsPerLookPerArm ?? 100;
  const rate = options.rate ?? 0.1;
  const alpha = options.alpha ?? 0.05;
  const plannedTotal = 2 * looks * perLook;
  const { uniform } = generators(options.seed);
  let naive = 0;
  let sequential = 0;
  let fixedOnce = 0;
  for (let e = 0; e < experiments; e++) {
    let xA = 0;
    let xB = 0;
    let n = 0;
    let naiveHit = false;
    let seqHit = false;
    for (let look = 0; look < looks; look++) {
      for (let i = 0; i < perLook; i++) {
        if (uniform() < rate) xA++;
        if (uniform() < rate) xB++;
      }
      n += perLook;
      const a: SufficientStats = { n, sum: xA, sumSq: xA };
      const b: SufficientStats = { n, sum: xB, sumSq: xB };
      // Keep drawing after a hit so every experiment consumes the same stream (rates stay comparable).
      if (!naiveHit) {
        const p = compareArms(a, b, { kind: "binary", method: "fixed", alpha }).pValue;
        naiveHit = p !== null && p < alpha;
      }
      if (!seqHit)
        seqHit = compareArms(a, b, { kind: "binary", method: "sequential", alpha, plannedTotal }).significant;
      if (look === looks - 1) {
        const p = compareArms(a, b, { kind: "binary", method: "fixed", alpha }).pValue;
        if (p !== null && p < alpha) fixedOnce++;
      }
    }
    if (naiveHit) naive++;
    if (seqHit) sequential++;
  }
  return {
    experiments,
    looks,
    subjectsPerArm: looks * perLook,
    naivePeekingFalsePositiveRate: naive / experiments,
    sequentialFalsePositiveRate: sequential / experiments,
    fixedOnceFalsePositiveRate: fixedOnce / experiments,
  };
}

export interface BanditSimulationOptions {
  /** True conversion rate per arm; default [0.10, 0.12] (a 20% relative lift). */
  rates?: readonly number[];
  /** Independent runs averaged; default 100. */
  runs?: number;
  /** Reweights per run; default 20. */
  periods?: number;
  /** Subjects between reweights (all arms); default 500. */
  subjectsPerPeriod?: number;
  floor?: number;
  burnIn?: number;
  /** Monte Carlo draws per reweight; default 1,000 (enough for weights; the product uses 10,000). */
  draws?: number;
  seed: Seed;
}

export interface PolicyOutcome {
  /** Mean expected regret per run: Σ over subjects of (best rate − rate of the arm served), in conversions lost. */
  meanRegret: number;
  /** Mean share of subjects served the best arm. */
  bestArmShare: number;
  /** Share of runs that named a winner, and that named the right one. */
  winnerRate: number;
  correctWinnerRate: number;
}

export interface BanditSimulationResult {
  subjectsPerRun: number;
  fixedSplit: PolicyOutcome;
  thompson: PolicyOutcome;
  ucb1: PolicyOutcome;
}

type Policy = "fixed" | "thompson" | "ucb1";

/**
 * Bernoulli bandit on arms with the given true rates: each period, subjects are split by the current
 * weights and convert with their arm's rate; then the policy reweights (fixed: never). Every policy sees
 * the same stream of random numbers for the same run, so differences come from the policy.
 * Regret is the expected (pseudo-)regret, Σ (max rate − rate served), so luck in outcomes does not count.
 */
export function simulateBandit(options: BanditSimulationOptions): BanditSimulationResult {
  const rates = options.rates ?? [0.1, 0.12];
  const k = rates.length;
  const runs = options.runs ?? 100;
  const periods = options.periods ?? 20;
  const perPeriod = options.subjectsPerPeriod ?? 500;
  const bestRate = Math.max(...rates);
  const best = rates.indexOf(bestRate);
  const run = (policy: Policy): PolicyOutcome => {
    let regret = 0;
    let bestServed = 0;
    let winners = 0;
    let correct = 0;
    for (let r = 0; r < runs; r++) {
      const { uniform } = generators(`${String(options.seed)}/${r}`);
      const arms = rates.map(() => ({ n: 0, sum: 0, sumSq: 0 }));
      let weights = rates.map(() => 1 / k);
      let winner: number | null = null;
      for (let p = 0; p < periods; p++) {
        for (let s = 0; s < perPeriod; s++) {
          const u = uniform();
          const y = uniform(); // drawn for every policy so the streams stay aligned
          let i = 0;
          for (let acc = weights[0]!; u >= acc && i < k - 1; acc += weights[i]!) i++;
          const arm = arms[i]!;
          arm.n++;
          if (y < rates[i]!) {
            arm.sum++;
            arm.sumSq++;
          }
          regret += bestRate - rates[i]!;
          if (i === best) bestServed++;
        }
        if (policy === "fixed") continue;
        const out = banditReweight(arms, {
          algorithm: policy,
          kind: "binary",
          currentWeights: weights,
          floor: options.floor,
          burnIn: options.burnIn,
          draws: options.draws ?? 1000,
          seed: `${String(options.seed)}/${r}/${p}`,
        });
        weights = out.weights;
        winner ??= out.winner;
      }
      if (winner !== null) winners++;
      if (winner === best) correct++;
    }
    const subjects = runs * periods * perPeriod;
    return {
      meanRegret: regret / runs,
      bestArmShare: bestServed / subjects,
      winnerRate: winners / runs,
      correctWinnerRate: correct / runs,
    };
  };
  return {
    subjectsPerRun: periods * perPeriod,
    fixedSplit: run("fixed"),
    thompson: run("thompson"),
    ucb1: run("ucb1"),
  };
}
