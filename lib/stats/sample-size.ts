// Pre-registered sample size per arm, shown before launch: fixed mode will not call a result before it.
import normalQuantile from "@stdlib/stats-base-dists-normal-quantile";

interface Common {
  /**
   * Smallest effect worth detecting, RELATIVE to the baseline: 0.1 means a 10% lift
   * (a rate of 20% → 22%, a mean of 300 → 330). Must be ≠ 0; its sign does not matter.
   */
  minDetectableEffect: number;
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** Probability of detecting an effect of exactly minDetectableEffect, default 0.8. */
  power?: number;
}

export type SampleSizeInput =
  | (Common & { kind: "binary"; /** Control rate in (0, 1). */ baselineRate: number })
  | (Common & {
      kind: "continuous";
      /** Control mean, ≠ 0. */ baselineMean: number;
      /** Per-subject sd of the metric, > 0. */ baselineSd: number;
    });

/**
 * Subjects needed per arm for a two-sided test at `alpha` with `power` (normal approximation):
 * n = (z₁₋α/₂ + z_power)²·(σ_A² + σ_B²)/Δ², rounded up.
 * - binary: p_A = baselineRate, p_B = p_A·(1 + MDE), σ² = p(1 − p) per arm, Δ = p_B − p_A;
 * - continuous: Δ = baselineMean·MDE, σ_A = σ_B = baselineSd.
 * Throws RangeError naming the field when an input is out of range (including p_B outside (0, 1)),
 * so the API can turn it into a 422.
 */
export function sampleSizePerArm(input: SampleSizeInput): number {
  const alpha = input.alpha ?? 0.05;
  const power = input.power ?? 0.8;
  if (!(alpha > 0 && alpha < 1)) throw new RangeError("alpha must be in (0, 1)");
  if (!(power > 0 && power < 1)) throw new RangeError("power must be in (0, 1)");
  if (!Number.isFinite(input.minDetectableEffect) || input.minDetectableEffect === 0)
    throw new RangeError("minDetectableEffect must be a non-zero number");
  let varianceSum: number;
  let delta: number;
  if (input.kind === "binary") {
    const pA = input.baselineRate;
    if (!(pA > 0 && pA < 1)) throw new RangeError("baselineRate must be in (0, 1)");
    const pB = pA * (1 + input.minDetectableEffect);
    if (!(pB > 0 && pB < 1)) throw new RangeError("minDetectableEffect takes the rate outside (0, 1)");
    varianceSum = pA * (1 - pA) + pB * (1 - pB);
    delta = pB - pA;
  } else {
    if (!Number.isFinite(input.baselineMean) || input.baselineMean === 0)
      throw new RangeError("baselineMean must be a non-zero number");
    if (!(input.baselineSd > 0 && Number.isFinite(input.baselineSd))) throw new RangeError("baselineSd must be > 0");
    varianceSum = 2 * input.baselineSd ** 2;
    delta = input.baselineMean * input.minDetectableEffect;
  }
  const z = normalQuantile(1 - alpha / 2, 0, 1) + normalQuantile(power, 0, 1);
  // The 1e-9 guard keeps an exact integer (up to floating-point noise) from being rounded up by one.
  return Math.ceil((z * z * varianceSum) / (delta * delta) - 1e-9);
}
