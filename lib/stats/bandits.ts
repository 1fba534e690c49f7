// Multi-armed bandits over prompt versions: Thompson sampling (Beta–Bernoulli or Gaussian) and UCB1,
// reweighted on a cadence by the cron job. Pure and seeded: the same aggregates and seed give the same
// weights, so a retried cron run or a second instance cannot disagree.
import type { Goal } from "./compare";
import { generators, type Seed } from "./random";
import { mean, sampleVariance, type MetricKind, type SufficientStats } from "./summary";

export const DEFAULT_FLOOR = 0.05;
export const DEFAULT_BURN_IN = 100;
export const DEFAULT_DRAWS = 10_000;
export const WINNER_THRESHOLD = 0.95;

export interface PosteriorOptions {
  kind: MetricKind;
  /** Which direction is better; default "increase". */
  goal?: Goal;
  /** Monte Carlo draws; default 10,000 (standard error of a P(best) ≤ 0.005). */
  draws?: number;
  seed: Seed;
}

/**
 * P(arm is best) per arm by Monte Carlo over the posteriors of the arm means:
 * - binary: Beta(1 + Σx, 1 + n − Σx) (uniform prior; Σx may be fractional for per-subject shares);
 * - continuous: Normal(x̄, s²/n) (flat prior, large-sample posterior).
 * Ties within a draw share the win equally. Returns probabilities summing to 1, or null when a
 * continuous arm has fewer than 2 subjects (no variance estimate) or there are no arms.
 */
export function probabilityBest(arms: readonly SufficientStats[], options: PosteriorOptions): number[] | null {
  const k = arms.length;
  if (k === 0) return null;
  const draws = Math.max(1, Math.floor(options.draws ?? DEFAULT_DRAWS));
  const sign = (options.goal ?? "increase") === "increase" ? 1 : -1;
  const g = generators(options.seed);
  let sample: (i: number) => number;
  if (options.kind === "binary") {
    const a = arms.map((s) => 1 + s.sum);
    const b = arms.map((s) => 1 + Math.max(0, s.n - s.sum));
    sample = (i) => g.beta(a[i]!, b[i]!);
  } else {
    const mu = arms.map(mean);
    const v = arms.map(sampleVariance);
    if (mu.some((m) => m === null) || v.some((x) => x === null)) return null;
    const sd = arms.map((s, i) => Math.sqrt(v[i]! / s.n));
    sample = (i) => g.normal(mu[i]!, sd[i]!);
  }
  const wins = new Float64Array(k);
  const x = new Float64Array(k);
  for (let d = 0; d < draws; d++) {
    let best = -Infinity;
    let ties = 0;
    for (let i = 0; i < k; i++) {
      x[i] = sign * sample(i);
      if (x[i]! > best) {
        best = x[i]!;
        ties = 1;
      } else if (x[i] === best) ties++;
    }
    for (let i = 0; i < k; i++) if (x[i] === best) wins[i]! += 1 / ties;
  }
  return Array.from(wins, (w) => w / draws);
}

/**
 * UCB1 index per arm: x̄ᵢ + c·√(2 ln N / nᵢ), N = Σ nᵢ (Auer et al. 2002). For binary rewards c = 1 (the
 * textbook bound for rewards in [0, 1]); for continuous metrics c is the pooled sd — a scale heuristic,
 * since UCB1's guarantee needs bounded rewards. goal "decrease" ranks −x̄. An arm with n = 0 gets
 * +Infinity (play it first); that value is internal and never returned in weights.
 */
export function ucb1Indices(arms: readonly SufficientStats[], options: { kind: MetricKind; goal?: Goal }): number[] {
  const sign = (options.goal ?? "increase") === "increase" ? 1 : -1;
  const total = arms.reduce((t, s) => t + s.n, 0);
  let c = 1;
  if (options.kind === "continuous") {
    let ss = 0;
    let df = 0;
    for (const s of arms) {
      const v = sampleVariance(s);
      if (v !== null) {
        ss += v * (s.n - 1);
        df += s.n - 1;
      }
    }
    c = df > 0 ? Math.sqrt(ss / df) : 1;
  }
  return arms.map((s) =>
    s.n > 0 ? sign * (s.sum / s.n) + c * Math.sqrt((2 * Math.log(Math.max(total, 1))) / s.n) : Infinity,
  );
}

/**
 * Additive floor pᵢ = f + (1 − K·f)·wᵢ, so every arm keeps at least f of the traffic (the bandit keeps
 * learning and the control stays measurable). `weights` must sum to 1; f is clamped to [0, 1/K]
 * (f = 1/K gives equal weights).
 */
export function applyFloor(weights: readonly number[], floor = DEFAULT_FLOOR): number[] {
  const k = weights.length;
  if (k === 0) return [];
  const f = Math.min(Math.max(0, floor), 1 / k);
  return weights.map((w) => f + (1 - k * f) * w);
}

export interface BanditOptions {
  algorithm: "thompson" | "ucb1";
  kind: MetricKind;
  goal?: Goal;
  /** Weights in force now, returned unchanged during burn-in. */
  currentWeights: readonly number[];
  /** Minimum share per arm, default 0.05. */
  floor?: number;
  /** Subjects every arm needs before the first reweight, default 100. */
  burnIn?: number;
  /** Monte Carlo draws for P(best), default 10,000. */
  draws?: number;
  /** P(best) that names a winner, default 0.95. */
  winnerThreshold?: number;
  /** Seed of the Monte Carlo stream (e.g. the experiment id and reweight number). */
  seed: Seed;
}

export interface BanditResult {
  /** Traffic weights for the next phase, summing to 1. */
  weights: number[];
  /** P(best) per arm (Thompson posteriors, for both algorithms); null when not computable. */
  pBest: number[] | null;
  /** Index of the arm with P(best) ≥ threshold after burn-in, else null. */
  winner: number | null;
  /** Why these weights, in plain words (shown on the dashboard and in the audit log). */
  reason: string;
}

/**
 * One reweight. arms[i] are the sufficient statistics of the metric for arm i (n = subjects with a value).
 * - Burn-in: while any arm has fewer than burnIn subjects, weights stay `currentWeights` and no winner is
 *   named (P(best) is still reported when computable).
 * - thompson: weights = P(best), then the floor.
 * - ucb1: all weight on the arm(s) with the highest UCB1 index (ties share), then the floor.
 * - winner: the arm whose P(best) reaches the threshold. UCB1 has no posterior of its own, so its winner
 *   uses the same Thompson P(best): one rule for both algorithms.
 */
export function banditReweight(arms: readonly SufficientStats[], options: BanditOptions): BanditResult {
  const k = arms.length;
  if (k < 2) throw new RangeError("a bandit needs at least 2 arms");
  if (options.currentWeights.length !== k) throw new RangeError("currentWeights must have one weight per arm");
  const burnIn = options.burnIn ?? DEFAULT_BURN_IN;
  const floor = options.floor ?? DEFAULT_FLOOR;
  const threshold = options.winnerThreshold ?? WINNER_THRESHOLD;
  const pBest = probabilityBest(arms, options);
  const smallest = Math.min(...arms.map((s) => s.n));
  if (smallest < burnIn) {
    return {
      weights: [...options.currentWeights],
      pBest,
      winner: null,
      reason: `burn-in: every arm needs ${burnIn} subjects before the first reweight (smallest arm has ${smallest})`,
    };
  }
  if (pBest === null) {
    return {
      weights: [...options.currentWeights],
      pBest,
      winner: null,
      reason: "not enough data to estimate the arms (fewer than 2 subjects in an arm)",
    };
  }
  let raw: number[];
  if (options.algorithm === "thompson") {
    raw = pBest;
  } else {
    const idx = ucb1Indices(arms, options);
    const top = Math.max(...idx);
    const tied = idx.filter((x) => x === top).length;
    raw = idx.map((x) => (x === top ? 1 / tied : 0));
  }
  const weights = applyFloor(raw, floor);
  const w = pBest.findIndex((p) => p >= threshold);
  const winner = w >= 0 ? w : null;
  const floorText = `${Number((Math.min(Math.max(0, floor), 1 / k) * 100).toPrecision(3))}% floor`;
  const reason =
    winner !== null
      ? `winner: arm ${winner} is the best with probability ${pBest[winner]!.toFixed(3)} ≥ ${threshold}`
      : options.algorithm === "thompson"
        ? `thompson: weights follow P(best) with a ${floorText}`
        : `ucb1: the arm with the highest upper confidence bound gets the traffic, with a ${floorText}`;
  return { weights, pBest, winner, reason };
}
