import { describe, expect, it } from "vitest";
import { parseJsonOutput, scoreJsonSchema, scoreJsonValid, scoreRequiredFields, valueAtPath } from "./json-scorers";
import { scorerSpecSchema, type SpecOf } from "./spec";

const spec = <T extends SpecOf<"json_valid" | "json_schema" | "required_fields">>(input: Record<string, unknown>) =>
  scorerSpecSchema.parse(input) as T;

describe("parseJsonOutput", () => {
  it.each([
    ['{"a": 1}', false, { ok: true, value: { a: 1 } }],
    ["  [1, 2]\n", false, { ok: true, value: [1, 2] }],
    ["42", false, { ok: true, value: 42 }],
    ['```json\n{"a": 1}\n```', true, { ok: true, value: { a: 1 } }],
    ['```\n{"a": 1}\n```', true, { ok: true, value: { a: 1 } }],
    ['Here you go: {"a": {"b": 2}} Hope it helps!', true, { ok: true, value: { a: { b: 2 } } }],
    ["Sure! [1, 2, 3]", true, { ok: true, value: [1, 2, 3] }],
  ])("%j (extract: %s)", (text, extract, expected) => {
    expect(parseJsonOutput(text, extract)).toEqual(expected);
  });

  it.each([
    ['```json\n{"a": 1}\n```', false],
    ["Here you go: {a: 1}", true],
    ["no json here", true],
    ["", false],
  ])("rejects %j (extract: %s) with the parser's message", (text, extract) => {
    const r = parseJsonOutput(text, extract);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.length).toBeGreaterThan(0);
  });
});

describe("json_valid", () => {
  it.each([
    [{}, '{"ok": true}', 1, "output is valid JSON (object)"],
    [{}, "[1]", 1, "output is valid JSON (array)"],
    [{}, "null", 1, "output is valid JSON (null)"],
    [{}, '"text"', 1, "output is valid JSON (string)"],
    [{ extract: true }, '```json\n{"ok": true}\n```', 1, "output is valid JSON (object)"],
  ])("%j accepts %j", (options, output, score, reason) => {
    expect(scoreJsonValid(spec({ type: "json_valid", ...options }), { output })).toEqual({ score, reason });
  });

  it.each(["{'a': 1}", '{"a": 1,}', "plain text", ""])("rejects %j, quoting the parser", (output) => {
    const r = scoreJsonValid(spec({ type: "json_valid" }), { output });
    expect(r.score).toBe(0);
    expect(r.reason).toMatch(/^output is not valid JSON: \S/);
  });
});

describe("json_schema", () => {
  const schema = {
    type: "object",
    properties: {
      reply: { type: "string", minLength: 1 },
      sentiment: { enum: ["positive", "neutral", "negative"] },
      customer: { type: "object", properties: { email: { type: "string" } }, required: ["email"] },
    },
    required: ["reply", "sentiment"],
    additionalProperties: false,
  };
  it.each([
    ['{"reply": "Hi", "sentiment": "neutral"}', 1, "output matches the schema"],
    ['{"reply": "Hi", "sentiment": "neutral", "customer": {"email": "a@b.c"}}', 1, "output matches the schema"],
    ['{"sentiment": "neutral"}', 0, "output does not match the schema: (root) must have required property 'reply'"],
    [
      '{"reply": 3, "sentiment": "angry"}',
      0,
      'output does not match the schema: /reply must be string; /sentiment must be equal to one of the allowed values: ["positive","neutral","negative"]',
    ],
    [
      '{"reply": "Hi", "sentiment": "neutral", "extra": 1}',
      0,
      "output does not match the schema: (root) must NOT have additional properties: extra",
    ],
    [
      '{"reply": "Hi", "sentiment": "neutral", "customer": {}}',
      0,
      "output does not match the schema: /customer must have required property 'email'",
    ],
    ["[]", 0, "output does not match the schema: (root) must be object"],
  ])("%j → %i", (output, score, reason) => {
    expect(scoreJsonSchema(spec({ type: "json_schema", schema }), { output })).toEqual({ score, reason });
  });

  it("reports output that is not JSON", () => {
    expect(scoreJsonSchema(spec({ type: "json_schema", schema }), { output: "nope" }).reason).toMatch(
      /^output is not valid JSON: /,
    );
  });

  it("lists at most 10 errors", () => {
    const wide = {
      type: "object",
      properties: Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`f${i}`, { type: "string" }])),
    };
    const output = JSON.stringify(Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`f${i}`, i])));
    const r = scoreJsonSchema(spec({ type: "json_schema", schema: wide }), { output });
    expect(r.reason.split("; ")).toHaveLength(11);
    expect(r.reason).toMatch(/…and 5 more$/);
  });

  it("reads draft 2020-12 schemas", () => {
    const s = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "array",
      prefixItems: [{ type: "number" }],
    };
    expect(scoreJsonSchema(spec({ type: "json_schema", schema: s }), { output: '["x"]' }).reason).toBe(
      "output does not match the schema: /0 must be number",
    );
  });
});

describe("valueAtPath", () => {
  const doc = { a: { b: [{ c: 1 }, { c: null }] }, "x-y": 0, list: [] };
  it.each([
    ["a.b.0.c", 1],
    ["a.b.1.c", null],
    ["a.b.2.c", undefined],
    ["x-y", 0],
    ["a.missing", undefined],
    ["a.b.c", undefined],
    ["list.0", undefined],
    ["constructor", undefined],
    ["a.b.length", undefined],
  ])("%s → %j", (path, expected) => {
    expect(valueAtPath(doc, path)).toBe(expected);
  });
});

describe("required_fields", () => {
  it.each([
    [
      ["reply", "customer.email"],
      '{"reply": "Hi", "customer": {"email": "a@b.c"}}',
      1,
      "all 2 required fields are present",
    ],
    [["reply"], '{"reply": ""}', 1, "all 1 required field is present"],
    [["reply", "customer.email"], '{"reply": "Hi", "customer": {}}', 0.5, "missing customer.email (1 of 2 present)"],
    [["a", "b", "c"], '{"b": null}', 0, "missing a, b, c (0 of 3 present)"],
    [["items.0.id"], '{"items": [{"id": 7}]}', 1, "all 1 required field is present"],
    [["items.0.id"], '{"items": []}', 0, "missing items.0.id (0 of 1 present)"],
  ])("%j in %j", (fields, output, score, reason) => {
    expect(scoreRequiredFields(spec({ type: "required_fields", fields }), { output })).toEqual({ score, reason });
  });

  it("fails output that is not JSON", () => {
    const r = scoreRequiredFields(spec({ type: "required_fields", fields: ["a"] }), { output: "a: 1" });
    expect(r.score).toBe(0);
    expect(r.reason).toMatch(/^output is not valid JSON: /);
  });
});
