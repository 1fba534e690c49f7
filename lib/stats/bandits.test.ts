import { describe, expect, it } from "vitest";
import { applyFloor, banditReweight, probabilityBest, ucb1Indices } from "./bandits";
import { fromValues, type SufficientStats } from "./summary";

const binary = (x: number, n: number): SufficientStats => ({ n, sum: x, sumSq: x });
const fromMoments = (m: number, sd: number, n: number): SufficientStats => ({
  n,
  sum: m * n,
  sumSq: (n - 1) * sd * sd + n * m * m,
});

describe("probabilityBest", () => {
  // Exact two-arm references: Beta — ∫ f_B(x)·F_A(x) dx with scipy.integrate.quad; Normal —
  // Φ((μ_B − μ_A)/√(s_A²/n_A + s_B²/n_B)) with scipy. Monte Carlo with 20,000 draws has a standard
  // error ≤ 0.0036, so 0.015 is more than 4 standard errors.
  it.each([
    ["binary", [binary(30, 100), binary(45, 100)], 0.985476491996167],
    ["binary", [binary(120, 1000), binary(130, 1000)], 0.7501064873294275],
    ["continuous", [fromMoments(10, 4, 200), fromMoments(11, 5, 150)], 0.9779672996315866],
    ["continuous", [fromMoments(300, 80, 500), fromMoments(296, 90, 500)], 0.2288070334381574],
  ] as const)("%s: P(B best) matches the exact value", (kind, arms, expected) => {
    const p = probabilityBest(arms, { kind, draws: 20_000, seed: 7 })!;
    expect(Math.abs(p[1]! - expected)).toBeLessThan(0.015);
    expect(p[0]! + p[1]!).toBeCloseTo(1, 12);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const arms = [binary(120, 1000), binary(130, 1000), binary(125, 1000)];
    const a = probabilityBest(arms, { kind: "binary", draws: 2000, seed: 42 });
    expect(probabilityBest(arms, { kind: "binary", draws: 2000, seed: 42 })).toEqual(a);
    expect(probabilityBest(arms, { kind: "binary", draws: 2000, seed: "exp-1:reweight-3" })).toEqual(
      probabilityBest(arms, { kind: "binary", draws: 2000, seed: "exp-1:reweight-3" }),
    );
    expect(probabilityBest(arms, { kind: "binary", draws: 2000, seed: 43 })).not.toEqual(a);
  });

  it("flips with the goal", () => {
    const arms = [fromMoments(800, 200, 300), fromMoments(700, 200, 300)];
    expect(probabilityBest(arms, { kind: "continuous", goal: "decrease", draws: 2000, seed: 1 })![1]).toBeGreaterThan(
      0.99,
    );
    expect(probabilityBest(arms, { kind: "continuous", draws: 2000, seed: 1 })![1]).toBeLessThan(0.01);
  });

  it("shares ties and refuses continuous arms without a variance", () => {
    expect(
      probabilityBest([fromValues([3, 3, 3]), fromValues([3, 3])], { kind: "continuous", draws: 100, seed: 1 }),
    ).toEqual([0.5, 0.5]);
    expect(probabilityBest([fromValues([3]), fromValues([3, 4])], { kind: "continuous", seed: 1 })).toBeNull();
    expect(probabilityBest([], { kind: "binary", seed: 1 })).toBeNull();
  });
});

describe("ucb1Indices", () => {
  // Reference: x̄ + √(2 ln N / n) with N = 300, worked in numpy.
  it("matches the UCB1 formula", () => {
    const [a, b] = ucb1Indices([binary(30, 100), binary(70, 200)], { kind: "binary" });
    expect(a).toBeCloseTo(0.6377508689746394, 12);
    expect(b).toBeCloseTo(0.5888259298036166, 12);
  });
  it("plays an unplayed arm first", () => {
    expect(ucb1Indices([binary(0, 0), binary(5, 10)], { kind: "binary" })[0]).toBe(Infinity);
  });
});

describe("applyFloor", () => {
  it.each([
    [[1, 0], 0.05, [0.95, 0.05]],
    [[0.5, 0.5], 0.05, [0.5, 0.5]],
    [[1, 0, 0], 0.05, [0.9, 0.05, 0.05]],
    [[0.7, 0.2, 0.1], 0.1, [0.59, 0.24, 0.17]],
    [[1, 0], 0.8, [0.5, 0.5]], // f > 1/K: clamped to equal weights
    [[1, 0], 0, [1, 0]],
  ])("%j with floor %d → %j", (w, f, expected) => {
    const got = applyFloor(w, f);
    got.forEach((x, i) => expect(x).toBeCloseTo(expected[i]!, 12));
    expect(got.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe("banditReweight", () => {
  const base = { kind: "binary" as const, currentWeights: [0.5, 0.5], seed: 99, draws: 4000 };

  it("keeps the current weights during burn-in", () => {
    const r = banditReweight([binary(40, 99), binary(80, 150)], {
      ...base,
      algorithm: "thompson",
      currentWeights: [0.6, 0.4],
    });
    expect(r.weights).toEqual([0.6, 0.4]);
    expect(r.winner).toBeNull();
    expect(r.reason).toBe("burn-in: every arm needs 100 subjects before the first reweight (smallest arm has 99)");
    expect(r.pBest).not.toBeNull();
  });

  it("thompson: weights are P(best) with the floor", () => {
    const arms = [binary(120, 1000), binary(130, 1000)];
    const r = banditReweight(arms, { ...base, algorithm: "thompson" });
    const p = probabilityBest(arms, base)!;
    expect(r.pBest).toEqual(p);
    r.weights.forEach((w, i) => expect(w).toBeCloseTo(0.05 + 0.9 * p[i]!, 12));
    expect(r.winner).toBeNull();
    expect(r.reason).toMatch(/^thompson: weights follow P\(best\) with a 5% floor/);
  });

  it("names a winner at P(best) ≥ 0.95", () => {
    const r = banditReweight([binary(100, 1000), binary(160, 1000)], { ...base, algorithm: "thompson" });
    expect(r.winner).toBe(1);
    expect(r.weights[0]).toBeGreaterThanOrEqual(0.05);
    expect(r.reason).toMatch(/^winner: arm 1/);
  });

  it("ucb1: the top index gets all but the floor", () => {
    const r = banditReweight([binary(30, 100), binary(70, 200)], { ...base, algorithm: "ucb1" });
    expect(r.weights[0]).toBeCloseTo(0.95, 12);
    expect(r.weights[1]).toBeCloseTo(0.05, 12);
  });

  it("is deterministic for a seed", () => {
    const arms = [fromMoments(10, 4, 200), fromMoments(10.3, 5, 150)];
    const opts = { ...base, kind: "continuous" as const, algorithm: "thompson" as const };
    expect(banditReweight(arms, opts)).toEqual(banditReweight(arms, opts));
    expect(banditReweight(arms, { ...opts, seed: 100 }).weights).not.toEqual(banditReweight(arms, opts).weights);
  });

  it.each([
    [[binary(1, 200)], [1]],
    [[binary(1, 200), binary(2, 200)], [1]],
  ])("refuses bad input %#", (arms, weights) => {
    expect(() => banditReweight(arms, { ...base, algorithm: "thompson", currentWeights: weights })).toThrow(RangeError);
  });
});
