import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bucketRanges, chooseVariation, equalWeights, fnv1a32, hash } from "./hash";

// GrowthBook SDK test cases (packages/sdk-js/test/cases.json, MIT), hash and getBucketRange sections.
const cases = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, "testdata/growthbook-hash-cases.json"), "utf8"),
) as {
  hash: [string, string, number, number | null][];
  getBucketRange: [string, [number, number, number[] | null], [number, number][]][];
};

describe("fnv1a32", () => {
  // Published FNV-1a 32-bit test vectors (isthe.com/chongo/tech/comp/fnv, "FNV-1a" column).
  it.each([
    ["", 0x811c9dc5],
    ["a", 0xe40c292c],
    ["foobar", 0xbf9cf968],
  ])("fnv1a32(%j) = %i", (text, expected) => {
    expect(fnv1a32(text)).toBe(expected);
  });
});

describe("hash (GrowthBook vectors)", () => {
  it("loads every vector", () => {
    expect(cases.hash.length).toBe(15);
  });
  it.each(cases.hash)("hash(%j, %j, v%i) = %j", (seed, value, version, expected) => {
    expect(hash(seed, value, version)).toBe(expected);
  });
});

describe("bucketRanges (GrowthBook getBucketRange vectors)", () => {
  it("loads every vector", () => {
    expect(cases.getBucketRange.length).toBe(13);
  });
  it.each(cases.getBucketRange)("%s", (_label, [n, coverage, weights], expected) => {
    const got = bucketRanges(n, coverage, weights);
    expect(got.length).toBe(expected.length);
    // GrowthBook compares rounded values: 0.2 × 0.2 is 0.04000000000000001 in binary floating point.
    got.forEach(([s, e], i) => {
      expect(s).toBeCloseTo(expected[i]![0], 12);
      expect(e).toBeCloseTo(expected[i]![1], 12);
    });
  });

  it("keeps a subject's arm when coverage grows (ranges only widen)", () => {
    const small = bucketRanges(3, 0.3, [0.2, 0.3, 0.5]);
    const full = bucketRanges(3, 1, [0.2, 0.3, 0.5]);
    small.forEach(([s, e], i) => {
      expect(full[i]![0]).toBe(s);
      expect(full[i]![1]).toBeGreaterThanOrEqual(e);
    });
  });

  it("has no ranges for zero variations", () => {
    expect(bucketRanges(0, 1)).toEqual([]);
    expect(equalWeights(-1)).toEqual([]);
  });
});

describe("chooseVariation", () => {
  const ranges = bucketRanges(2, 0.5);
  it.each([
    [0, 0],
    [0.2499, 0],
    [0.25, -1], // end is exclusive
    [0.4, -1],
    [0.5, 1],
    [0.7499, 1],
    [0.75, -1],
    [0.99, -1],
  ])("chooseVariation(%d) = %i with 50%% coverage", (n, expected) => {
    expect(chooseVariation(n, ranges)).toBe(expected);
  });
});
