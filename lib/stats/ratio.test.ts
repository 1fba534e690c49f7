import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generators } from "./random";
import { compareRatios, ratioOf, type RatioSubject } from "./ratio";

type Arm = { n: number; ratio: number; variance: number; bootstrapSe: number };
// Reference values from NumPy/SciPy (testdata/ratio-reference.py writes the JSON): gᵀΣg/n and a bootstrap.
const reference = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "testdata/ratio-reference.json"), "utf8"),
) as Record<
  string,
  {
    control: [number, number][];
    treatment: [number, number][];
    armControl: Arm;
    armTreatment: Arm;
    compare: {
      difference: number;
      differenceCi: [number, number];
      z: number;
      pValue: number;
      lift: number;
      liftCi: [number, number];
    };
  }
>;
const subjects = (rows: [number, number][]): RatioSubject[] => rows.map(([x, y]) => ({ x, y }));

describe("ratio metrics against NumPy (delta method as gᵀΣg/n) and a bootstrap", () => {
  for (const [name, ref] of Object.entries(reference)) {
    it(name, () => {
      const c = ratioOf(subjects(ref.control));
      const t = ratioOf(subjects(ref.treatment));
      for (const [got, want] of [
        [c, ref.armControl],
        [t, ref.armTreatment],
      ] as const) {
        expect(got.n).toBe(want.n);
        expect(got.ratio).toBeCloseTo(want.ratio, 12);
        expect(got.variance! / want.variance).toBeCloseTo(1, 10);
        // The delta method's standard error is within 5% of the bootstrap's at these sizes.
        expect(Math.abs(Math.sqrt(got.variance!) / want.bootstrapSe - 1)).toBeLessThan(0.05);
      }
      const r = compareRatios(c, t, { method: "fixed" });
      const want = ref.compare;
      expect(r.difference! / want.difference).toBeCloseTo(1, 10);
      expect(r.differenceCi![0] / want.differenceCi[0]).toBeCloseTo(1, 8);
      expect(r.differenceCi![1] / want.differenceCi[1]).toBeCloseTo(1, 8);
      expect(r.statistic).toBeCloseTo(want.z, 8);
      expect(r.pValue! / want.pValue).toBeCloseTo(1, 6);
      expect(r.lift).toBeCloseTo(want.lift, 10);
      expect(r.ci![0]).toBeCloseTo(want.liftCi[0], 8);
      expect(r.ci![1]).toBeCloseTo(want.liftCi[1], 8);
      expect(r.significant).toBe(want.pValue < 0.05);
      expect(r.note).toBeNull();
    });
  }
});

describe("ratio edge cases say why instead of returning NaN", () => {
  it("a zero denominator, one subject, and no variation", () => {
    const none = ratioOf([
      { x: 3, y: 0 },
      { x: 1, y: 0 },
    ]);
    expect(none).toMatchObject({ ratio: null, variance: null, numerator: 4, denominator: 0 });
    const some = ratioOf([
      { x: 2, y: 1 },
      { x: 6, y: 2 },
    ]);
    expect(compareRatios(none, some, { method: "fixed" }).note).toMatch(/denominator is 0/);
    expect(ratioOf([{ x: 2, y: 1 }]).variance).toBeNull();
    expect(compareRatios(ratioOf([{ x: 2, y: 1 }]), some, { method: "fixed" }).note).toMatch(/at least 2/);
    // x exactly proportional to y in both arms: no variance at all.
    const flat = ratioOf([
      { x: 2, y: 1 },
      { x: 4, y: 2 },
    ]);
    expect(flat.variance).toBe(0);
    expect(compareRatios(flat, flat, { method: "fixed" }).note).toMatch(/no variation/);
    expect(() => ratioOf([{ x: Number.NaN, y: 1 }])).toThrow(RangeError);
  });

  it("subjects with neither numerator nor denominator change nothing (the variance is invariant to them)", () => {
    const base = subjects(reference["tokens-per-thumbs-up"]!.control);
    const a = ratioOf(base);
    const b = ratioOf([...base, ...Array.from({ length: 500 }, () => ({ x: 0, y: 0 }))]);
    expect(b.ratio).toBe(a.ratio);
    // Exactly invariant with a 1/n covariance; with n − 1 it moves by the factor (n_a − 1)/n_a · n_b/(n_b − 1).
    const factor = ((a.n - 1) / a.n) * (b.n / (b.n - 1));
    expect(b.variance! / a.variance!).toBeCloseTo(factor, 10);
  });

  it("sequential mode decides on the same confidence sequence as every other metric", () => {
    const ref = reference["tokens-per-thumbs-up"]!;
    const c = ratioOf(subjects(ref.control));
    const t = ratioOf(subjects(ref.treatment));
    const seq = compareRatios(c, t, { method: "sequential" });
    const fixed = compareRatios(c, t, { method: "fixed" });
    expect(seq.difference).toBe(fixed.difference);
    // An always-valid interval is wider than the fixed-horizon one, and its p-value larger.
    expect(seq.differenceCi![1] - seq.differenceCi![0]).toBeGreaterThan(
      fixed.differenceCi![1] - fixed.differenceCi![0],
    );
    expect(seq.pValue!).toBeGreaterThan(fixed.pValue!);
    expect(seq.statistic).toBeNull();
  });
});

describe("seeded A/A simulation of a ratio metric with correlated per-subject sums", () => {
  it("keeps the false-positive rate near α and the interval's coverage near 95%", () => {
    const g = generators("ratio-aa");
    const arm = (n: number) =>
      Array.from({ length: n }, () => {
        // Heavy users do more of both: x and y correlate strongly through usage.
        const usage = Math.exp(g.normal(0, 0.8));
        const y = Math.round(usage * 2 * g.uniform() + usage);
        return { x: y * 0.01 + usage * 0.02 * g.uniform(), y };
      });
    const runs = 1000;
    let positives = 0;
    for (let i = 0; i < runs; i++) {
      const r = compareRatios(ratioOf(arm(300)), ratioOf(arm(300)), { method: "fixed" });
      if (r.significant) positives++;
    }
    // Binomial(1000, 0.05): 95% of runs fall in [37, 64]; the seed makes this one run deterministic.
    expect(positives / runs).toBeGreaterThan(0.03);
    expect(positives / runs).toBeLessThan(0.07);
  });
});
