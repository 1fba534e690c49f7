import { describe, expect, it } from "vitest";
import { variableSchema, type Variable } from "../../lib/registry/content";
import { effectiveVariables, generateTypes } from "./typegen";

const v = (x: Record<string, unknown>): Variable => variableSchema.parse(x);

describe("generateTypes", () => {
  it.each<[string, Record<string, unknown>, string]>([
    ["a required string", { name: "a" }, "a: string;"],
    ["an optional number", { name: "a", type: "number", required: false }, "a?: number;"],
    ["a required boolean with a default is optional", { name: "a", type: "boolean", default: true }, "a?: boolean;"],
    ["json is unknown", { name: "a", type: "json" }, "a: unknown;"],
    ["an enumeration, when declared, is a union", { name: "a", enum: ["formal", "casual"] }, 'a: "formal" | "casual";'],
    [
      "a schema's enumeration too (its null left out)",
      { name: "a", required: false, schema: { enum: ["formal", "casual", null] } },
      'a?: "formal" | "casual";',
    ],
  ])("%s", (_what, variable, line) => {
    const text = generateTypes(
      [
        {
          name: "p",
          type: "text",
          variables: [{ ...v(variable), ...(variable.enum ? { enum: variable.enum as unknown[] } : {}) }],
        },
      ],
      [],
    );
    expect(text).toContain(`        ${line}`);
  });

  it("a chat placeholder takes a list of messages", () => {
    const text = generateTypes(
      [{ name: "p", type: "chat", variables: [v({ name: "q" })], placeholders: ["history"] }],
      [],
    );
    expect(text).toContain("        q: string;");
    expect(text).toContain(
      '        history: { role: "system" | "user" | "assistant" | "developer" | "tool"; content: string }[];',
    );
  });

  it("augments @lectern/sdk's PromptRegistry, names sorted and quoted, descriptions as doc comments", () => {
    const text = generateTypes(
      [
        {
          name: "support/reply",
          type: "chat",
          description: "Replies */ safely",
          variables: [v({ name: "q", description: "the question" })],
        },
        { name: "a-first", type: "text", variables: [] },
      ],
      ["Generated for a test."],
    );
    expect(text).toBe(
      [
        "// Generated for a test.",
        'import "@lectern/sdk";',
        "",
        'declare module "@lectern/sdk" {',
        "  interface PromptRegistry {",
        '    "a-first": {',
        '      type: "text";',
        "      variables: {};",
        "    };",
        "    /** Replies *\\/ safely */",
        '    "support/reply": {',
        '      type: "chat";',
        "      variables: {",
        "        /** the question */",
        "        q: string;",
        "      };",
        "    };",
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });
});

describe("effectiveVariables", () => {
  it("takes the prompt's own declaration first, then each partial's, first one winning (as render does)", () => {
    const own = [v({ name: "a", type: "number" })];
    const partials = [
      [v({ name: "a", type: "string" }), v({ name: "b" })],
      [v({ name: "b", type: "json" }), v({ name: "c", required: false })],
    ];
    expect(effectiveVariables(own, partials).map((x) => [x.name, x.type, x.required])).toEqual([
      ["a", "number", true],
      ["b", "string", true],
      ["c", "string", false],
    ]);
  });
});
