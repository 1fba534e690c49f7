import { describe, expect, it } from "vitest";
import { compareArms } from "./compare";
import { relativeLift } from "./lift";
import { generators } from "./random";
import { simulateCoverage } from "./simulate-coverage";

describe("every interval shown covers what it claims (2,000 seeded simulations per kind)", () => {
  const rows = simulateCoverage({ seed: "coverage", simulations: 2000 });

  it.each(rows.filter((r) => r.kind !== "sequential").map((r) => [r.kind, r] as const))(
    "%s: covers the true value at 95% ± 1.5 points, never outside the metric's range",
    (_kind, r) => {
      expect(r.noInterval).toBe(0);
      expect(Math.abs(r.coverage - r.nominal)).toBeLessThanOrEqual(0.015);
      expect(r.outOfRange).toBe(0);
    },
  );

  it("sequential: covers the true value at every look at once at least 95% − 1.5 points", () => {
    // A confidence sequence is valid at all looks simultaneously, so at any one look it is wider than a
    // fixed interval: its coverage is above the nominal rate by design, never below it.
    const r = rows.find((x) => x.kind === "sequential")!;
    expect(r.coverage).toBeGreaterThanOrEqual(r.nominal - 0.015);
    expect(r.worstLook!).toBeGreaterThanOrEqual(r.coverage);
    expect(r.outOfRange).toBe(0);
  });

  it("with few subjects, the lift's interval stays above −100% where the linear one did not", () => {
    // 50 subjects per arm, 10% → 5%: the symmetric delta-method interval reaches below −100% often.
    const g = generators("coverage:small");
    let linearBelow = 0;
    let shown = 0;
    for (let r = 0; r < 2000; r++) {
      const arm = (p: number) => {
        let x = 0;
        for (let i = 0; i < 50; i++) if (g.uniform() < p) x++;
        return { n: 50, sum: x, sumSq: x };
      };
      const [c, t] = [arm(0.1), arm(0.05)];
      for (const method of ["fixed", "sequential"] as const) {
        const cmp = compareArms(c, t, { kind: "binary", method });
        if (!cmp.ci) continue;
        shown++;
        expect(cmp.ci[0]).toBeGreaterThan(-1);
        const v = (m: number) => m * (1 - m);
        const l = relativeLift(
          { mean: c.sum / 50, variance: v(c.sum / 50), n: 50 },
          { mean: t.sum / 50, variance: v(t.sum / 50), n: 50 },
        )!;
        if (l.estimate - 1.96 * Math.sqrt(l.variance) < -1) linearBelow++;
      }
    }
    expect(shown).toBeGreaterThan(2000);
    expect(linearBelow).toBeGreaterThan(100);
  });

  it("is deterministic for a seed", () => {
    expect(simulateCoverage({ seed: "s", simulations: 50 })).toEqual(simulateCoverage({ seed: "s", simulations: 50 }));
  });
});
