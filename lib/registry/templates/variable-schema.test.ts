// A variable's JSON Schema: what a save accepts and refuses, and what resolve says about a value that does
// not fit (the path that failed).
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors";
import { parseContent } from "../content";
import { schemaSummary } from "./schema-shape";
import { renderContent } from "./template";
import { checkVariableSchemas, maxSchemaChars, schemaValueProblem, variableSchemaProblem } from "./variable-schema";

const orders = {
  type: "array",
  items: {
    type: "object",
    properties: { id: { type: "string" }, total: { type: "number" }, kind: { enum: ["gift", "plain"] } },
    required: ["id", "total"],
    additionalProperties: false,
  },
};

describe("schemaValueProblem", () => {
  it.each([
    [[{ id: "a", total: 1 }], null],
    [
      [
        { id: "a", total: 1 },
        { id: "b", total: "2" },
      ],
      { path: "orders[1].total", message: "must be number" },
    ],
    [[{ id: "a" }], { path: "orders[0].total", message: "is required" }],
    [[{ id: "a", total: 1, kind: "big" }], { path: "orders[0].kind", message: 'must be one of ["gift","plain"]' }],
    [
      [{ id: "a", total: 1, extra: true }],
      { path: "orders[0]", message: "has extra, which the schema does not allow" },
    ],
    [{ id: "a" }, { path: "orders", message: "must be array" }],
  ])("%j → %j", (value, problem) => {
    expect(schemaValueProblem("orders", orders, value)).toEqual(problem);
  });
});

describe("variableSchemaProblem", () => {
  it("accepts what Picoschema and plain JSON Schema write", () => {
    expect(variableSchemaProblem(orders)).toBeNull();
    expect(variableSchemaProblem({ type: ["string", "null"], enum: ["a", null] })).toBeNull();
    expect(variableSchemaProblem({ type: "string", pattern: "^(a+)+$" })).toBeNull(); // linear-time engine
  });

  it.each([
    [[1], "schema must be a JSON Schema object"],
    [{ $ref: "https://example.com/s.json" }, "keyword $ref is not supported (no references)"],
    [{ type: "object", properties: { a: { $ref: "#/x" } } }, "schema at properties.a: keyword $ref"],
    [{ type: "array", uniqueItems: true }, "keyword uniqueItems is not supported"],
    [
      { type: "object", properties: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, {}])) },
      "more than 100 subschemas",
    ],
    [{ type: "strang" }, "schema is not valid JSON Schema"],
    [{ type: "string", pattern: "(a)\\1" }, "schema is not valid JSON Schema: pattern"],
    [{ description: "x".repeat(maxSchemaChars) }, `at most ${maxSchemaChars} characters`],
    [JSON.parse(`${'{"items":'.repeat(12)}{}${"}".repeat(12)}`), "deeper than 10 levels"],
  ])("refuses %j", (schema, message) => {
    expect(variableSchemaProblem(schema)).toContain(message);
  });
});

describe("a version's variable with a schema", () => {
  const content = (extra: Record<string, unknown> = {}) =>
    parseContent({
      type: "text",
      template: "{{#orders}}{{id}} {{/orders}}",
      variables: [{ name: "orders", type: "json", schema: orders, ...extra }],
    });

  it("is refused on save when its schema or its default does not hold", () => {
    // The shape, in the content schema (the editor's check too); Ajv's compile and the default where versions are written.
    expect(() => content({ schema: { $ref: "#/a" } })).toThrow(/variable orders: schema: keyword \$ref/);
    expect(() => checkVariableSchemas(content({ default: [{ id: 1, total: 1 }] }).variables)).toThrow(
      /default of variable orders does not fit its schema: orders\[0\]\.id must be string/,
    );
    expect(() => checkVariableSchemas(content({ schema: { type: "strang" } }).variables)).toThrow(
      /variable orders: schema is not valid JSON Schema/,
    );
    expect(() => checkVariableSchemas(content({ default: [] }).variables)).not.toThrow();
    expect(() =>
      parseContent({ type: "text", template: "x", variables: [{ name: "p", type: "image", schema: {} }] }),
    ).toThrow(/an image variable has no schema/);
  });

  it("renders a value that fits; refuses one that does not with invalid_variables naming the path", () => {
    const c = content();
    const check = { checkSchema: schemaValueProblem };
    expect(renderContent(c, { orders: [{ id: "a", total: 1 }] }, check).rendered).toBe("a ");
    let error: unknown;
    try {
      renderContent(c, { orders: [{ id: "a", total: "1" }] }, check);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_variables");
    expect((error as AppError).message).toBe("Invalid variables: orders[0].total must be number");
    expect((error as AppError).details).toEqual({
      invalid: [
        {
          name: "orders",
          expected: "json",
          got: "a value its schema refuses",
          path: "orders[0].total",
          problem: "must be number",
        },
      ],
    });
    // Without the check (the SDK's render), types only.
    expect(renderContent(c, { orders: [{ id: "a", total: "1" }] }).rendered).toBe("a ");
  });
});

describe("schemaSummary (the editor's words for a schema)", () => {
  it.each([
    [orders, "array of objects (id, total, kind?)"],
    [{ type: ["array", "null"], items: { type: "string" } }, "array of strings"],
    [{ enum: ["free", "pro", null] }, "one of free, pro"],
    [{ type: "integer" }, "integer"],
    [{ type: "object", properties: { a: { type: "string" } }, required: ["a"] }, "object (a)"],
  ])("%j → %s", (schema, words) => {
    expect(schemaSummary(schema)).toBe(words);
  });
});
