import { describe, expect, it } from "vitest";
import { scorerSpecSchema, type SpecOf } from "./spec";
import {
  levenshteinDistance,
  levenshteinSimilarity,
  normalize,
  scoreContains,
  scoreExactMatch,
  scoreLength,
  scoreLevenshtein,
  scoreRegex,
} from "./text-scorers";

// Specs go through the real schema, so defaults are the ones users get.
const spec = <T extends SpecOf<"exact_match" | "contains" | "not_contains" | "regex" | "length" | "levenshtein">>(
  input: Record<string, unknown>,
) => scorerSpecSchema.parse(input) as T;

describe("normalize", () => {
  const all = { trim: true, ignoreCase: true, collapseWhitespace: true };
  it.each([
    ["  Hello  ", { trim: true, ignoreCase: false, collapseWhitespace: false }, "Hello"],
    ["Hello\n\n  World", { trim: false, ignoreCase: false, collapseWhitespace: true }, "Hello World"],
    ["ÉCOLE", { trim: false, ignoreCase: true, collapseWhitespace: false }, "école"],
    ["  A\tB  ", all, "a b"],
    ["e\u0301", all, "é"], // composed and decomposed accents compare equal
  ])("%j → %j", (text, opts, expected) => {
    expect(normalize(text, opts)).toBe(expected);
  });
});

describe("exact_match", () => {
  it.each([
    ["equal text", {}, "Paris", "Paris", 1, "output equals the expected text"],
    ["surrounding whitespace is trimmed by default", {}, "  Paris\n", "Paris", 1, "output equals the expected text"],
    [
      "trim can be switched off",
      { trim: false },
      " Paris",
      "Paris",
      0,
      'output differs from the expected text at character 1: expected "Paris", got " Paris"',
    ],
    [
      "case matters by default",
      {},
      "paris",
      "Paris",
      0,
      'output differs from the expected text at character 1: expected "Paris", got "paris"',
    ],
    ["ignoreCase", { ignoreCase: true }, "PARIS", "Paris", 1, "output equals the expected text"],
    [
      "collapseWhitespace",
      { collapseWhitespace: true },
      "New   York",
      "New York",
      1,
      "output equals the expected text",
    ],
    [
      "the difference is located",
      {},
      "The answer is 41.",
      "The answer is 42.",
      0,
      'output differs from the expected text at character 16: expected "…nswer is 42.", got "…nswer is 41."',
    ],
    ["an empty output", {}, "", "x", 0, 'output differs from the expected text at character 1: expected "x", got ""'],
    ["a number expected", {}, "42", 42, 1, "output equals the expected text"],
    [
      "a JSON object expected, key order ignored",
      {},
      '{"b": [1, 2], "a": null}',
      { a: null, b: [1, 2] },
      1,
      "output equals the expected JSON value",
    ],
    [
      "a JSON object expected, values differ",
      {},
      '{"a": 1}',
      { a: 2 },
      0,
      'output is JSON but differs from the expected value "{\\"a\\":2}"',
    ],
    [
      "a JSON array expected, order matters",
      {},
      "[2, 1]",
      [1, 2],
      0,
      'output is JSON but differs from the expected value "[1,2]"',
    ],
    [
      "a JSON object expected, output not JSON",
      {},
      "a: 1",
      { a: 1 },
      0,
      "output is not JSON, but the expected value is a JSON object or array",
    ],
    ["the spec's value overrides expected", { value: "Lyon" }, "Lyon", "Paris", 1, "output equals the expected text"],
  ])("%s", (_label, options, output, expected, score, reason) => {
    const r = scoreExactMatch(spec({ type: "exact_match", ...options }), { output, expected });
    expect(r).toEqual({ score, reason });
  });

  it("reports a missing expected value as an error, not a failure", () => {
    expect(scoreExactMatch(spec({ type: "exact_match" }), { output: "x" })).toEqual({
      score: 0,
      reason: "exact_match needs the item's expected output, or a value in the scorer spec",
      error: "exact_match needs the item's expected output, or a value in the scorer spec",
    });
  });
});

describe("contains / not_contains", () => {
  const out = "Your refund of $20 will arrive in 5 business days.";
  it.each([
    ["contains one value", { type: "contains", value: "refund" }, 1, 'output contains "refund"'],
    [
      "contains: case matters by default",
      { type: "contains", value: "Refund" },
      0,
      'output lacks "Refund" (found 0 of 1)',
    ],
    ["contains: ignoreCase", { type: "contains", value: "Refund", ignoreCase: true }, 1, 'output contains "Refund"'],
    [
      "contains all (default) of a list",
      { type: "contains", value: ["refund", "5 business days"] },
      1,
      'output contains "refund", "5 business days"',
    ],
    [
      "contains all, one missing",
      { type: "contains", value: ["refund", "apology", "$20"] },
      0,
      'output lacks "apology" (found 2 of 3)',
    ],
    [
      "contains any of a list",
      { type: "contains", value: ["apology", "$20"], mode: "any" },
      1,
      'output contains "$20"',
    ],
    [
      "contains any, none present",
      { type: "contains", value: ["apology", "sorry"], mode: "any" },
      0,
      'output contains none of "apology", "sorry"',
    ],
    ["not_contains: absent", { type: "not_contains", value: "guarantee" }, 1, 'output contains none of "guarantee"'],
    ["not_contains: present", { type: "not_contains", value: "refund" }, 0, 'output contains "refund"'],
    [
      "not_contains any (default): one present fails",
      { type: "not_contains", value: ["lawsuit", "$20"] },
      0,
      'output contains "$20"',
    ],
    [
      "not_contains all: fails only when all present",
      { type: "not_contains", value: ["refund", "lawsuit"], mode: "all" },
      1,
      'output lacks "lawsuit", so not all values appear',
    ],
    [
      "not_contains all: all present",
      { type: "not_contains", value: ["refund", "$20"], mode: "all" },
      0,
      'output contains all of "refund", "$20"',
    ],
    [
      "not_contains: ignoreCase",
      { type: "not_contains", value: "REFUND", ignoreCase: true },
      0,
      'output contains "REFUND"',
    ],
  ])("%s", (_label, input, score, reason) => {
    expect(scoreContains(spec(input), { output: out })).toEqual({ score, reason });
  });

  it("falls back to the item's expected text", () => {
    expect(scoreContains(spec({ type: "contains" }), { output: out, expected: "5 business days" }).score).toBe(1);
    expect(scoreContains(spec({ type: "contains" }), { output: out }).error).toBe(
      "contains needs the item's expected output, or a value in the scorer spec",
    );
  });
});

describe("regex", () => {
  it.each([
    [{ pattern: "\\b\\d{3}-\\d{4}\\b" }, "Call 555-1234 now", 1, 'output matches /\\b\\d{3}-\\d{4}\\b/ at "555-1234"'],
    [{ pattern: "^Dear" }, "Hello", 0, "output does not match /^Dear/"],
    [{ pattern: "^dear", flags: "i" }, "Dear Ana", 1, 'output matches /^dear/i at "Dear"'],
    [{ pattern: "^end$", flags: "m" }, "line\nend\nmore", 1, 'output matches /^end$/m at "end"'],
    [
      { pattern: "password", negate: true },
      "Your password is hunter2",
      0,
      'output matches /password/ at "password", which it must not',
    ],
    [{ pattern: "password", negate: true }, "All good", 1, "output does not match /password/"],
    [{ pattern: "😀", flags: "u" }, "hi 😀", 1, 'output matches /😀/u at "😀"'],
  ])("%j on %j", (options, output, score, reason) => {
    expect(scoreRegex(spec({ type: "regex", ...options }), { output })).toEqual({ score, reason });
  });
});

describe("length", () => {
  it.each([
    [{ max: 10 }, "short", 1, "5 characters, within ≤ 10"],
    [{ max: 4 }, "short", 0, "5 characters, above the maximum of 4"],
    [{ min: 6 }, "short", 0, "5 characters, below the minimum of 6"],
    [{ min: 1, max: 5 }, "short", 1, "5 characters, within 1–5"],
    [{ min: 1 }, "", 0, "0 characters, below the minimum of 1"],
    [{ max: 1 }, "😀", 1, "1 character, within ≤ 1"], // code points, not UTF-16 units
    [{ min: 3, max: 5, unit: "words" }, "one two  three\nfour", 1, "4 words, within 3–5"],
    [{ max: 2, unit: "words" }, "  one two three  ", 0, "3 words, above the maximum of 2"],
    [{ min: 1, unit: "words" }, "   ", 0, "0 words, below the minimum of 1"],
    [{ min: 1, unit: "words" }, "one", 1, "1 word, within ≥ 1"],
  ])("%j on %j", (options, output, score, reason) => {
    expect(scoreLength(spec({ type: "length", ...options }), { output })).toEqual({ score, reason });
  });
});

describe("levenshtein", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["", "abc", 3],
    ["kitten", "sitting", 3],
    ["flaw", "lawn", 2],
    ["saturday", "sunday", 3],
    ["abc", "abc", 0],
    ["😀a", "😀b", 1], // one code point, not two UTF-16 units
    ["gumbo", "gambol", 2],
  ])("distance(%j, %j) = %i", (a, b, d) => {
    expect(levenshteinDistance(a, b)).toBe(d);
    expect(levenshteinDistance(b, a)).toBe(d);
  });

  it.each([
    ["", "", 1],
    ["kitten", "sitting", 1 - 3 / 7],
    ["abc", "xyz", 0],
    ["abcd", "abce", 0.75],
  ])("similarity(%j, %j) = %f", (a, b, s) => {
    expect(levenshteinSimilarity(a, b)).toBeCloseTo(s, 12);
  });

  it.each([
    [{}, "kitten", "sitting", 1 - 3 / 7, "3 edits away from the expected text (similarity 0.571)"],
    [{}, "Paris", "Paris", 1, "0 edits away from the expected text (similarity 1.000)"],
    [{ ignoreCase: true }, "PARIS", "paris", 1, "0 edits away from the expected text (similarity 1.000)"],
    [{}, "PARIS", "paris", 0, "5 edits away from the expected text (similarity 0.000)"],
    [{ value: "abcd" }, "abce", "ignored", 0.75, "1 edit away from the expected text (similarity 0.750)"],
  ])("scores %j %j against %j", (options, output, expected, score, reason) => {
    const r = scoreLevenshtein(spec({ type: "levenshtein", ...options }), { output, expected });
    expect(r.score).toBeCloseTo(score, 12);
    expect(r.reason).toBe(reason);
  });

  it("refuses texts too long to compare, as an error", () => {
    const long = "a".repeat(6000);
    const r = scoreLevenshtein(spec({ type: "levenshtein" }), { output: long, expected: long });
    expect(r.error).toBe("levenshtein cannot compare texts this long (6000 × 6000 characters; limit 25000000 cells)");
  });

  it("needs a reference", () => {
    expect(scoreLevenshtein(spec({ type: "levenshtein" }), { output: "x" }).error).toBe(
      "levenshtein needs the item's expected output, or a value in the scorer spec",
    );
  });
});
