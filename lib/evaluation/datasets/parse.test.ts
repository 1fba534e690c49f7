import { describe, expect, it } from "vitest";
import {
  itemsToCsv,
  itemsToJsonl,
  parseCell,
  parseCsvItems,
  parseJsonItems,
  parseJsonlItems,
  type DeclaredVariable,
} from "./parse";

const vars: DeclaredVariable[] = [
  { name: "question", type: "string", required: true, hasDefault: false },
  { name: "count", type: "number", required: false, hasDefault: false },
  { name: "urgent", type: "boolean", required: false, hasDefault: false },
  { name: "context", type: "json", required: false, hasDefault: false },
];

describe("parseCell", () => {
  it.each([
    ["3.5", "number", 3.5],
    [" 42 ", "number", 42],
    ["-1e3", "number", -1000],
    ["true", "boolean", true],
    ["No", "boolean", false],
    ["1", "boolean", true],
    ['{"a":[1,2]}', "json", { a: [1, 2] }],
    ["12", "json", 12],
    ["12", "string", "12"],
    ["12", undefined, "12"],
  ] as const)("%j as %s → %j", (cell, type, value) => {
    expect(parseCell(cell, type)).toEqual(value);
  });

  it.each([
    ["abc", "number", "must be a number"],
    ["", "number", "must be a number"],
    ["maybe", "boolean", "must be true or false"],
    ["{a:1}", "json", "must be JSON"],
  ] as const)("%j as %s fails: %s", (cell, type, message) => {
    expect(() => parseCell(cell, type)).toThrow(message);
  });
});

describe("parseCsvItems", () => {
  it("reads variables, expected (text or JSON), tags split on ; and metadata, typed by the prompt", () => {
    const csv =
      'question,count,urgent,context,expected,tags,metadata\n"Where is, my order?",2,yes,"{""id"":7}",It ships today,billing; urgent ,"{""src"":""x""}"\nHi,,,,"{""ok"":true}",,\n';
    const r = parseCsvItems(csv, vars);
    expect(r).toEqual({
      ok: true,
      items: [
        {
          input: { question: "Where is, my order?", count: 2, urgent: true, context: { id: 7 } },
          expected: "It ships today",
          tags: ["billing", "urgent"],
          metadata: { src: "x" },
        },
        { input: { question: "Hi" }, expected: { ok: true }, tags: [], metadata: {} },
      ],
    });
  });

  it("keeps cells as text without a prompt", () => {
    const r = parseCsvItems("count,expected\n3,4\n", undefined);
    expect(r).toEqual({ ok: true, items: [{ input: { count: "3" }, expected: "4", tags: [], metadata: {} }] });
  });

  it("lists every bad row with its number and why", () => {
    const csv = "question,count,urgent\nok,1,true\n,abc,true\nfine,2,perhaps\nshort\n";
    const r = parseCsvItems(csv, vars);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { row: 2, field: "input.count", message: 'input.count must be a number, got "abc"' },
      { row: 2, field: "input.question", message: "input.question is required by the prompt and missing" },
      { row: 3, field: "input.urgent", message: 'input.urgent must be true or false, got "perhaps"' },
      { row: 4, message: "has 1 cells; the header has 3 columns" },
    ]);
  });

  it.each([
    ["question,question\na,b\n", 'column "question" appears twice'],
    ["question,my var\na,b\n", 'column "my var" is not a variable name'],
    ["", "no header row"],
    ["question\n", "no items"],
  ])("refuses a bad header or empty file: %j", (csv, message) => {
    const r = parseCsvItems(csv, vars);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toContain(message);
  });
});

describe("parseJsonItems / parseJsonlItems", () => {
  it("accepts {items} and checks declared types", () => {
    const r = parseJsonItems(
      {
        items: [
          { input: { question: "a", count: 1 }, expected: "x", tags: ["t", "t"] },
          { input: { question: 5 } },
          { input: {}, extra: 1 },
        ],
      },
      vars,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.row, e.message])).toEqual([
      [2, "input.question must be a string (the prompt declares it so)"],
      [3, "extra is not an item field (input, expected, tags, metadata)"],
    ]);
  });

  it("dedupes tags and drops a null expected", () => {
    expect(parseJsonItems({ items: [{ input: { q: "a" }, expected: null, tags: ["t", "t"] }] })).toEqual({
      ok: true,
      items: [{ input: { q: "a" }, tags: ["t"], metadata: {} }],
    });
  });

  it("refuses a body without items", () => {
    expect(parseJsonItems({ rows: [] })).toMatchObject({ ok: false, errors: [{ field: "items" }] });
  });

  it("numbers JSONL rows by line, blank lines included", () => {
    const r = parseJsonlItems('{"input":{"question":"a"}}\n\n{"input":\n{"input":{"question":"b"},"tags":"x"}\n', vars);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.row)).toEqual([3, 4]);
    expect(r.errors[0]!.message).toMatch(/^not valid JSON/);
    expect(r.errors[1]!.message).toBe("tags must be a list of strings");
  });
});

describe("export", () => {
  const items = [
    { id: "1", input: { question: "a, b", count: 2 }, expected: { ok: true }, tags: ["x", "y"], metadata: {} },
    { id: "2", input: { question: 'say "hi"' }, expected: "hello", tags: [], metadata: { k: 1 } },
  ];

  it("CSV reimports as the same items under the prompt's types", () => {
    const csv = itemsToCsv(items);
    const back = parseCsvItems(csv, vars);
    expect(back).toEqual({ ok: true, items: items.map(({ id: _id, ...rest }) => rest) });
  });

  it("JSONL reimports as the same items", () => {
    const back = parseJsonlItems(itemsToJsonl(items));
    expect(back).toEqual({ ok: true, items: items.map(({ id: _id, ...rest }) => rest) });
  });
});
