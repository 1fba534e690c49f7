// Seeded simulations behind the decisions Lectern shows with less traffic: CUPED's narrower interval
// and its A/A false-positive rate under daily peeking, and the power of a paired comparison of two
// evaluation runs against comparing their averages unpaired. Pure and deterministic for a seed; the
// bench prints them (bench/experiments-sim.ts, in `npm run bench`) and the tests check their claims.
import { compareArms } from "./compare";
import { cuped, type CupedSubject } from "./cuped";
import { welchTTest } from "./fixed-horizon";
import { pairedComparison } from "./paired";
import { generators, type Generators, type Seed } from "./random";
import { fromValues } from "./summary";

/** n subjects whose metric y correlates ρ with their pre-exposure value x (both unit variance around 10 and 0). */
export function correlatedSubjects(g: Generators, n: number, rho: number): CupedSubject[] {
  return Array.from({ length: n }, () => {
    const x = g.normal(0, 1);
    return { x, y: 10 + rho * x + Math.sqrt(1 - rho * rho) * g.normal(0, 1) };
  });
}

export interface CupedSimulationResult {
  rho: number;
  /** Mean over runs of (adjusted CI width / unadjusted CI width); theory √(1 − ρ²). */
  widthRatio: number;
  expectedWidthRatio: number;
  aaExperiments: number;
  days: number;
  /** Share of A/A experiments in which any daily look of the adjusted confidence sequence excluded 0. */
  sequentialFalsePositiveRate: number;
  /** The same with the fixed-horizon adjusted p-value peeked at daily (shows the inflation). */
  naivePeekingFalsePositiveRate: number;
}

export function simulateCuped(
  options: {
    rho?: number;
    widthRuns?: number;
    subjectsPerArm?: number;
    aaExperiments?: number;
    days?: number;
    perDay?: number;
    seed?: Seed;
  } = {},
): CupedSimulationResult {
  const rho = options.rho ?? 0.7;
  const g = generators(options.seed ?? "cuped-sim");
  const widthRuns = options.widthRuns ?? 10;
  const n = options.subjectsPerArm ?? 2000;
  const width = (ci: [number, number] | null) => ci![1] - ci![0];
  let ratioSum = 0;
  for (let r = 0; r < widthRuns; r++) {
    const arms = [correlatedSubjects(g, n, rho), correlatedSubjects(g, n, rho)];
    const adjusted = cuped(arms, { method: "fixed" });
    if (!adjusted.ok) throw new Error(adjusted.reason);
    const raw = compareArms(fromValues(arms[0]!.map((s) => s.y)), fromValues(arms[1]!.map((s) => s.y)), {
      kind: "continuous",
      method: "fixed",
    });
    ratioSum += width(adjusted.comparisons[0]!.differenceCi) / width(raw.differenceCi);
  }
  const sims = options.aaExperiments ?? 200;
  const days = options.days ?? 14;
  const perDay = options.perDay ?? 50;
  let sequential = 0;
  let naive = 0;
  for (let s = 0; s < sims; s++) {
    const arms: CupedSubject[][] = [[], []];
    let seqHit = false;
    let naiveHit = false;
    for (let d = 0; d < days; d++) {
      for (const arm of arms) arm.push(...correlatedSubjects(g, perDay, rho));
      const seq = cuped(arms, { method: "sequential", alpha: 0.05, plannedTotal: 2 * days * perDay });
      const fixed = cuped(arms, { method: "fixed", alpha: 0.05 });
      if (seq.ok && seq.comparisons[0]!.significant) seqHit = true;
      if (fixed.ok && fixed.comparisons[0]!.pValue! < 0.05) naiveHit = true;
    }
    if (seqHit) sequential++;
    if (naiveHit) naive++;
  }
  return {
    rho,
    widthRatio: ratioSum / widthRuns,
    expectedWidthRatio: Math.sqrt(1 - rho * rho),
    aaExperiments: sims,
    days,
    sequentialFalsePositiveRate: sequential / sims,
    naivePeekingFalsePositiveRate: naive / sims,
  };
}

export interface PairedPowerResult {
  items: number;
  effect: number;
  simulations: number;
  /** Share of simulations in which the paired t test found B better at alpha. */
  pairedPower: number;
  /** The same with Welch's t test on the two runs' item scores as independent samples. */
  unpairedPower: number;
  /** Share of simulations without a true difference in which the paired test found one (either way). */
  pairedFalsePositiveRate: number;
}

/**
 * Two runs on the same items: each item has its own difficulty (sd `itemSd` around 0.6, shared by both
 * versions), each output adds noise (sd `noiseSd`), and version B scores `effect` higher on every item.
 * Pairing removes the item spread; comparing averages carries it.
 */
export function simulatePairedPower(
  options: {
    items?: number;
    effect?: number;
    itemSd?: number;
    noiseSd?: number;
    simulations?: number;
    alpha?: number;
    seed?: Seed;
  } = {},
): PairedPowerResult {
  const items = options.items ?? 40;
  const effect = options.effect ?? 0.05;
  const itemSd = options.itemSd ?? 0.2;
  const noiseSd = options.noiseSd ?? 0.08;
  const sims = options.simulations ?? 2000;
  const alpha = options.alpha ?? 0.05;
  const g = generators(options.seed ?? "paired-power");
  const oneRun = (delta: number) => {
    const difficulty = Array.from({ length: items }, () => g.normal(0.6, itemSd));
    const a = difficulty.map((d) => d + g.normal(0, noiseSd));
    const b = difficulty.map((d) => d + delta + g.normal(0, noiseSd));
    return { a, b };
  };
  let paired = 0;
  let unpaired = 0;
  let falsePositives = 0;
  for (let s = 0; s < sims; s++) {
    const { a, b } = oneRun(effect);
    const p = pairedComparison(
      b.map((x, i) => x - a[i]!),
      { alpha },
    );
    if (p.tPValue! < alpha && p.meanDiff! > 0) paired++;
    const w = welchTTest(fromValues(a), fromValues(b), alpha);
    if (w && w.pValue < alpha && w.difference > 0) unpaired++;
    const nul = oneRun(0);
    const p0 = pairedComparison(nul.b.map((x, i) => x - nul.a[i]!));
    if (p0.tPValue! < alpha) falsePositives++;
  }
  return {
    items,
    effect,
    simulations: sims,
    pairedPower: paired / sims,
    unpairedPower: unpaired / sims,
    pairedFalsePositiveRate: falsePositives / sims,
  };
}
