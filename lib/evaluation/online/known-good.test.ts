import { describe, expect, it } from "vitest";
import { endedByRollback } from "./known-good";

const log = (...rows: [number, string][]) => rows.map(([version, action]) => ({ version, action }));

describe("endedByRollback", () => {
  it.each([
    ["nothing rolled back", log([1, "promote"], [2, "promote"], [3, "promote"]), []],
    ["a person rolled back v2", log([1, "promote"], [2, "promote"], [1, "rollback"]), [2]],
    ["a job rolled back v3", log([2, "promote"], [3, "promote"], [2, "auto_rollback"]), [3]],
    [
      "v2 rolled back, then promoted again and replaced normally: still rolled back once",
      log([1, "promote"], [2, "promote"], [1, "rollback"], [2, "promote"], [3, "promote"]),
      [2],
    ],
    [
      "a repeated deployment of the live version is one tenure",
      log([1, "promote"], [2, "promote"], [2, "promote"], [1, "rollback"]),
      [2],
    ],
    ["a rollback to another version ends the one before it", log([1, "promote"], [2, "rollback"]), [1]],
    ["empty log", log(), []],
  ])("%s", (_name, history, expected) => {
    expect([...endedByRollback(history)].sort()).toEqual(expected);
  });
});
