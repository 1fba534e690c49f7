// Typed inputs through a round trip: a Dotprompt file with arrays of objects, enums and
// optional fields → Lectern → Dotprompt gives the same schema (as the dotprompt library reads it) and
// renders the same in the library; JSON Schema input comes back as JSON Schema; what Lectern cannot keep is
// a warning on the import.
import { Dotprompt, picoschema } from "dotprompt";
import { describe, expect, it } from "vitest";
import { fromDotprompt } from "./dotprompt-import";
import { toDotprompt } from "./dotprompt-export";
import { lecternRender, libraryRender, lookupIn, saved } from "./formats.fixture";
import { picoEntry } from "./picoschema-write";

const source = `---
model: openai/gpt-4o-mini
input:
  schema:
    customer(object, who is asking):
      name: string
      tier(enum): [free, pro]
      email?: string
    orders(array, the recent orders):
      id: string
      total: number
      note?: string, a remark
    tags?(array): string
    tone(enum, how to answer): [formal, casual]
    count: integer
    urgent?: boolean
---
Hello {{customer.name}} ({{customer.tier}}). Tone: {{tone}}, {{count}} orders.
{{#each orders}}- {{id}}: {{total}} {{note}}
{{/each}}{{#if tags}}Tags: {{#each tags}}{{this}} {{/each}}{{/if}}
`;

const values = [
  {
    customer: { name: "Ada", tier: "pro" },
    orders: [
      { id: "A1", total: 12.5, note: "gift" },
      { id: "B2", total: 3 },
    ],
    tags: ["new", "eu"],
    tone: "formal",
    count: 2,
  },
  { customer: { name: "Bo", tier: "free", email: "b@x.org" }, orders: [], tone: "casual", count: 0, urgent: true },
];

const schemaOf = (file: string) => (new Dotprompt().parse(file).input as { schema?: unknown }).schema;

async function roundTrip(file: string) {
  const imported = await fromDotprompt(file, () => undefined);
  const content = saved(imported.content);
  const exported = toDotprompt({ name: "p", description: "", content, partials: lookupIn({}) });
  return { imported, content, exported };
}

describe("a Dotprompt file with typed inputs → Lectern → Dotprompt", () => {
  it("keeps every type without a warning, and writes back the same Picoschema", async () => {
    const { imported, content, exported } = await roundTrip(source);
    expect(imported.warnings).toEqual([]);
    const byName = Object.fromEntries(content.variables.map((v) => [v.name, v]));
    expect(byName.orders).toMatchObject({ type: "json", required: true, description: "the recent orders" });
    expect(byName.orders!.schema).toMatchObject({
      type: "array",
      items: { type: "object", required: ["id", "total"] },
    });
    expect(byName.tone).toMatchObject({ type: "string", schema: { enum: ["formal", "casual"] } });
    expect(byName.count).toMatchObject({ type: "number", schema: { type: "integer" } });
    expect(byName.urgent!.schema).toBeUndefined(); // an optional boolean says nothing a type does not
    // The same Picoschema, and so the same JSON Schema in the library.
    expect(schemaOf(exported)).toEqual(schemaOf(source));
    expect(await picoschema(schemaOf(exported))).toEqual(await picoschema(schemaOf(source)));
  });

  it("renders the same in the library, before and after, and in Lectern", async () => {
    const { content, exported } = await roundTrip(source);
    for (const v of values) {
      const before = (await libraryRender(source, v)).messages;
      expect((await libraryRender(exported, v)).messages).toEqual(before);
      expect(lecternRender(content, v)).toEqual(before);
    }
  });

  it("reads its own export back to the same variables", async () => {
    const { content, exported } = await roundTrip(source);
    const again = await roundTrip(exported);
    expect(again.content.variables).toEqual(content.variables);
    expect(again.imported.warnings).toEqual([]);
  });
});

describe("JSON Schema input", () => {
  const jsonSchemaFile = `---
input:
  schema:
    type: object
    properties:
      items:
        type: array
        minItems: 1
        items: { type: object, properties: { sku: { type: string, pattern: "^[A-Z]{3}$" } }, required: [sku] }
      mode: { type: string, enum: [fast, slow], description: how fast }
    required: [items]
---
{{#each items}}{{sku}} {{/each}}{{mode}}
`;

  it("exports as the same JSON Schema", async () => {
    const { imported, content, exported } = await roundTrip(jsonSchemaFile);
    expect(imported.warnings).toEqual([]);
    expect(content.variables.find((v) => v.name === "items")!.schema).toMatchObject({ minItems: 1 });
    expect(schemaOf(exported)).toEqual(schemaOf(jsonSchemaFile));
  });

  it("warns, naming the keyword, for what Lectern does not keep", async () => {
    const file = `---
input:
  schema:
    type: object
    properties:
      email: { type: string, format: email }
      shape: { $ref: "#/definitions/shape" }
      deep: { type: array, items: { type: array, items: { type: array, items: { type: array, items: { type: array, items: { type: array, items: { type: array, items: { type: array, items: { type: array, items: { type: array, items: { type: array, items: { type: array } } } } } } } } } } } }
---
{{email}} {{shape.side}} {{#each deep}}x{{/each}}
`;
    const { imported, content } = await roundTrip(file);
    expect(imported.warnings).toEqual([
      "input email: format is not kept (Lectern checks the rest of its schema)",
      "input shape: $ref is not kept (Lectern checks the rest of its schema)",
      "input deep: its schema is not kept, only its type json (schema nests deeper than 10 levels)",
    ]);
    expect(content.variables.map((v) => [v.name, v.type, v.schema])).toEqual([
      ["email", "string", undefined],
      ["shape", "json", undefined],
      ["deep", "json", undefined],
    ]);
  });
});

describe("picoEntry: JSON Schema → the Picoschema the library reads back to it", () => {
  const picos: [string, Record<string, unknown>][] = [
    ["scalars, any, descriptions", { a: "string", "b?": "number, how many, roughly", c: "any", "d?": "any, free" }],
    ["an optional enum and one holding null", { "e?(enum, pick)": ["x", "y"], "f?(enum)": ["x", null, "y"] }],
    [
      "nested objects and arrays",
      { "o(object)": { "p?(array, list)": { q: "integer", "r?(object)": { s: "boolean" } } } },
    ],
    ["a wildcard", { "w(object)": { k: "string", "(*)": "number" } }],
    ["arrays of scalars", { "l?(array, words)": "string, a word" }],
  ];
  it.each(picos)("%s", async (_, pico) => {
    const json = (await picoschema(structuredClone(pico))) as {
      properties: Record<string, unknown>;
      required?: string[];
    };
    const back = Object.fromEntries(
      Object.entries(json.properties).map(([name, s]) => {
        const e = picoEntry(name, !(json.required ?? []).includes(name), s);
        expect(e, name).not.toBeNull();
        return [e!.key, e!.value];
      }),
    );
    expect(back).toEqual(pico);
  });

  it.each([
    ["an optional field without the null Picoschema adds", { type: "string" }, true],
    ["a keyword Picoschema has no word for", { type: "array", items: { type: "string" }, minItems: 1 }, false],
    ["an object the parser would close", { type: "object", properties: { a: { type: "string" } } }, false],
    ["a description on two lines", { type: "string", description: "a\nb" }, false],
    ["a key description with a parenthesis", { enum: ["a"], description: "one (a)" }, false],
  ])("none for %s", (_, schema, optional) => {
    expect(picoEntry("x", optional as boolean, schema)).toBeNull();
  });
});
