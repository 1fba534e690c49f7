import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { slowestFirst, slowestFirstOrder } from "./sequencer";

const root = path.resolve(import.meta.dirname, "..");

describe("the slowest files start first (test/sequencer.ts)", () => {
  it("names files that exist: a renamed one would silently start last again", () => {
    expect(slowestFirst.filter((f) => !existsSync(path.join(root, f)))).toEqual([]);
    expect(new Set(slowestFirst).size).toBe(slowestFirst.length);
  });
  it("puts the listed files first, in the list's order, and keeps the others in the order given", () => {
    const [slowest, second] = slowestFirst as [string, string];
    const given = ["a.test.ts", second, "b.test.ts", slowest, "c.test.ts"];
    expect(slowestFirstOrder(given, (f) => f)).toEqual([slowest, second, "a.test.ts", "b.test.ts", "c.test.ts"]);
  });
});
