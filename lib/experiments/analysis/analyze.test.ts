import { describe, expect, it } from "vitest";
import { analyze, type AnalysisDefinition, type ArmInput } from "./analyze";
import type { SufficientStats } from "../../stats/summary";
import { formatCount, formatPercent } from "../number-format";

const binary = (x: number, n: number): SufficientStats => ({ n, sum: x, sumSq: x });
const fromMoments = (m: number, sd: number, n: number): SufficientStats => ({
  n,
  sum: m * n,
  sumSq: (n - 1) * sd * sd + n * m * m,
});
const arm = (variant: string, subjects: number, metrics: Record<string, SufficientStats>): ArmInput => ({
  variant,
  subjects,
  metrics,
});

const base: AnalysisDefinition = {
  mode: "fixed",
  variants: [
    { key: "A", weight: 0.5 },
    { key: "B", weight: 0.5 },
  ],
  primaryMetric: { name: "thumbs", kind: "binary" },
  plannedSamplePerArm: 1240,
  unitNoun: "conversations",
};
/** `base` guarded by latency: an increase is bad. */
const latencyGuarded: AnalysisDefinition = {
  ...base,
  guardrails: [{ name: "latency_ms", kind: "continuous", direction: "increase_is_bad" }],
};
const thumbs = (xA: number, nA: number, xB: number, nB: number) => [
  arm("A", nA, { thumbs: binary(xA, nA) }),
  arm("B", nB, { thumbs: binary(xB, nB) }),
];

/** Every number anywhere in the results is finite (null is allowed, NaN and Infinity are not). */
function allFinite(x: unknown): boolean {
  if (typeof x === "number") return Number.isFinite(x);
  if (Array.isArray(x)) return x.every(allFinite);
  if (x && typeof x === "object") return Object.values(x).every(allFinite);
  return true;
}

describe("analyze: fixed horizon", () => {
  it("refuses to call a result before the planned sample and says how many are still needed", () => {
    const r = analyze(base, thumbs(80, 312, 140, 330)); // a big difference, but only 312 of 1,240
    expect(r.verdict).toContain(
      "Not enough data yet: 312 of 1,240 planned conversations per variant (928 more needed per variant",
    );
    expect(r.progress).toEqual({ smallestArm: 312, stillNeededPerArm: 928, complete: false });
    expect(r.comparisons[0]!.metrics.thumbs!.pValue).toBeLessThan(0.001);
    expect(r.comparisons[0]!.metrics.thumbs!.significant).toBe(false);
    expect(r.winner).toBeNull();
    expect(r.verdict).not.toMatch(/better|Recommendation/);
  });

  it("refuses without a planned sample", () => {
    const r = analyze({ ...base, plannedSamplePerArm: null }, thumbs(372, 1240, 446, 1240));
    expect(r.verdict).toContain("No planned sample size is set");
    expect(r.winner).toBeNull();
  });

  // Reference numbers: scipy chi2_contingency(correction=False) and the delta-method lift CI in numpy
  // (p = 0.0015746, lift 0.198925 [0.063580, 0.334269]; p = 0.72672, lift 0.021505 [-0.100391, 0.143402];
  // p = 0.0015746, lift -0.165919 [-0.260077, -0.071761]).
  it.each([
    [446, "B is better than A on thumbs: +19.9% (95% CI +7.1% to +34.2%).", "B", "Recommendation: ship B."],
    [
      380,
      "No clear difference between B and A on thumbs: the change could be anywhere from -9.3% to +15.1% (estimate +2.2%, 95% CI).",
      null,
      null,
    ],
    [309, "B is worse than A on thumbs: -16.9%", "A", "Recommendation: keep A."],
  ])("at the horizon, B with %i of 1,240 thumbs up", (xB, sentence, winner, recommendation) => {
    const r = analyze(base, thumbs(372, 1240, xB, 1240));
    expect(r.verdict).toContain(sentence);
    expect(r.winner).toBe(winner);
    if (recommendation) expect(r.verdict).toContain(recommendation);
    expect(r.progress.complete).toBe(true);
    expect(allFinite(r)).toBe(true);
  });

  it("serves arms with n, mean and sd", () => {
    const r = analyze(base, thumbs(372, 1240, 446, 1240));
    expect(r.arms[0]).toMatchObject({ variant: "A", subjects: 1240, metrics: { thumbs: { n: 1240, mean: 0.3 } } });
    expect(r.arms[0]!.metrics.thumbs!.sd).toBeCloseTo(Math.sqrt((372 - 372 ** 2 / 1240) / 1239), 12);
    expect(r.plannedSamplePerArm).toBe(1240);
  });

  it("uses Holm over guardrails: two raw p-values under 0.05 that do not survive adjustment", () => {
    // se of the difference = 1 (sd √500, n 1,000 per arm); Welch p = 0.0301 and 0.0405 (scipy t.sf, df ≈ 1998);
    // Holm: 2 × 0.0301 = 0.060 and max(0.060, 0.0405) = 0.060, so neither is a breach.
    const def: AnalysisDefinition = {
      ...base,
      plannedSamplePerArm: 1000,
      guardrails: [
        { name: "latency_ms", kind: "continuous", direction: "increase_is_bad" },
        { name: "cost_usd", kind: "continuous", direction: "increase_is_bad" },
      ],
    };
    const sd = Math.sqrt(500);
    const arms = [
      arm("A", 1000, {
        thumbs: binary(300, 1000),
        latency_ms: fromMoments(100, sd, 1000),
        cost_usd: fromMoments(50, sd, 1000),
      }),
      arm("B", 1000, {
        thumbs: binary(305, 1000),
        latency_ms: fromMoments(102.17, sd, 1000),
        cost_usd: fromMoments(52.05, sd, 1000),
      }),
    ];
    const r = analyze(def, arms);
    expect(r.comparisons[0]!.metrics.latency_ms!.pValue).toBeCloseTo(0.0301243303865303, 6);
    expect(r.comparisons[0]!.metrics.cost_usd!.pValue).toBeCloseTo(0.040494693374996095, 6);
    expect(r.guardrails.map((g) => g.adjustedPValue)).toEqual([
      expect.closeTo(0.0602486607730606, 6),
      expect.closeTo(0.0602486607730606, 6),
    ]);
    expect(r.guardrails.some((g) => g.breached)).toBe(false);
  });

  it("calls out a breached guardrail and names no winner", () => {
    const r = analyze(latencyGuarded, [
      arm("A", 1240, { thumbs: binary(372, 1240), latency_ms: fromMoments(800, 200, 1240) }),
      arm("B", 1240, { thumbs: binary(446, 1240), latency_ms: fromMoments(960, 220, 1240) }),
    ]);
    expect(r.guardrails[0]).toMatchObject({ variant: "B", metric: "latency_ms", breached: true });
    expect(r.verdict).toContain("Guardrail breached: B increases latency_ms by +20.0%");
    expect(r.verdict).toContain("No variant can be recommended while a guardrail is breached.");
    expect(r.winner).toBeNull();
  });

  it("checks guardrails before the horizon with always-valid p-values", () => {
    const r = analyze(latencyGuarded, [
      arm("A", 312, { thumbs: binary(80, 312), latency_ms: fromMoments(800, 200, 312) }),
      arm("B", 330, { thumbs: binary(90, 330), latency_ms: fromMoments(1000, 200, 330) }),
    ]);
    expect(r.comparisons[0]!.metrics.latency_ms!.statistic).toBeNull(); // sequential, not Welch
    expect(r.verdict).toContain("Guardrail breached: B increases latency_ms by +25.0% (95% always-valid CI");
    expect(r.verdict).toContain("Not enough data yet");
  });

  it("warns on a sample ratio mismatch and names no winner", () => {
    // 1,500 vs 1,240 exposures on a 50/50 split: χ² = 24.7, p ≈ 7e-7.
    const r = analyze(base, [
      arm("A", 1500, { thumbs: binary(450, 1500) }),
      arm("B", 1240, { thumbs: binary(446, 1240) }),
    ]);
    expect(r.srm.ok).toBe(false);
    expect(r.verdict).toMatch(/^Warning: the traffic split does not match the planned weights/);
    expect(r.winner).toBeNull();
  });

  it("explains an undefined lift when the control has no events", () => {
    const r = analyze({ ...base, plannedSamplePerArm: 400 }, thumbs(0, 400, 20, 400));
    const c = r.comparisons[0]!.metrics.thumbs!;
    expect(c.lift).toBeNull();
    expect(r.verdict).toContain("B is better than A on thumbs: +5.0 percentage points");
    expect(r.verdict).toContain("relative change undefined because a mean is 0");
    expect(allFinite(r)).toBe(true);
  });
});

describe("analyze: sequential and bandit", () => {
  const sequential: AnalysisDefinition = { ...base, mode: "sequential", plannedSamplePerArm: null };

  it("can call a result early, with always-valid intervals", () => {
    const r = analyze(sequential, thumbs(200, 1000, 300, 1000));
    expect(r.comparisons[0]!.metrics.thumbs!.significant).toBe(true);
    expect(r.winner).toBe("B");
    expect(r.verdict).toMatch(/B is better than A on thumbs: \+50\.0% \(95% always-valid CI/);
  });

  it("is more cautious than a fixed test on the same data", () => {
    // Fixed: p = 0.0036 (significant). Sequential with N* = 5000: the sequence still covers 0.
    const r = analyze(sequential, thumbs(372, 1240, 440, 1240));
    expect(r.comparisons[0]!.metrics.thumbs!.significant).toBe(false);
    expect(r.verdict).toContain(
      "Not enough evidence yet of a difference between B and A on thumbs: the change could be anywhere from",
    );
  });

  it("reports bandit chances and takes the bandit's winner; SRM is not checked", () => {
    const r = analyze({ ...sequential, mode: "bandit" }, thumbs(300, 1000, 360, 4000), {
      bandit: { pBest: [0.03, 0.97], winner: 1 },
    });
    expect(r.srm).toEqual({ pValue: null, ok: true });
    expect(r.winner).toBe("B");
    expect(r.verdict).toContain("Chance of being the best arm: A 3%, B 97%.");
  });

  it("says when there is no data", () => {
    const r = analyze(sequential, []);
    expect(r.verdict).toContain("No data yet");
    expect(r.verdict).toContain(
      "Cannot compare B with A on thumbs yet: A has no thumbs values yet (no subjects exposed yet); B has no thumbs values yet (no subjects exposed yet).",
    );
  });

  it("never says an arm has no subjects while it has exposed subjects without values", () => {
    const r = analyze(sequential, [
      { variant: "A", subjects: 150, metrics: { thumbs: { n: 145, sum: 60, sumSq: 60 } } },
      { variant: "B", subjects: 150, metrics: {} },
    ]);
    expect(r.verdict).toContain(
      "Cannot compare B with A on thumbs yet: B has no thumbs values yet (150 subjects exposed; their thumbs events have not arrived).",
    );
    expect(r.verdict).not.toMatch(/no subjects/);
    expect(allFinite(r)).toBe(true);
  });

  it.each([
    ["an unknown variant", base, [arm("Z", 1, {})], /unknown variant "Z"/],
    ["a single variant", { ...base, variants: [{ key: "A", weight: 1 }] }, [], /at least one variant/],
  ])("throws for %s", (_label, def, arms, message) => {
    expect(() => analyze(def, arms)).toThrow(message);
  });
});

describe("formatting", () => {
  it.each([
    [0, "0"],
    [312, "312"],
    [1240, "1,240"],
    [1234567, "1,234,567"],
  ])("formatCount(%d) = %s", (n, s) => expect(formatCount(n)).toBe(s));
  it.each([
    [0.123, "+12.3%"],
    [-0.05, "-5.0%"],
    [0, "+0.0%"],
    [-0.00001, "-0.0%"],
  ])("formatPercent(%d) = %s", (x, s) => expect(formatPercent(x)).toBe(s));
});
