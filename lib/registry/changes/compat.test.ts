import { describe, expect, it } from "vitest";
import { classifyChange, classifyDiff, mustBeSent, unconfirmed, type CompatKind } from "./compat";
import { contentSchema, type Content } from "../content";
import { diffContent } from "./diff";

type V = {
  name: string;
  type?: string;
  required?: boolean;
  default?: unknown;
  description?: string;
  schema?: Record<string, unknown>;
};
const text = (variables: V[] = [], extra: Record<string, unknown> = {}): Content =>
  contentSchema.parse({ type: "text", template: "Hi {{a}}", variables, ...extra });
const chat = (variables: V[] = []): Content =>
  contentSchema.parse({ type: "chat", template: [{ role: "user", content: "Hi {{a}}" }], variables });

const a = { name: "a", type: "string" };

/** [case, before, after, expected (kind, breaking) pairs in order] */
const cases: [string, Content, Content, [CompatKind, boolean][]][] = [
  ["nothing changed", text([a]), text([a]), []],
  // New variables.
  ["new required variable without a default", text([a]), text([a, { name: "order_id" }]), [["variable.added", true]]],
  ["new optional variable", text([a]), text([a, { name: "order_id", required: false }]), [["variable.added", false]]],
  [
    "new required variable with a default",
    text([a]),
    text([a, { name: "order_id", default: "n/a" }]),
    [["variable.added", false]],
  ],
  [
    "new optional number with a default",
    text([a]),
    text([a, { name: "n", type: "number", required: false, default: 3 }]),
    [["variable.added", false]],
  ],
  // Removed and retyped.
  ["removed variable", text([a, { name: "b" }]), text([a]), [["variable.removed", true]]],
  ["removed optional variable", text([a, { name: "b", required: false }]), text([a]), [["variable.removed", true]]],
  [
    "retyped string → number",
    text([a, { name: "n", type: "string" }]),
    text([a, { name: "n", type: "number" }]),
    [["variable.retyped", true]],
  ],
  [
    "retyped json → string",
    text([a, { name: "n", type: "json" }]),
    text([a, { name: "n", type: "string" }]),
    [["variable.retyped", true]],
  ],
  [
    "widened number → json",
    text([a, { name: "n", type: "number" }]),
    text([a, { name: "n", type: "json" }]),
    [["variable.retyped", false]],
  ],
  [
    "retyped optional boolean → string",
    text([a, { name: "f", type: "boolean", required: false }]),
    text([a, { name: "f", type: "string", required: false }]),
    [["variable.retyped", true]],
  ],
  // Required-ness and defaults.
  [
    "optional → required",
    text([a, { name: "b", required: false }]),
    text([a, { name: "b", required: true }]),
    [["variable.required", true]],
  ],
  [
    "default removed from a required variable",
    text([a, { name: "b", default: "x" }]),
    text([a, { name: "b" }]),
    [["variable.required", true]],
  ],
  [
    "required → optional",
    text([a, { name: "b" }]),
    text([a, { name: "b", required: false }]),
    [["variable.optional", false]],
  ],
  [
    "default added to a required variable",
    text([a, { name: "b" }]),
    text([a, { name: "b", default: "x" }]),
    [["variable.optional", false]],
  ],
  [
    "required flag flipped on a variable with a default",
    text([a, { name: "b", default: "x" }]),
    text([a, { name: "b", required: false, default: "x" }]),
    [["variable.optional", false]],
  ],
  [
    "default changed",
    text([a, { name: "b", default: "x" }]),
    text([a, { name: "b", default: "y" }]),
    [["variable.default", false]],
  ],
  [
    "default removed from an optional variable",
    text([a, { name: "b", required: false, default: "x" }]),
    text([a, { name: "b", required: false }]),
    [["variable.default", false]],
  ],
  [
    "description changed",
    text([a]),
    text([{ ...a, description: "The customer's first name" }]),
    [["variable.description", false]],
  ],
  ["schema added", text([a]), text([{ ...a, schema: { enum: ["x", "y"] } }]), [["variable.schema", true]]],
  [
    "schema changed",
    text([{ ...a, schema: { enum: ["x"] } }]),
    text([{ ...a, schema: { enum: ["y"] } }]),
    [["variable.schema", true]],
  ],
  ["schema removed", text([{ ...a, schema: { enum: ["x"] } }]), text([a]), [["variable.schema", false]]],
  // Shape, response format, tools, settings.
  ["text → chat", text([a]), chat([a]), [["type", true]]],
  ["chat → text", chat([a]), text([a]), [["type", true]]],
  [
    "response format added",
    text([a]),
    text([a], { config: { responseFormat: { type: "json_object" } } }),
    [["response-format", true]],
  ],
  [
    "response schema changed deep inside",
    text([a], {
      config: { responseFormat: { type: "json_schema", schema: { properties: { x: { type: "string" } } } } },
    }),
    text([a], {
      config: { responseFormat: { type: "json_schema", schema: { properties: { x: { type: "number" } } } } },
    }),
    [["response-format", true]],
  ],
  [
    "response format removed",
    text([a], { config: { responseFormat: { type: "json_object" } } }),
    text([a]),
    [["response-format", true]],
  ],
  [
    "tools changed",
    text([a]),
    text([a], { config: { tools: [{ type: "function", function: { name: "lookup" } }] } }),
    [["tools", true]],
  ],
  [
    "temperature changed",
    text([a], { config: { temperature: 0.7 } }),
    text([a], { config: { temperature: 0.2 } }),
    [["config", false]],
  ],
  [
    "template text edited",
    text([a]),
    contentSchema.parse({ type: "text", template: "Hello {{a}}", variables: [a] }),
    [["template", false]],
  ],
  ["examples edited", text([a]), text([a], { examples: [{ input: { a: "x" }, output: "y" }] }), [["examples", false]]],
];

describe("classifyChange", () => {
  it.each(cases)("%s", (_, before, after, expected) => {
    const r = classifyChange(before, after);
    const all = [...r.breaking, ...r.compatible];
    expect(all.map((c) => [c.kind, c.breaking])).toEqual(expect.arrayContaining(expected));
    expect(all).toHaveLength(expected.length);
    expect(r.breaking.every((c) => c.breaking && c.impact)).toBe(true);
    expect(r.compatible.every((c) => !c.breaking)).toBe(true);
  });

  it("treats a first release (nothing live) as breaking no one", () => {
    expect(classifyChange(null, text([a, { name: "order_id" }]))).toEqual({ breaking: [], compatible: [] });
  });

  it("keeps several changes apart, each with its own stable key", () => {
    const r = classifyChange(
      text([a, { name: "gone" }]),
      chat([a, { name: "order_id" }, { name: "note", required: false }]),
    );
    expect(r.breaking.map((c) => c.key).sort()).toEqual(["type", "variable.added:order_id", "variable.removed:gone"]);
    expect(r.compatible.map((c) => c.key)).toEqual(["variable.added:note"]);
  });

  it("names the variable, its type and what callers will see", () => {
    const [c] = classifyChange(text([a]), text([a, { name: "order_id" }])).breaking;
    expect(c).toMatchObject({
      subject: "order_id",
      fix: "make-optional",
      message: "New required variable order_id (string) without a default.",
    });
    expect(c!.impact).toContain("422");
  });

  it("suggests adding the default back when a default was removed", () => {
    const [c] = classifyChange(text([a, { name: "b", default: "x" }]), text([a, { name: "b" }])).breaking;
    expect(c?.fix).toBe("add-default");
  });

  it("classifies a stored diff the same way as the two contents", () => {
    const before = text([a, { name: "b", type: "number" }]);
    const after = text([a, { name: "b", type: "string" }, { name: "c" }]);
    expect(classifyDiff(diffContent(before, after))).toEqual(classifyChange(before, after));
  });
});

describe("unconfirmed", () => {
  const r = classifyChange(text([a, { name: "gone" }]), text([a, { name: "order_id" }]));
  it.each([
    [[], ["variable.added:order_id", "variable.removed:gone"]],
    [["variable.added:order_id"], ["variable.removed:gone"]],
    [["variable.added:order_id", "variable.removed:gone"], []],
    [
      ["variable.added:other", "type"],
      ["variable.added:order_id", "variable.removed:gone"],
    ],
    [true, []],
    [false, ["variable.added:order_id", "variable.removed:gone"]],
  ])("confirmed %j leaves %j", (confirmed: boolean | string[], left: string[]) => {
    expect(
      unconfirmed(r.breaking, confirmed)
        .map((c) => c.key)
        .sort(),
    ).toEqual(left);
  });
});

describe("mustBeSent", () => {
  it.each([
    [{ required: true }, true],
    [{ required: true, default: "" }, false],
    [{ required: true, default: null }, false],
    [{ required: false }, false],
  ])("%j → %s", (v, expected) => expect(mustBeSent(v)).toBe(expected));
});
