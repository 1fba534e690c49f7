import { describe, expect, it } from "vitest";
import { etaToPlan } from "./eta";

const at = (iso: string) => new Date(iso);
const b = (variant: string, hour: string, subjects: number) => ({ variant, bucket: at(hour), subjects });

describe("etaToPlan", () => {
  const now = at("2026-11-23T10:30:00Z");
  it.each([
    [
      "the current half hour and half of the hour before",
      [
        b("A", "2026-11-23T10:00:00Z", 100),
        b("B", "2026-11-23T10:00:00Z", 90),
        b("A", "2026-11-23T09:00:00Z", 200),
        b("B", "2026-11-23T09:00:00Z", 220),
      ],
      900,
      { perHour: 200, hoursLeft: 900 / 200 },
    ],
    [
      "nothing arrives: no estimate",
      [b("A", "2026-11-23T07:00:00Z", 50), b("B", "2026-11-23T07:00:00Z", 50)],
      100,
      { perHour: 0, hoursLeft: null },
    ],
    [
      "the plan is reached",
      [b("A", "2026-11-23T10:00:00Z", 10), b("B", "2026-11-23T10:00:00Z", 10)],
      0,
      { perHour: 10, hoursLeft: 0 },
    ],
    [
      "no plan",
      [b("A", "2026-11-23T10:00:00Z", 10), b("B", "2026-11-23T10:00:00Z", 10)],
      null,
      { perHour: 10, hoursLeft: null },
    ],
  ])("%s", (_name, buckets, needed, expected) => {
    const r = etaToPlan(buckets, ["A", "B"], needed, now, null);
    expect(r.perHour).toBeCloseTo(expected.perHour, 6);
    if (expected.hoursLeft === null) expect(r.hoursLeft).toBeNull();
    else expect(r.hoursLeft).toBeCloseTo(expected.hoursLeft, 6);
  });

  it("an experiment started 20 minutes ago counts its 20 minutes as the pace, not a whole hour", () => {
    const r = etaToPlan(
      [b("A", "2026-11-23T10:00:00Z", 40), b("B", "2026-11-23T10:00:00Z", 40)],
      ["A", "B"],
      120,
      now,
      at("2026-11-23T10:10:00Z"),
    );
    expect(r.perHour).toBeCloseTo(120, 6);
    expect(r.hoursLeft).toBeCloseTo(1, 6);
  });
});
