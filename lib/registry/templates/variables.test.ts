import { describe, it, expect } from "vitest";
import { chat } from "../../../test/contents";
import { contentSchema, variableSchema, type Variable } from "../content";
import { checkVariables, coerceVariables } from "./variables";

const vars = (...defs: Record<string, unknown>[]): Variable[] => defs.map((d) => variableSchema.parse(d));

describe("coerceVariables", () => {
  const declared = vars(
    { name: "s" },
    { name: "n", type: "number", required: false },
    { name: "b", type: "boolean", default: false },
    { name: "j", type: "json", required: false },
    { name: "tone", default: "friendly" },
  );

  it("applies defaults and passes valid values through", () => {
    const r = coerceVariables(declared, { s: "x", n: 2, j: { a: [1] } });
    expect({ ...r.values }).toEqual({ s: "x", n: 2, b: false, j: { a: [1] }, tone: "friendly" });
    expect(r).toMatchObject({ missing: [], invalid: [], unknown: [] });
  });

  it("lets a supplied value override the default", () => {
    expect(coerceVariables(declared, { s: "x", tone: "formal" }).values.tone).toBe("formal");
  });

  it("reports required variables without value or default as missing", () => {
    expect(coerceVariables(declared, {}).missing).toEqual(["s"]);
    expect(coerceVariables(declared, { s: undefined }).missing).toEqual(["s"]);
  });

  it.each([
    ["s", 1, "string", "number"],
    ["s", null, "string", "null"],
    ["n", "3", "number", "string"],
    ["n", Number.NaN, "number", "NaN"],
    ["b", "true", "boolean", "string"],
    ["j", () => 1, "json", "function"],
  ])("rejects %s = %o (expected %s, got %s), without coercing", (name, value, expected, got) => {
    const r = coerceVariables(declared, { s: "ok", [name]: value });
    expect(r.invalid).toEqual([{ name, expected, got }]);
    expect(r.values[name]).toBeUndefined();
  });

  it.each([null, [1, 2], "text", 0, true])("accepts json value %o", (value) => {
    expect(coerceVariables(declared, { s: "x", j: value }).invalid).toEqual([]);
  });

  it("lists and drops unknown values", () => {
    const r = coerceVariables(declared, { s: "x", extra: 1, other: "y" });
    expect(r.unknown).toEqual(["extra", "other"]);
    expect("extra" in r.values).toBe(false);
  });

  it("builds values without a prototype", () => {
    const r = coerceVariables(vars({ name: "constructor", required: false }), {});
    expect(r.values.constructor).toBeUndefined();
  });
});

describe("checkVariables", () => {
  const text = (template: string, variables: Record<string, unknown>[] = []) =>
    contentSchema.parse({ type: "text", template, variables });

  it.each([
    ["all declared", "{{a}} {{b.c}}", [{ name: "a" }, { name: "b", type: "json" }], [], []],
    ["undeclared top level", "{{a}} {{b}} {{a}}", [], ["a", "b"], []],
    ["unused", "{{a}}", [{ name: "a" }, { name: "z" }], [], ["z"]],
    ["section name counts as use", "{{#show}}x{{/show}}", [{ name: "show", type: "boolean" }], [], []],
    ["inverted body is top level", "{{^show}}{{x}}{{/show}}", [{ name: "show", type: "boolean" }], ["x"], []],
    ["inner satisfied by json list", "{{#items}}{{title}}{{/items}}", [{ name: "items", type: "json" }], [], []],
    [
      "inner not satisfied by non-json section",
      "{{#show}}{{title}}{{/show}}",
      [{ name: "show", type: "boolean" }],
      ["title"],
      [],
    ],
    [
      "nested inner satisfied by outer json",
      "{{#users}}{{#addresses}}{{street}}{{/addresses}}{{/users}}",
      [{ name: "users", type: "json" }],
      [],
      [],
    ],
    ["inner declared directly", "{{#show}}{{title}}{{/show}}", [{ name: "show" }, { name: "title" }], [], []],
    ["undeclared section and inner", "{{#items}}{{title}}{{/items}}", [], ["items", "title"], []],
  ])("%s", (_label, template, variables, undeclared, unused) => {
    expect(checkVariables(text(template, variables))).toEqual({ undeclared, unused });
  });

  it("counts partial declarations as declared, and as a use of same-named variables", () => {
    const c = text("{{> greet}} {{tone}}", [{ name: "name" }, { name: "extra" }]);
    const partialDeclared = { greet: vars({ name: "name" }, { name: "tone" }) };
    expect(checkVariables(c, partialDeclared)).toEqual({ undeclared: [], unused: ["extra"] });
  });

  it("checks every chat message", () => {
    const c = chat(
      [
        ["system", "{{a}}"],
        ["user", "{{b}}"],
      ],
      { variables: [{ name: "a" }] },
    );
    expect(checkVariables(c).undeclared).toEqual(["b"]);
  });
});
