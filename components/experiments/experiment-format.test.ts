import { describe, expect, it } from "vitest";
import { zeroTicks } from "@/components/charts/chart-utils";
import {
  callAge,
  chance,
  controlNote,
  liftWithInterval,
  metricLabel,
  metricValue,
  pCell,
  plusMinus,
  progressShare,
  signedPercent,
} from "./experiment-format";

describe("experiment number formats", () => {
  it.each([
    [0.123, "+12.3%"],
    [-0.05, "−5.0%"],
    [0, "0.0%"],
    [-0.00004, "0.0%"],
    [1.5, "+150.0%"],
  ])("signedPercent(%s) = %s", (x, s) => expect(signedPercent(x)).toBe(s));

  it.each([
    ["thumbs", "binary", 0.6123, "61.2%"],
    ["latency_ms", "continuous", 1234.4, "1,234 ms"],
    ["latency_ms", "continuous", 12_345, "12.3 s"],
    ["cost_usd", "continuous", 0.0042, "$0.0042"],
    ["cost_usd", "continuous", 0.0002, "$0.0002"],
    ["cost_usd", "continuous", 0.00000123, "$0.0000012"],
    ["cost_usd", "continuous", 0, "$0"],
    ["cost_usd", "continuous", 0.123, "$0.123"],
    ["cost_usd", "continuous", 12.5, "$12.50"],
    ["output_tokens", "continuous", 181.6, "182"],
    ["rating", "continuous", 4.256, "4.26 / 5"],
    ["custom", "continuous", 3.14159, "3.14"],
    ["custom", "continuous", null, "—"],
  ] as const)("metricValue(%s, %s, %s) = %s", (name, kind, x, s) => expect(metricValue(name, kind, x)).toBe(s));

  it("lifts with intervals, compact ± and chance to win", () => {
    expect(liftWithInterval(0.123, [0.041, 0.205])).toBe("+12.3% (+4.1% to +20.5%)");
    expect(liftWithInterval(null, null)).toBe("—");
    expect(plusMinus([0.04, 0.2])).toBe("+12.0% ± 8.0%");
    expect([chance(0.9999), chance(0.97), chance(0.995), chance(0.0001), chance(null)]).toEqual([
      "> 99.9%",
      "97%",
      "99.5%",
      "< 0.1%",
      "—",
    ]);
  });

  it("labels and progress", () => {
    expect(metricLabel("thumbs")).toBe("Thumbs-up rate");
    expect(metricLabel("nps")).toBe("nps");
    expect(progressShare(312, 1240)).toBeCloseTo(312 / 1240);
    expect(progressShare(2000, 1240)).toBe(1);
    expect(progressShare(10, null)).toBe(1);
  });
});

describe("pCell", () => {
  it.each([
    [0.01234, "0.012"],
    [0.0004, "< 0.001"],
    [0.5, "0.5"],
    [null, "—"],
  ])("pCell(%s) = %s", (p, s) => expect(pCell(p)).toBe(s));
});

describe("zeroTicks", () => {
  it.each([
    [[-47, 63], [-50, 75], 25],
    [[10, 160, 280], [0, 300], 50],
    [[-12, -3], [-12, 0], 2],
    [[0.4, 2.1], [0, 2.5], 0.5],
  ])("%o → domain %o with step %s, 0 among the ticks", (values, domain, step) => {
    const y = zeroTicks(values);
    expect(y.domain).toEqual(domain);
    expect(y.ticks).toContain(0);
    expect(y.ticks[1]! - y.ticks[0]!).toBeCloseTo(step);
    expect(y.ticks.length).toBeLessThanOrEqual(7);
  });
});

describe("controlNote", () => {
  it.each([
    ["control", 0, null],
    ["Control", 0, null],
    ["a", 0, "control"],
    ["baseline", 0, "control"],
    ["control", 1, null],
    ["b", 1, null],
  ] as const)("%s at %i → %s", (key, i, note) => expect(controlNote(key, i)).toBe(note));
});

describe("callAge: how old a list's stored call is", () => {
  it.each([
    [0, "just now"],
    [59, "just now"],
    [60, "1 min ago"],
    [3 * 60 + 20, "3 min ago"],
    [3599, "59 min ago"],
    [2 * 3600, "2 h ago"],
    [86_400, "1 day ago"],
    [4 * 86_400 + 5, "4 days ago"],
  ])("callAge(%s) = %s", (s, text) => expect(callAge(s)).toBe(text));
});
