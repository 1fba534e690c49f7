// "Lift over time" bins to the span of the data, labels fixed points in time, and plots the estimate the
// verdict states (CUPED-adjusted where CUPED applies), with the unadjusted one beside it.
import { describe, expect, it } from "vitest";
import { compareArms } from "../../stats/compare";
import { cupedFromMoments, cupedMoments } from "../../stats/cuped";
import { binEnd, binWidth, binWords, DAY, HOUR, MINUTE } from "./bins";
import { liftTimeline, subjectRow } from "./lift-timeline";

const t0 = Date.parse("2026-11-28T14:03:20Z");

describe("bins", () => {
  it("fit the span: minutes for minutes, hours for days, days for weeks", () => {
    expect(binWidth(t0, t0 + 4 * MINUTE)).toBe(MINUTE);
    expect(binWidth(t0, t0 + 90 * MINUTE)).toBe(2 * MINUTE);
    expect(binWidth(t0, t0 + 3 * HOUR)).toBe(5 * MINUTE);
    expect(binWidth(t0, t0 + 2 * DAY)).toBe(HOUR);
    expect(binWidth(t0, t0 + 3 * DAY)).toBe(2 * HOUR);
    expect(binWidth(t0, t0 + 20 * DAY)).toBe(12 * HOUR);
    expect(binWidth(t0, t0 + 60 * DAY)).toBe(2 * DAY);
    // Hourly aggregates cannot be cut finer than an hour.
    expect(binWidth(t0, t0 + 4 * MINUTE, HOUR)).toBe(HOUR);
    expect(binWidth(t0, t0)).toBe(MINUTE);
  });

  it("end at fixed, clock-aligned points in time, whatever the time now", () => {
    expect(new Date(binEnd(t0, MINUTE)).toISOString()).toBe("2026-11-28T14:04:00.000Z");
    expect(new Date(binEnd(t0, 5 * MINUTE)).toISOString()).toBe("2026-11-28T14:05:00.000Z");
    expect(new Date(binEnd(t0, HOUR)).toISOString()).toBe("2026-11-28T15:00:00.000Z");
    expect(new Date(binEnd(t0, DAY)).toISOString()).toBe("2026-11-29T00:00:00.000Z");
    expect([MINUTE, 5 * MINUTE, HOUR, 6 * HOUR, DAY].map(binWords)).toEqual([
      "minute by minute",
      "every 5 minutes",
      "hour by hour",
      "every 6 hours",
      "day by day",
    ]);
  });
});

describe("liftTimeline", () => {
  // Two arms of 40 subjects arriving over 6 minutes; y is a 0/1 outcome, x a pre-exposure rate that predicts it.
  const subjects = Array.from({ length: 80 }, (_, i) => {
    const variant = i % 2 ? "b" : "control";
    const x = (i % 5) / 4;
    const y = (i % 5 >= (variant === "b" ? 2 : 3) ? 1 : 0) as number;
    return { at: t0 + Math.floor(i / 14) * MINUTE, variant, y, x: i % 7 === 0 ? null : x };
  });
  const rows = subjects.map((s) => subjectRow(s.at, s.variant, s.y, s.x));
  const compare = { kind: "binary" as const, method: "sequential" as const, alpha: 0.05, plannedTotal: 1000 };
  const timeline = liftTimeline({
    rows,
    exposures: subjects.map((s) => ({ at: s.at, variant: s.variant, subjects: 1 })),
    variants: ["control", "b"],
    compare,
    minWidth: MINUTE,
  });

  it("has one point per minute with data, each at its minute's end", () => {
    expect(timeline.width).toBe(MINUTE);
    expect(timeline.points.map((p) => p.at)).toEqual(
      [1, 2, 3, 4, 5, 6].map((m) => new Date(binEnd(t0, MINUTE) + (m - 1) * MINUTE).toISOString()),
    );
    expect(timeline.points.at(-1)!.subjects).toEqual({ control: 40, b: 40 });
  });

  it("ends on the verdict's numbers: the CUPED-adjusted lift, with the unadjusted one beside it", () => {
    const arm = (v: string) => subjects.filter((s) => s.variant === v);
    const adjusted = cupedFromMoments(
      ["control", "b"].map((v) => cupedMoments(arm(v).map((s) => ({ y: s.y, x: s.x })))),
      { method: "sequential", alpha: 0.05, plannedTotal: 1000 },
    );
    expect(adjusted.ok).toBe(true);
    const stats = (v: string) => ({
      n: arm(v).length,
      sum: arm(v).reduce((a, s) => a + s.y, 0),
      sumSq: arm(v).reduce((a, s) => a + s.y * s.y, 0),
    });
    const raw = compareArms(stats("control"), stats("b"), compare);
    const last = timeline.points.at(-1)!.lift.b!;
    expect(last.adjusted).toBe(true);
    expect(last.lift).toBeCloseTo(adjusted.ok ? adjusted.comparisons[0]!.lift! : NaN, 12);
    expect(last.ci![0]).toBeCloseTo(adjusted.ok ? adjusted.comparisons[0]!.ci![0] : NaN, 12);
    expect(last.raw.lift).toBeCloseTo(raw.lift!, 12);
    expect(last.lift).not.toBeCloseTo(last.raw.lift!, 6);
  });

  it("falls back to the unadjusted estimate, and says so, where CUPED cannot apply yet", () => {
    const noHistory = liftTimeline({
      rows: subjects.map((s) => subjectRow(s.at, s.variant, s.y, null)),
      exposures: [],
      variants: ["control", "b"],
      compare,
      minWidth: MINUTE,
    });
    const last = noHistory.points.at(-1)!.lift.b!;
    expect(last.adjusted).toBe(false);
    expect(last.lift).toBe(last.raw.lift);
  });

  it("bins hourly aggregates by the hour at least, and is empty without data", () => {
    const hourly = liftTimeline({ rows, exposures: [], variants: ["control", "b"], compare, minWidth: HOUR });
    expect(hourly.points.map((p) => p.at)).toEqual(["2026-11-28T15:00:00.000Z"]);
    expect(liftTimeline({ rows: [], exposures: [], variants: ["control", "b"], compare, minWidth: MINUTE })).toEqual({
      width: MINUTE,
      points: [],
    });
  });
});
