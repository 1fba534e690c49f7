// Regression detection, pure: the live version's last window against the last known-good version's
// last window, metric by metric — Welch's t for scores and ratings, the two-proportion test for
// binary signals — at the rule's α with Holm over the metrics, only when both sides have at least
// minSamples. A regression needs significance AND a drop of at least the threshold (absolute, on the
// 0–1 scale every metric is put on: scores already are, ratings 1–5 become (r − 1)/4).
import { holm } from "../../stats/multiple-testing";
import { twoProportionTest, welchTTest } from "../../stats/fixed-horizon";
import { fromValues, type MetricKind } from "../../stats/summary";

export type MetricWindow = { name: string; kind: MetricKind; live: number[]; baseline: number[] };

export type MetricVerdict = {
  name: string;
  kind: MetricKind;
  live: { n: number; mean: number | null };
  baseline: { n: number; mean: number | null };
  /** baseline mean − live mean (positive: the live version is worse). */
  drop: number | null;
  pValue: number | null;
  /** Holm-adjusted over the metrics that could be tested. */
  adjustedPValue: number | null;
  /** Why the metric was not tested, when it was not. */
  note: string | null;
  level: "none" | "alert" | "rollback";
};

export type Thresholds = { alpha: number; minSamples: number; alertDrop: number | null; rollbackDrop: number | null };

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

export function detectRegressions(
  metrics: readonly MetricWindow[],
  t: Thresholds,
): { verdicts: MetricVerdict[]; level: "none" | "alert" | "rollback" } {
  const raw = metrics.map((m) => {
    const live = { n: m.live.length, mean: mean(m.live) };
    const baseline = { n: m.baseline.length, mean: mean(m.baseline) };
    const drop = live.mean !== null && baseline.mean !== null ? baseline.mean - live.mean : null;
    if (live.n < t.minSamples || baseline.n < t.minSamples)
      return {
        m,
        live,
        baseline,
        drop,
        pValue: null,
        note: `not enough samples yet (${live.n} live, ${baseline.n} before; ${t.minSamples} needed on each side)`,
      };
    const test =
      m.kind === "binary"
        ? twoProportionTest(fromValues(m.baseline), fromValues(m.live), t.alpha)
        : welchTTest(fromValues(m.baseline), fromValues(m.live), t.alpha);
    if (test) return { m, live, baseline, drop, pValue: test.pValue, note: null };
    // Both sides constant (every sample scored the same): different constants are as clear as it gets.
    const constant = (xs: number[]) => xs.every((x) => x === xs[0]);
    if (constant(m.live) && constant(m.baseline))
      return { m, live, baseline, drop, pValue: drop === 0 ? 1 : 0, note: null };
    return { m, live, baseline, drop, pValue: null, note: "no variation to test" };
  });
  const adjusted = holm(raw.map((r) => r.pValue));
  const verdicts: MetricVerdict[] = raw.map((r, i) => {
    const p = adjusted[i] ?? null;
    const significant = p !== null && p < t.alpha;
    const level =
      !significant || r.drop === null
        ? "none"
        : t.rollbackDrop !== null && r.drop >= t.rollbackDrop
          ? "rollback"
          : t.alertDrop !== null && r.drop >= t.alertDrop
            ? "alert"
            : "none";
    return {
      name: r.m.name,
      kind: r.m.kind,
      live: r.live,
      baseline: r.baseline,
      drop: r.drop,
      pValue: r.pValue,
      adjustedPValue: p,
      note: r.note,
      level,
    };
  });
  const level = verdicts.some((v) => v.level === "rollback")
    ? "rollback"
    : verdicts.some((v) => v.level === "alert")
      ? "alert"
      : "none";
  return { verdicts, level };
}

/** A plain-words line for a verdict, used in alerts and in the rollback's reason. */
export function describeVerdict(v: MetricVerdict): string {
  const pct = (x: number | null) => (x === null ? "–" : `${(x * 100).toFixed(1)}%`);
  if (v.note) return `${v.name}: ${v.note}`;
  return `${v.name} ${pct(v.baseline.mean)} → ${pct(v.live.mean)} (drop ${pct(v.drop)}, n ${v.baseline.n} → ${v.live.n}, adjusted p ${v.adjustedPValue === null ? "–" : v.adjustedPValue < 0.0001 ? "< 0.0001" : `= ${v.adjustedPValue.toFixed(4)}`})`;
}
