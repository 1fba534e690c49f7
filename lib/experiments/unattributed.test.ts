// What results say of the events counted apart (docs/decisions/unattributed-events.md): totals by reason and arms, and
// the line the page shows.
import { describe, expect, it } from "vitest";
import { unattributedSummary } from "./unattributed";

const row = (reason: string, variantKey: string, servedKey: string, events: number) => ({
  reason,
  variantKey,
  servedKey,
  events,
});

describe("unattributedSummary", () => {
  it("adds phases up and says it in one line, the control named", () => {
    const s = unattributedSummary(
      [row("after_stop", "B", "", 2), row("other_arm", "B", "A", 6), row("other_arm", "B", "A", 4)],
      ["A", "B"],
    );
    expect(s.events).toBe(12);
    expect(s.groups).toEqual([
      { reason: "other_arm", variant: "B", served: "A", events: 10 },
      { reason: "after_stop", variant: "B", served: null, events: 2 },
    ]);
    expect(s.line).toBe("12 events unattributed: 10 from subjects served A (the control), 2 after it stopped");
  });

  it("says nothing when every event counted", () => {
    expect(unattributedSummary([], ["A", "B"])).toEqual({ events: 0, groups: [], line: null });
  });

  it("joins the arms named into one phrase per reason", () => {
    const s = unattributedSummary(
      [row("never_exposed", "B", "", 1), row("never_exposed", "C", "", 1), row("before_start", "C", "", 1)],
      ["A", "B", "C"],
    );
    expect(s.line).toBe(
      "3 events unattributed: 2 from subjects the experiment never served (outside its coverage or share, or never assigned), 1 dated before their phase began",
    );
  });
});
