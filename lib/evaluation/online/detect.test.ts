import { describe, expect, it } from "vitest";
import { describeVerdict, detectRegressions, type MetricWindow } from "./detect";

/** n values with `ones` of them 1 (binary), spread evenly. */
const binary = (n: number, rate: number) => Array.from({ length: n }, (_, i) => (i < Math.round(n * rate) ? 1 : 0));
/** n scores around `m` (±0.1, deterministic). */
const scores = (n: number, m: number) =>
  Array.from({ length: n }, (_, i) => Math.min(1, Math.max(0, m + ((i % 5) - 2) * 0.05)));
const t = { alpha: 0.05, minSamples: 50, alertDrop: 0.05, rollbackDrop: 0.2 };

describe("detectRegressions", () => {
  it.each<[string, MetricWindow[], "none" | "alert" | "rollback"]>([
    [
      "a large significant drop in a binary signal rolls back",
      [{ name: "thumbs", kind: "binary", live: binary(200, 0.5), baseline: binary(200, 0.8) }],
      "rollback",
    ],
    [
      "a moderate significant drop alerts",
      [{ name: "thumbs", kind: "binary", live: binary(2000, 0.72), baseline: binary(2000, 0.8) }],
      "alert",
    ],
    [
      "a significant drop below the alert threshold does nothing",
      [{ name: "thumbs", kind: "binary", live: binary(20000, 0.78), baseline: binary(20000, 0.8) }],
      "none",
    ],
    [
      "a large drop on too few samples does nothing",
      [{ name: "thumbs", kind: "binary", live: binary(40, 0.2), baseline: binary(40, 0.9) }],
      "none",
    ],
    [
      "an improvement does nothing",
      [{ name: "thumbs", kind: "binary", live: binary(500, 0.9), baseline: binary(500, 0.6) }],
      "none",
    ],
    [
      "a continuous score drop rolls back (Welch)",
      [{ name: "judge", kind: "continuous", live: scores(100, 0.5), baseline: scores(100, 0.9) }],
      "rollback",
    ],
    [
      "constant sides that differ are a regression",
      [{ name: "json", kind: "continuous", live: Array(60).fill(0), baseline: Array(60).fill(1) }],
      "rollback",
    ],
    [
      "constant equal sides are not",
      [{ name: "json", kind: "continuous", live: Array(60).fill(1), baseline: Array(60).fill(1) }],
      "none",
    ],
  ])("%s", (_label, metrics, level) => {
    expect(detectRegressions(metrics, t).level).toBe(level);
  });

  it("adjusts p-values with Holm over the metrics", () => {
    const one = detectRegressions(
      [{ name: "a", kind: "binary", live: binary(300, 0.7), baseline: binary(300, 0.78) }],
      { ...t, rollbackDrop: null },
    );
    const many = detectRegressions(
      [
        { name: "a", kind: "binary", live: binary(300, 0.7), baseline: binary(300, 0.78) },
        { name: "b", kind: "binary", live: binary(300, 0.5), baseline: binary(300, 0.5) },
        { name: "c", kind: "binary", live: binary(300, 0.5), baseline: binary(300, 0.5) },
      ],
      { ...t, rollbackDrop: null },
    );
    expect(many.verdicts[0]!.adjustedPValue!).toBeGreaterThan(one.verdicts[0]!.adjustedPValue!);
    expect(many.verdicts[0]!.pValue).toBeCloseTo(one.verdicts[0]!.pValue!, 12);
  });

  it("says why a metric was not tested, and describes the numbers", () => {
    const r = detectRegressions(
      [{ name: "thumbs", kind: "binary", live: binary(10, 0.5), baseline: binary(200, 0.8) }],
      t,
    );
    expect(r.verdicts[0]!.note).toBe("not enough samples yet (10 live, 200 before; 50 needed on each side)");
    const v = detectRegressions(
      [{ name: "thumbs", kind: "binary", live: binary(200, 0.5), baseline: binary(200, 0.8) }],
      t,
    ).verdicts[0]!;
    expect(describeVerdict(v)).toBe("thumbs 80.0% → 50.0% (drop 30.0%, n 200 → 200, adjusted p < 0.0001)");
  });
});
