import { describe, expect, it } from "vitest";
import { pairedComparison } from "../stats";
import { pairedVerdict, pairRuns, type RunUnit } from "./paired-runs";
import { itemSpreads, runStatistics } from "./run-statistics";
import type { ScorerOutcome } from "./types";

const outcome = (name: string, score: number, extra: Partial<ScorerOutcome> = {}): ScorerOutcome => ({
  name,
  type: name === "correctness" ? "llm_judge" : "contains",
  weight: 1,
  threshold: 0.5,
  score,
  passed: score >= 0.5,
  reason: "",
  ...extra,
});

/** n items; scorer values per item from f(i). */
function run(n: number, f: (i: number) => Record<string, number>, reps = 1): RunUnit[] {
  const units: RunUnit[] = [];
  for (let i = 0; i < n; i++)
    for (let r = 0; r < reps; r++)
      units.push({
        itemId: `item-${i}`,
        results: Object.entries(f(i)).map(([name, s]) => outcome(name, s)),
      });
  return units;
}

// A fixed, irregular sequence in [0, 1) so differences have spread without a random generator.
const wobble = (i: number) => (Math.sin(i * 12.9898) * 43758.5453) % 1;

describe("pairRuns", () => {
  const a = run(40, (i) => ({ correctness: 0.6 + 0.2 * Math.abs(wobble(i)), format: 0.9 }));
  const better = run(40, (i) => ({ correctness: 0.68 + 0.2 * Math.abs(wobble(i + 3)), format: 0.9 }));

  it("pairs items and matches the paired statistics of the per-item differences", () => {
    const p = pairRuns(a, better);
    expect(p.items).toBe(40);
    const c = p.scorers.find((s) => s.name === "correctness")!;
    const diffs = Array.from(
      { length: 40 },
      (_, i) => 0.68 + 0.2 * Math.abs(wobble(i + 3)) - (0.6 + 0.2 * Math.abs(wobble(i))),
    );
    const expected = pairedComparison(diffs);
    expect(c.meanDiff).toBeCloseTo(expected.meanDiff!, 12);
    expect(c.tPValue).toBeCloseTo(expected.tPValue!, 12);
    expect(c.type).toBe("llm_judge");
  });

  it("Holm-adjusts across scorers and names the direction", () => {
    const p = pairRuns(a, better);
    const c = p.scorers.find((s) => s.name === "correctness")!;
    expect(c.adjustedPValue).toBeGreaterThanOrEqual(c.tPValue!);
    expect(c.direction).toBe("better");
    const f = p.scorers.find((s) => s.name === "format")!;
    expect(f).toMatchObject({ meanDiff: 0, tPValue: 1, direction: "same", significant: false });
    expect(pairRuns(better, a).scorers.find((s) => s.name === "correctness")!.direction).toBe("worse");
  });

  it("averages repetitions per item: k repetitions never count as k items", () => {
    const p = pairRuns(
      run(10, () => ({ x: 0.5 }), 3),
      run(10, (i) => ({ x: 0.5 + wobble(i) / 10 }), 5),
    );
    expect(p.items).toBe(10);
    expect(p.scorers[0]!.n).toBe(10);
  });

  it("leaves out items a scorer errored on, and items only one run has", () => {
    const b = run(12, (i) => ({ x: 0.4 + wobble(i) / 5 }));
    b[0] = { itemId: "item-0", results: [outcome("x", 0, { error: "judge timed out" })] };
    const p = pairRuns(
      run(10, () => ({ x: 0.5 })),
      b,
    );
    expect(p.items).toBe(10);
    expect(p.scorers[0]!.n).toBe(9);
  });

  it("limits the family to the named scorers both runs used", () => {
    const p = pairRuns(a, better, { scorers: ["correctness", "missing"] });
    expect(p.scorers.map((s) => s.name)).toEqual(["correctness"]);
    expect(p.scorers[0]!.adjustedPValue).toBeCloseTo(p.scorers[0]!.tPValue!, 12);
  });
});

describe("pairedVerdict", () => {
  const a = run(40, (i) => ({ correctness: 0.6 + 0.2 * Math.abs(wobble(i)), format: 0.7 + wobble(i) / 10 }));
  it("says which is better, by how much, with the interval, and that nothing got worse", () => {
    // Ten items whose correctness rose by d (real spread), format unchanged: mean d = 0.1, sd = √(0.03/9),
    // se = 0.018257, t₀.₉₇₅,₉ = 2.262157 (a t table), so the interval is 0.1 ± 0.041301 = [5.9, 14.1]
    // points; t = 5.48, p = 0.0004, Holm with format's p = 1 gives 0.0008.
    const d = [0.05, 0.15, 0.1, 0.2, 0, 0.1, 0.15, 0.05, 0.1, 0.1];
    const base = (i: number) => ({ correctness: 0.5 + i / 50, format: 0.7 + wobble(i) / 10 });
    const a10 = run(10, base);
    const b10 = run(10, (i) => ({ ...base(i), correctness: base(i).correctness + d[i]! }));
    const p = pairRuns(a10, b10);
    expect(p.scorers.find((s) => s.name === "correctness")).toMatchObject({ decidedBy: "t", direction: "better" });
    expect(pairedVerdict(p, { a: "v6", b: "v7" })).toBe(
      "v7 is better than v6 on correctness by 10.0 points [5.9, 14.1], no scorer significantly worse (10 items, paired t, Holm-adjusted).",
    );
  });
  it("names a loss with the interval of the loss", () => {
    const b = run(40, (i) => ({ correctness: 0.5 + 0.2 * Math.abs(wobble(i + 1)), format: 0.7 + wobble(i) / 10 }));
    const p = pairRuns(a, b);
    const c = p.scorers.find((s) => s.name === "correctness")!;
    const v = pairedVerdict(p, { a: "v6", b: "v7" });
    expect(v).toContain(`v7 is worse than v6 on correctness by ${(-c.meanDiff! * 100).toFixed(1)} points`);
    expect(v).toContain(`[${(-c.ci![1] * 100).toFixed(1)}, ${(-c.ci![0] * 100).toFixed(1)}]`);
  });
  it("says when nothing differs, and when there is nothing to compare", () => {
    expect(pairedVerdict(pairRuns(a, a), { a: "v6", b: "v7" })).toMatch(/^No scorer differs significantly/);
    expect(
      pairedVerdict(
        pairRuns(
          a,
          run(3, () => ({ x: 1 })).map((u) => ({ ...u, itemId: `other-${u.itemId}` })),
        ),
        { a: "v6", b: "v7" },
      ),
    ).toBe("v7 and v6 have no items in common to compare.");
  });
});

describe("runStatistics", () => {
  it("uses items as the unit, with pass@k and pass^k over k repetitions", () => {
    // item-0 passes 3/3, item-1 passes 1/3, item-2 passes 0/3
    const passes = [3, 1, 0];
    const units: RunUnit[] = passes.flatMap((c, i) =>
      [0, 1, 2].map((r) => ({ itemId: `item-${i}`, results: [outcome("x", r < c ? 1 : 0)] })),
    );
    const s = runStatistics(units);
    expect(s).toMatchObject({ unit: "item", items: 3, repetitions: 3, unstable: 1, method: "t" });
    expect(s.score).toBeCloseTo((1 + 1 / 3 + 0) / 3, 12);
    expect(s.passAtK).toBeCloseTo((1 + 1 + 0) / 3, 12);
    expect(s.passHatK).toBeCloseTo((1 + 0 + 0) / 3, 12);
    expect(s.ci![0]).toBeLessThan(s.score!);
    expect(s.ci![1]).toBeGreaterThan(s.score!);
    // Per item across its repetitions: item-1 scored 1, 0, 0 (sample sd √(1/3), numpy.std(ddof=1)).
    expect(itemSpreads(units)[1]).toEqual({
      itemId: "item-1",
      n: 3,
      mean: expect.closeTo(1 / 3, 12),
      sd: expect.closeTo(Math.sqrt(1 / 3), 12),
      min: 0,
      max: 1,
      passed: 1,
    });
    expect(s.meanItemSd).toBeCloseTo(Math.sqrt(1 / 3) / 3, 12);
  });
  it("a run of one repetition has pass@1 = pass^1 = the pass rate", () => {
    const s = runStatistics(run(4, (i) => ({ x: i < 3 ? 1 : 0 })));
    expect(s).toMatchObject({ repetitions: 1, passAtK: 0.75, passHatK: 0.75, unstable: 0 });
  });
});

describe("when every item moved by the same amount", () => {
  it("lets the Wilcoxon test decide: a pass/fail scorer failing on every item is a loss, not 'no difference'", () => {
    const p = pairRuns(
      run(7, () => ({ exact: 1 })),
      run(7, () => ({ exact: 0 })),
    );
    const s = p.scorers[0]!;
    expect(s).toMatchObject({ meanDiff: -1, tPValue: null, decidedBy: "wilcoxon", direction: "worse" });
    // Normal approximation with tie and continuity corrections: z = (0 − 14 + 0.5)/√28; SciPy:
    expect(s.wilcoxonPValue).toBeCloseTo(0.010733416102997193, 10); // scipy wilcoxon([-1]*7, method="approx")
    expect(pairedVerdict(p, { a: "v1", b: "v2" })).toBe(
      "v2 is worse than v1 on exact_match by 100.0 points [100.0, 100.0] (7 items, paired t; Wilcoxon where every item moved alike, Holm-adjusted).".replace(
        "exact_match",
        "exact",
      ),
    );
  });
  it("treats items that all moved by 0.1 alike, whatever rounding left in b − a", () => {
    // (x + 0.1) − x is 0.1 give or take 1e-17 (here 0.09999999999999998 twice and 0.10000000000000003):
    // without a rule for that noise, t would be ~1e16 and the paired t test would call three items significant.
    const base = (i: number) => [0.61, 0.7, 0.33][i]!;
    const p = pairRuns(
      run(3, (i) => ({ x: base(i) })),
      run(3, (i) => ({ x: base(i) + 0.1 })),
    );
    const s = p.scorers[0]!;
    expect(s).toMatchObject({ tPValue: null, decidedBy: "wilcoxon", direction: "same", significant: false });
    expect(s.ci![0]).toBe(s.ci![1]);
    // Three tied ranks: p = 0.1489 (lib/stats/paired.test.ts), not significant on three items.
    expect(s.wilcoxonPValue).toBeCloseTo(0.14891467317876572, 12);
    expect(pairedVerdict(p, { a: "v1", b: "v2" })).toBe(
      "No scorer differs significantly between v2 and v1 over 3 items; the largest difference is x +10.0 points [10.0, 10.0].",
    );
  });
});

describe("intervals stay on the scale", () => {
  it("clips a few items' t intervals to 0–1 for a score and to ±1 for a difference", () => {
    const a = run(3, (i) => ({ x: [0, 1, 1][i]! }));
    const b = run(3, (i) => ({ x: [1, 1, 0][i]! }));
    expect(runStatistics(a).ci).toEqual([0, 1]);
    const p = pairRuns(a, b).scorers[0]!;
    expect(p.ci![0]).toBeGreaterThanOrEqual(-1);
    expect(p.ci![1]).toBeLessThanOrEqual(1);
  });
});
