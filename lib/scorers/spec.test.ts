import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import { defaultThresholds, parseScorerSpecs, scorerSpecSchema, scorerTypes } from "./spec";

function errorOf(input: unknown): { message: string; issues: Array<{ path: string; message: string }> } {
  try {
    parseScorerSpecs(input);
  } catch (e) {
    if (!isAppError(e)) throw e;
    expect(e.code).toBe("invalid_input");
    return { message: e.message, issues: (e.details?.issues ?? []) as Array<{ path: string; message: string }> };
  }
  throw new Error("expected parseScorerSpecs to throw");
}

describe("scorerSpecSchema", () => {
  it.each([
    [
      { type: "exact_match" },
      { type: "exact_match", weight: 1, trim: true, ignoreCase: false, collapseWhitespace: false },
    ],
    [
      { type: "contains", value: ["a", "b"], mode: "any" },
      { type: "contains", weight: 1, value: ["a", "b"], mode: "any", ignoreCase: false },
    ],
    [
      { type: "not_contains", value: "x", ignoreCase: true, weight: 2, threshold: 0.5 },
      { type: "not_contains", value: "x", ignoreCase: true, weight: 2, threshold: 0.5 },
    ],
    [
      { type: "regex", pattern: "^\\d{3}-\\d{4}$" },
      { type: "regex", weight: 1, pattern: "^\\d{3}-\\d{4}$", flags: "", negate: false },
    ],
    [
      { type: "json_valid", extract: true },
      { type: "json_valid", weight: 1, extract: true },
    ],
    [
      { type: "json_schema", schema: { type: "object" } },
      { type: "json_schema", weight: 1, schema: { type: "object" }, extract: false },
    ],
    [
      { type: "required_fields", fields: ["a.b", "items.0.id"] },
      { type: "required_fields", weight: 1, fields: ["a.b", "items.0.id"], extract: false },
    ],
    [
      { type: "length", max: 280 },
      { type: "length", weight: 1, max: 280, unit: "chars" },
    ],
    [{ type: "safety" }, { type: "safety", weight: 1, blockList: [], refusals: true, ignoreCase: true }],
    [
      { type: "levenshtein", value: "abc" },
      { type: "levenshtein", weight: 1, value: "abc", trim: true, ignoreCase: false, collapseWhitespace: false },
    ],
    [
      { type: "embedding_similarity", model: "text-embedding-3-small" },
      { type: "embedding_similarity", weight: 1, model: "text-embedding-3-small" },
    ],
    [
      { type: "llm_judge", rubric: "Is it polite?", model: "claude-sonnet-4-5", connection: "anthropic" },
      {
        type: "llm_judge",
        weight: 1,
        rubric: "Is it polite?",
        model: "claude-sonnet-4-5",
        connection: "anthropic",
        scale: "1-5",
        mode: "single",
        includeInput: true,
        includeExpected: true,
        temperature: 0,
        maxTokens: 1024,
      },
    ],
    [
      { type: "consistency" },
      {
        type: "consistency",
        weight: 1,
        k: 3,
        method: "levenshtein",
        trim: true,
        ignoreCase: false,
        collapseWhitespace: false,
      },
    ],
  ])("accepts %j and fills in defaults", (input, expected) => {
    expect(scorerSpecSchema.parse(input)).toEqual(expected);
  });

  it("has a default threshold for every type", () => {
    for (const type of scorerTypes) expect(defaultThresholds[type], type).toBeGreaterThan(0);
  });
});

describe("parseScorerSpecs", () => {
  it.each([
    ["a non-list", { type: "contains" }, "scorers must be a list"],
    ["a non-object entry", ["contains"], "scorers[0].scorer must be an object with a type"],
    ["an unknown type", [{ type: "bleu" }], `scorers[0].type must be one of ${scorerTypes.join(", ")}`],
    ["a missing type", [{ value: "x" }], `scorers[0].type must be one of ${scorerTypes.join(", ")}`],
    [
      "an unknown option",
      [{ type: "contains", value: "x", treshold: 1 }],
      "scorers[0].treshold is not an option of contains",
    ],
    ["two unknown options", [{ type: "json_valid", a: 1, b: 2 }], "scorers[0].a, b are not options of json_valid"],
    ["a negative weight", [{ type: "json_valid", weight: -1 }], "scorers[0].weight must be between 0 and 100"],
    ["a threshold above 1", [{ type: "json_valid", threshold: 1.5 }], "scorers[0].threshold must be between 0 and 1"],
    [
      "a bad name",
      [{ type: "json_valid", name: "a;b" }],
      "scorers[0].name must be 1–64 letters, digits, spaces or _ . : / -",
    ],
    ["an empty contains list", [{ type: "contains", value: [] }], "scorers[0].value must not be an empty list"],
    [
      "a non-string contains value",
      [{ type: "contains", value: 3 }],
      "scorers[0].value must be a string or a list of strings",
    ],
    ["a bad mode", [{ type: "contains", value: "x", mode: "some" }], 'scorers[0].mode must be "any" or "all"'],
    ["a missing pattern", [{ type: "regex" }], "scorers[0].pattern must be a string"],
    [
      "an invalid pattern",
      [{ type: "regex", pattern: "(unclosed" }],
      /^scorers\[0\]\.pattern is not a valid regular expression: /,
    ],
    [
      "a pattern the linear-time engine does not run",
      [{ type: "regex", pattern: "(?<=a)b" }],
      /^scorers\[0\]\.pattern is not a valid regular expression: uses lookaround or a backreference/,
    ],
    [
      "a too long pattern",
      [{ type: "regex", pattern: "a".repeat(501) }],
      "scorers[0].pattern must be at most 500 characters",
    ],
    [
      "a stateful flag",
      [{ type: "regex", pattern: "a", flags: "g" }],
      'scorers[0].flags may only contain each of i, m, s, u once (got "g")',
    ],
    ["a missing schema", [{ type: "json_schema" }], "scorers[0].schema must be a JSON Schema object"],
    [
      "an invalid schema",
      [{ type: "json_valid" }, { type: "json_valid" }, { type: "json_schema", schema: { type: "objekt" } }],
      /^scorers\[2\]\.schema is not a valid JSON Schema: .*type/,
    ],
    ["an empty field list", [{ type: "required_fields", fields: [] }], "scorers[0].fields must name at least one path"],
    [
      "a bad path",
      [{ type: "required_fields", fields: ["a..b"] }],
      "scorers[0].fields must be dotted paths like customer.email or items.0.id",
    ],
    ["a length without bounds", [{ type: "length" }], "scorers[0].min or max must be set"],
    ["a length with min > max", [{ type: "length", min: 10, max: 5 }], "scorers[0].max must be at least min (10)"],
    ["a fractional length", [{ type: "length", max: 2.5 }], "scorers[0].max must be a whole number"],
    ["a bad unit", [{ type: "length", max: 2, unit: "tokens" }], 'scorers[0].unit must be "chars" or "words"'],
    [
      "a safety scorer that checks nothing",
      [{ type: "safety", refusals: false }],
      "scorers[0].blockList must not be empty when refusals is false (nothing would be checked)",
    ],
    ["an embedding scorer without model", [{ type: "embedding_similarity" }], "scorers[0].model must be a string"],
    ["a judge without rubric", [{ type: "llm_judge", model: "m" }], "scorers[0].rubric must be a string"],
    [
      "a judge with an empty rubric",
      [{ type: "llm_judge", model: "m", rubric: "" }],
      "scorers[0].rubric must not be empty",
    ],
    [
      "a bad judge scale",
      [{ type: "llm_judge", model: "m", rubric: "r", scale: "1-10" }],
      'scorers[0].scale must be "1-5" or "0-1"',
    ],
    [
      "a bad judge mode",
      [{ type: "llm_judge", model: "m", rubric: "r", mode: "triple" }],
      'scorers[0].mode must be "single" or "pairwise"',
    ],
    [
      "a pairwise judge above temperature 0",
      [{ type: "llm_judge", model: "m", rubric: "r", mode: "pairwise", temperature: 0.7 }],
      'scorers[0].temperature must be 0 when mode is "pairwise" (it is 0.7): the judge is asked in both orders and a verdict that changes with the order counts as a tie',
    ],
    ["k below 2", [{ type: "consistency", k: 1 }], "scorers[0].k must be between 2 and 20"],
    [
      "an embedding consistency without model",
      [{ type: "consistency", method: "embedding" }],
      'scorers[0].model must be set when method is "embedding"',
    ],
  ])("rejects %s", (_label, input, message) => {
    const { message: actual } = errorOf(input);
    if (typeof message === "string") expect(actual).toBe(message);
    else expect(actual).toMatch(message);
  });

  it("lists every problem, each with its position", () => {
    const { message, issues } = errorOf([
      { type: "json_valid" },
      { type: "length" },
      { type: "contains", value: "x", weight: "heavy" },
    ]);
    expect(issues.map((i) => i.message)).toEqual([
      "scorers[1].min or max must be set",
      "scorers[2].weight must be a number",
    ]);
    expect(message).toBe("scorers[1].min or max must be set; scorers[2].weight must be a number");
    expect(issues.map((i) => i.path)).toEqual(["scorers.1.min", "scorers.2.weight"]);
  });

  it("uses the caller's field name", () => {
    expect(() => parseScorerSpecs([{ type: "x" }], "evaluation.scorers")).toThrow(
      /^evaluation\.scorers\[0\]\.type must be one of/,
    );
  });

  it("names unnamed scorers after their type, uniquely, and resolves thresholds", () => {
    const specs = parseScorerSpecs([
      { type: "contains", value: "a" },
      { type: "contains", value: "b", threshold: 0.5 },
      { type: "levenshtein" },
      { type: "json_valid", name: "contains_2" },
    ]);
    expect(specs.map((s) => [s.name, s.threshold])).toEqual([
      ["contains", 1],
      ["contains_3", 0.5],
      ["levenshtein", 0.8],
      ["contains_2", 1],
    ]);
  });

  it("refuses two scorers with the same explicit name", () => {
    expect(() =>
      parseScorerSpecs([
        { type: "json_valid", name: "fmt" },
        { type: "length", max: 3, name: "fmt" },
      ]),
    ).toThrow('scorers[1].name repeats "fmt"; scorer names must be unique');
  });

  it("accepts an empty list", () => {
    expect(parseScorerSpecs([])).toEqual([]);
  });

  it("holds a pairwise judge at temperature 0, naming the field when it is not; a single judge may differ", () => {
    const base = { type: "llm_judge", model: "m", rubric: "r" } as const;
    expect(parseScorerSpecs([{ ...base, mode: "pairwise" }])[0]).toMatchObject({ mode: "pairwise", temperature: 0 });
    expect(parseScorerSpecs([{ ...base, mode: "pairwise", temperature: 0 }])[0]).toMatchObject({ temperature: 0 });
    expect(parseScorerSpecs([{ ...base, temperature: 0.7 }])[0]).toMatchObject({ mode: "single", temperature: 0.7 });
    const { issues } = errorOf([
      { type: "length", max: 9 },
      { ...base, mode: "pairwise", temperature: 1 },
    ]);
    expect(issues).toEqual([
      {
        path: "scorers.1.temperature",
        message: expect.stringMatching(/^scorers\[1\]\.temperature must be 0 when mode is "pairwise" \(it is 1\)/),
      },
    ]);
  });
});
