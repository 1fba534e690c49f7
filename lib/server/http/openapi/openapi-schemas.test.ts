// zod writes a schema it meets again inside itself as `$defs` and `$ref: "#/$defs/…"` (or "#") on that schema's root,
// which inside an OpenAPI document point at nothing. SchemaComponents moves every definition into components/schemas
// under a name of its own and points every reference there; the whole document is checked in openapi.test.ts.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SchemaComponents } from "./openapi-schemas";

type Tree = { name: string; children: Tree[] };
const tree: z.ZodType<Tree> = z.object({
  name: z.string(),
  get children() {
    return z.array(tree);
  },
});

describe("SchemaComponents", () => {
  it("hoists a recursive schema's definition into a component, once however often it is met", () => {
    const c = new SchemaComponents();
    const a = c.add(z.object({ left: tree, right: tree }), "input", "MakeForestRequest");
    expect(a).toEqual({
      type: "object",
      properties: {
        left: { $ref: "#/components/schemas/MakeForestRequestLeft" },
        right: { $ref: "#/components/schemas/MakeForestRequestLeft" },
      },
      required: ["left", "right"],
    });
    const b = c.add(z.object({ root: tree }), "input", "PlantTreeRequest");
    expect(c.resolve(b as never)).toMatchObject({
      properties: { root: { $ref: "#/components/schemas/MakeForestRequestLeft" } },
    });
    const components = c.components();
    expect(Object.keys(components)).toEqual(["MakeForestRequestLeft"]);
    expect(JSON.stringify(components)).not.toContain("$defs");
    expect(components.MakeForestRequestLeft).toMatchObject({
      properties: { children: { type: "array", items: { $ref: "#/components/schemas/MakeForestRequestLeft" } } },
    });
  });

  it("a schema that refers to itself as a whole (#) becomes a component the operation refers to", () => {
    const c = new SchemaComponents();
    expect(c.add(tree, "input", "PlantRequest")).toEqual({ $ref: "#/components/schemas/PlantRequest" });
    expect(c.components().PlantRequest).toMatchObject({
      properties: { children: { items: { $ref: "#/components/schemas/PlantRequest" } } },
    });
  });

  it("keeps two schemas' same-named definitions apart (zod numbers each schema's from __schema0)", () => {
    const c = new SchemaComponents();
    type List = { value: number; next?: List };
    const list: z.ZodType<List> = z.object({
      value: z.number(),
      get next() {
        return list.optional();
      },
    });
    const allOf = { allOf: [z.toJSONSchema(z.object({ t: tree })), z.toJSONSchema(z.object({ l: list }))] };
    const out = c.add(allOf, "input", "Both") as { allOf: { properties: Record<string, { $ref: string }> }[] };
    const [t, l] = [out.allOf[0]!.properties.t!.$ref, out.allOf[1]!.properties.l!.$ref];
    expect(t).not.toBe(l);
    const components = c.components();
    expect(components[t.split("/").at(-1)!]).toMatchObject({ properties: { children: expect.anything() } });
    expect(components[l.split("/").at(-1)!]).toMatchObject({ properties: { next: expect.anything() } });
  });

  it("names a definition by its id when the schema has one", () => {
    const c = new SchemaComponents();
    const label = z.object({ text: z.string() }).meta({ id: "label" });
    c.add(z.object({ a: label, b: label }), "output", "X");
    expect(Object.keys(c.components())).toEqual(["Label"]);
  });

  it("writes z.json() as any JSON value ({}), which it is", () => {
    const c = new SchemaComponents();
    expect(c.add(z.object({ input: z.json() }), "input", "X")).toMatchObject({ properties: { input: {} } });
    expect(c.components()).toEqual({});
  });

  it("leaves properties named like keywords ($schema, $ref) alone", () => {
    const c = new SchemaComponents();
    const out = c.add(z.object({ $schema: z.string(), $ref: z.string() }), "output", "X");
    expect(out).toEqual({
      type: "object",
      properties: { $schema: { type: "string" }, $ref: { type: "string" } },
      required: ["$schema", "$ref"],
      additionalProperties: false,
    });
  });

  it("refuses a reference it cannot place, naming where it is", () => {
    const c = new SchemaComponents();
    expect(() => c.add({ properties: { a: { $ref: "#/$defs/nowhere" } } }, "input", "X")).toThrow(
      "the reference #/$defs/nowhere at properties/a resolves to nothing",
    );
  });
});

describe("SchemaComponents, a schema read and written", () => {
  it("keeps its input and output forms apart when they differ", () => {
    const c = new SchemaComponents();
    c.add(z.object({ t: tree }), "input", "In");
    c.add(z.object({ t: tree }), "output", "Out");
    const components = c.components();
    expect(Object.keys(components)).toEqual(["InT", "OutT"]);
    expect(components.OutT).toMatchObject({ additionalProperties: false });
    expect(components.InT).not.toHaveProperty("additionalProperties");
  });
});
