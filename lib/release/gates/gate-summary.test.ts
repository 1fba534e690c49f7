import { describe, expect, it } from "vitest";
import type { GateVersion, GateVersionState } from "./gate-status";
import { gateSummary } from "./gate-summary";

const v = (state: GateVersionState, version = 1): GateVersion => ({
  prompt: "faq",
  version,
  why: [],
  state,
  detail: "",
  run: null,
  score: null,
});
const gate = (...versions: GateVersion[]) => ({
  environment: "production",
  requiresLiveIn: "staging",
  versions,
  needRun: versions.filter((x) => x.state === "stale" || x.state === "missing").length,
});

describe("gateSummary", () => {
  it.each([
    [gate(), "No version is live in production or staging or waiting for a review for it."],
    [gate(v("passes"), v("fails", 2)), "Every version that matters has a run that counts."],
    [gate(v("stale"), v("stale", 2)), "2 versions need a new run before production takes them."],
    [gate(v("missing")), "One version needs a run before production takes it."],
    [gate(v("running")), "One run is under way; it counts once done."],
    [gate(v("running"), v("running", 2)), "2 runs are under way; they count once done."],
    [
      gate(v("stale"), v("running", 2)),
      "One version needs a new run before production takes it. One run is under way; it counts once done.",
    ],
  ])("%#: %s", (g, expected) => {
    expect(gateSummary(g)).toBe(expected);
  });
});
