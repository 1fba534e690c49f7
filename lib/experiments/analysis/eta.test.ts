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

  it("projects nothing from a burst: many subjects within a minute and none since (a seed, an import)", () => {
    const timed = (variant: string, subjects: number, first: string, last: string) => ({
      ...b(variant, "2026-11-23T10:00:00Z", subjects),
      firstAt: at(first),
      lastAt: at(last),
    });
    // The demo's 600 first users, recorded in four seconds when the experiment started at 10:00.
    const seeded = [
      timed("A", 300, "2026-11-23T10:00:00Z", "2026-11-23T10:00:04Z"),
      timed("B", 300, "2026-11-23T10:00:01Z", "2026-11-23T10:00:04Z"),
    ];
    const r = etaToPlan(seeded, ["A", "B"], 900, at("2026-11-23T10:12:00Z"), at("2026-11-23T10:00:00Z"));
    expect(r).toMatchObject({ perHour: 0, hoursLeft: null, burst: { subjects: 600, at: "2026-11-23T10:00:00.000Z" } });
    // Still arriving (the minute is not over), or too few to be more than a quiet start: a pace.
    expect(etaToPlan(seeded, ["A", "B"], 900, at("2026-11-23T10:00:30Z"), at("2026-11-23T10:00:00Z")).burst).toBeNull();
    const few = [timed("A", 10, "2026-11-23T10:00:00Z", "2026-11-23T10:00:04Z")];
    expect(etaToPlan(few, ["A"], 900, at("2026-11-23T10:12:00Z"), at("2026-11-23T10:00:00Z")).burst).toBeNull();
    // Traffic that went on after the burst is a pace again.
    const after = [...seeded, timed("A", 30, "2026-11-23T10:03:00Z", "2026-11-23T10:11:00Z")];
    expect(etaToPlan(after, ["A", "B"], 900, at("2026-11-23T10:12:00Z"), at("2026-11-23T10:00:00Z")).burst).toBeNull();
  });

  it("counts the subjects that arrived in the last hour, not the hour's count spread over it", () => {
    const timed = (variant: string, hour: string, subjects: number, first: string, last: string) => ({
      ...b(variant, hour, subjects),
      firstAt: at(first),
      lastAt: at(last),
    });
    // Traffic ran 10:00–10:05 and stopped: at 11:06 the last hour (10:06–11:06) saw none of it…
    const stopped = [
      timed("A", "2026-11-23T10:00:00Z", 5649, "2026-11-23T10:00:00Z", "2026-11-23T10:05:00Z"),
      timed("B", "2026-11-23T10:00:00Z", 5649, "2026-11-23T10:00:10Z", "2026-11-23T10:05:00Z"),
    ];
    const late = etaToPlan(stopped, ["A", "B"], 900, at("2026-11-23T11:06:00Z"), null);
    expect(late).toEqual({ perHour: 0, hoursLeft: null, lastExposureAt: "2026-11-23T10:05:00.000Z", burst: null });
    // …and already at 10:55, the old reading spread 5,649 over the whole hour and promised the plan in minutes.
    const untimed = stopped.map(({ variant, bucket, subjects }) => ({ variant, bucket, subjects }));
    expect(etaToPlan(untimed, ["A", "B"], 900, at("2026-11-23T10:55:00Z"), null).perHour).toBeGreaterThan(5000);
    // Arrivals spread over their span: 09:00–10:00 half inside the window, 10:00–10:20 all of it.
    const spread = etaToPlan(
      [
        timed("A", "2026-11-23T09:00:00Z", 120, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z"),
        timed("A", "2026-11-23T10:00:00Z", 100, "2026-11-23T10:00:00Z", "2026-11-23T10:20:00Z"),
      ],
      ["A"],
      320,
      now,
      null,
    );
    expect(spread.perHour).toBeCloseTo(160, 6);
    expect(spread.hoursLeft).toBeCloseTo(2, 6);
    expect(spread.lastExposureAt).toBe("2026-11-23T10:20:00.000Z");
  });
});
