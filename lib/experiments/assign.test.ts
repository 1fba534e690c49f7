import { describe, expect, it } from "vitest";
import { assign, compileAssignment, inNamespace, type AssignmentDefinition } from "./assign";
import { bucketRanges, chooseVariation, hash } from "../stats/hash";

const fiftyFifty = (seed: string, coverage = 1): AssignmentDefinition => ({
  seed,
  coverage,
  variants: [
    { key: "A", weight: 0.5 },
    { key: "B", weight: 0.5 },
  ],
});

describe("assign", () => {
  // Hash values from the GrowthBook v2 vectors: < 0.5 → A, ≥ 0.5 → B.
  it.each([
    ["seed", "a", "A"], // 0.0505
    ["seed", "b", "A"], // 0.2696
    ["foo", "ab", "A"], // 0.2575
    ["89123klj", "8952klfjas09ujkasdf", "A"], // 0.124
    ["90850943850283058242805", "123", "B"], // 0.7516
  ])("seed %j, subject %j → %s", (seed, subject, key) => {
    expect(assign(fiftyFifty(seed), subject)?.key).toBe(key);
  });

  it("puts subjects outside coverage in no arm", () => {
    // hash("90850943850283058242805", "123") = 0.7516: with 50% coverage B owns [0.5, 0.75).
    expect(assign(fiftyFifty("90850943850283058242805", 0.5), "123")).toBeNull();
    expect(assign(fiftyFifty("seed", 0), "a")).toBeNull();
  });

  it("returns null for an empty subject or no variants", () => {
    expect(assign(fiftyFifty("seed"), "")).toBeNull();
    expect(assign({ seed: "s", coverage: 1, variants: [] }, "x")).toBeNull();
  });

  it("agrees with hash + bucketRanges + chooseVariation on many subjects, including non-ASCII", () => {
    const def: AssignmentDefinition = {
      seed: "exp-42:phase-3",
      coverage: 0.8,
      variants: [
        { key: "control", weight: 0.2 },
        { key: "b", weight: 0.3 },
        { key: "c", weight: 0.5 },
      ],
    };
    const fn = compileAssignment(def);
    const ranges = bucketRanges(3, 0.8, [0.2, 0.3, 0.5]);
    const subjects = [...Array.from({ length: 5000 }, (_, i) => `user-${i}`), "é", "日本語", "😀", "a".repeat(300)];
    for (const s of subjects) {
      const i = chooseVariation(hash(def.seed, s, 2)!, ranges);
      expect(fn(s)?.index ?? -1).toBe(i);
      if (i >= 0) expect(fn(s)?.key).toBe(def.variants[i]!.key);
    }
  });

  it("splits traffic in proportion to the weights", () => {
    const fn = compileAssignment({
      seed: "split",
      coverage: 1,
      variants: [
        { key: "a", weight: 0.2 },
        { key: "b", weight: 0.8 },
      ],
    });
    let b = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (fn(`subject-${i}`)?.key === "b") b++;
    // Binomial sd at n = 20,000 is 0.0028; 0.01 is more than 3 sd.
    expect(Math.abs(b / n - 0.8)).toBeLessThan(0.01);
  });

  it("is sticky: the same subject gets the same arm from separately compiled definitions", () => {
    const one = compileAssignment(fiftyFifty("sticky"));
    const two = compileAssignment(fiftyFifty("sticky"));
    for (let i = 0; i < 200; i++) expect(one(`u${i}`)).toEqual(two(`u${i}`));
  });

  it("moves subjects between arms when the seed changes (a new phase)", () => {
    const a = compileAssignment(fiftyFifty("phase-1"));
    const b = compileAssignment(fiftyFifty("phase-2"));
    let moved = 0;
    for (let i = 0; i < 1000; i++) if (a(`u${i}`)?.index !== b(`u${i}`)?.index) moved++;
    expect(moved).toBeGreaterThan(350); // independent 50/50 hashes disagree about half the time
  });

  it("returns shared frozen results (no allocation per call)", () => {
    const fn = compileAssignment(fiftyFifty("seed"));
    const r = fn("a");
    expect(fn("a")).toBe(r);
    expect(Object.isFrozen(r)).toBe(true);
  });
});

describe("namespaces (mutually exclusive experiments)", () => {
  // GrowthBook SDK test cases (packages/sdk-js/test/cases.json, "inNamespace", MIT licence).
  it.each([
    ["1", "namespace1", 0, 0.4, false],
    ["1", "namespace1", 0.4, 1, true],
    ["1", "namespace2", 0, 0.4, false],
    ["2", "namespace1", 0.4, 1, true],
    ["3", "namespace2", 0, 0.4, true],
    ["3", "namespace2", 0.4, 1, false],
    ["4", "namespace1", 0, 0.4, false],
    ["4", "namespace2", 0, 0.4, true],
  ] as const)("subject %j in %s [%d, %d) → %s", (subject, name, start, end, expected) => {
    expect(inNamespace(subject, { name, range: [start, end] })).toBe(expected);
  });

  it("agrees with hash('__' + name, subject, 1), including non-ASCII subjects", () => {
    for (const subject of ["a", "user-42", "émilie", "用户", "x".repeat(300)]) {
      const n = hash("__checkout", subject, 1)!;
      expect(inNamespace(subject, { name: "checkout", range: [n, n + 0.001] })).toBe(true);
      expect(inNamespace(subject, { name: "checkout", range: [0, n] })).toBe(false);
    }
  });

  it("never puts a subject in two experiments whose ranges are disjoint, and covers the share it owns", () => {
    const def = (seed: string, range: [number, number]): AssignmentDefinition => ({
      ...fiftyFifty(seed),
      namespace: { name: "checkout", range },
    });
    const a = compileAssignment(def("exp-a", [0, 0.3]));
    const b = compileAssignment(def("exp-b", [0.3, 0.8]));
    let inA = 0;
    let inB = 0;
    for (let i = 0; i < 20_000; i++) {
      const s = `user-${i}`;
      const x = a(s);
      const y = b(s);
      expect(x !== null && y !== null).toBe(false);
      if (x) inA++;
      if (y) inB++;
    }
    // Shares near 30% and 50% (binomial sd ≈ 0.35 points at n = 20,000).
    expect(inA / 20_000).toBeGreaterThan(0.28);
    expect(inA / 20_000).toBeLessThan(0.32);
    expect(inB / 20_000).toBeGreaterThan(0.48);
    expect(inB / 20_000).toBeLessThan(0.52);
  });
});
