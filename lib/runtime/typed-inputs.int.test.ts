// Typed inputs against a real database: a Dotprompt file with arrays of objects, enums and
// optional fields is imported, promoted and resolved; resolve refuses a value its schema refuses, naming the
// path, and renders one that fits; the stored version exports back to the same schema and renders the same
// in the dotprompt library; a schema Ajv cannot compile is refused where versions are written, writing nothing.
import { picoschema } from "dotprompt";
import { Dotprompt } from "dotprompt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { libraryRender } from "../registry/formats/formats.fixture";
import { exportVersionFile, importVersionFile } from "../registry/formats/version-files";
import { createPrompt, findPrompt } from "../registry/prompts";
import { promoteVersion } from "../release/promote";
import { loadResolved } from "./load";
import { renderResolved } from "./resolve";
import { textPrompt } from "../../test/contents";

let t: TestDatabase;
let f: Fixture;

const source = `---
model: openai/gpt-4o-mini
input:
  schema:
    customer(object):
      name: string
      tier(enum): [free, pro]
    orders(array, the recent orders):
      id: string
      total: number
      note?: string
    tone?(enum): [formal, casual]
---
{{customer.name}} ({{customer.tier}}), {{tone}}:
{{#each orders}}{{id}} {{total}} {{note}};{{/each}}
`;
const good = {
  customer: { name: "Ada", tier: "pro" },
  orders: [
    { id: "A1", total: 12.5, note: "gift" },
    { id: "B2", total: 3 },
  ],
  tone: "formal",
};

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "typed-inputs");
  const r = await importVersionFile(f.ctx(f.editor), { format: "dotprompt", name: "typed/orders", source });
  expect(r.warnings ?? []).toEqual([]);
  await promoteVersion(f.ctx(f.approver), "typed/orders", { environment: "staging", version: 1 });
});
afterAll(async () => {
  await t.drop();
});

describe("resolve checks a value against its variable's schema", () => {
  it("renders a value that fits", async () => {
    const resolved = await loadResolved(t.db, f.projectId, "typed/orders", "staging");
    expect(renderResolved(resolved, good).rendered).toBe("Ada (pro), formal:\nA1 12.5 gift;B2 3 ;");
  });

  it.each([
    [{ ...good, orders: [good.orders[0], { id: "B2", total: "3" }] }, "orders[1].total", "must be number"],
    [{ ...good, customer: { name: "Ada" } }, "customer.tier", "is required"],
    [{ ...good, tone: "rude" }, "tone", 'must be one of ["formal","casual",null]'],
  ])("refuses %j at %s, with the code a wrong type gets", async (values, path, problem) => {
    const resolved = await loadResolved(t.db, f.projectId, "typed/orders", "staging");
    let error: unknown;
    try {
      renderResolved(resolved, values);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: "invalid_variables",
      message: `Invalid variables: ${path} ${problem}`,
      details: { invalid: [expect.objectContaining({ path, problem })] },
    });
  });
});

describe("the stored version as a Dotprompt file", () => {
  it("has the same input schema as the source and renders the same in the library", async () => {
    const { body } = await exportVersionFile(t.db, f.projectId, "typed/orders", "1", "dotprompt");
    const schemaOf = (file: string) => (new Dotprompt().parse(file).input as { schema?: unknown }).schema;
    expect(await picoschema(schemaOf(body))).toEqual(await picoschema(schemaOf(source)));
    const withoutNote = { ...good, tone: undefined, orders: [{ id: "C3", total: 1 }] };
    for (const values of [good, withoutNote])
      expect((await libraryRender(body, values)).messages).toEqual((await libraryRender(source, values)).messages);
  });
});

describe("a schema Ajv cannot compile", () => {
  it("is refused where the version is written, naming the field, and nothing is written", async () => {
    const e = await failure(
      createPrompt(
        f.ctx(f.editor),
        textPrompt("typed/broken", "{{#xs}}{{.}}{{/xs}}", {
          variables: [{ name: "xs", type: "json", schema: { type: "array", items: { type: "strang" } } }],
        }),
      ),
    );
    expect(e.code).toBe("invalid_input");
    expect(e.details).toMatchObject({ field: "variables.0.schema" });
    expect(e.message).toMatch(/^variable xs: schema is not valid JSON Schema/);
    expect(await findPrompt(t.db, f.projectId, "typed/broken")).toBeUndefined();
  });
});
