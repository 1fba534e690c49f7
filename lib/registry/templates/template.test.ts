import { describe, it, expect } from "vitest";
import { thrown } from "../../../test/thrown";
import { contentSchema, type ChatContent, type TextContent } from "../content";
import { renderContent, resolvePartialGraph, validateContent } from "./template";

const text = (template: string, variables: Record<string, unknown>[] = []) =>
  contentSchema.parse({ type: "text", template, variables }) as TextContent;
const chat = (messages: [string, string][], variables: Record<string, unknown>[] = []) =>
  contentSchema.parse({
    type: "chat",
    template: messages.map(([role, content]) => ({ role, content })),
    variables,
  }) as ChatContent;

describe("validateContent", () => {
  it("returns warnings for unused variables", () => {
    expect(validateContent(text("{{a}}", [{ name: "a" }, { name: "b" }]))).toEqual({
      warnings: ["Variable b is declared but never used"],
    });
  });

  it("names the chat message that does not parse", () => {
    const err = thrown(() =>
      validateContent(
        chat([
          ["system", "ok"],
          ["user", "{{#x}}"],
        ]),
      ),
    );
    expect(err.code).toBe("invalid_input");
    expect(err.details?.field).toBe("template.messages[1]");
  });

  it("rejects undeclared variables", () => {
    const err = thrown(() => validateContent(text("{{a}} {{b}} {{c}}", [{ name: "c" }, { name: "z" }])));
    expect(err.code).toBe("unprocessable");
    expect(err.message).toBe("Template uses undeclared variables: a, b");
    expect(err.details).toEqual({ field: "variables", undeclared: ["a", "b"], unused: ["z"] });
  });

  it("accepts variables declared by partials", () => {
    expect(
      validateContent(text("{{> p}} {{x}}"), {
        p: [contentSchema.parse({ type: "text", template: "", variables: [{ name: "x" }] }).variables[0]!],
      }),
    ).toEqual({ warnings: [] });
  });

  it.each(["a//b", "new", "x/"])("rejects partial name %s", (name) => {
    const err = thrown(() => validateContent(text(`{{> ${name}}}`)));
    expect(err.code).toBe("invalid_input");
    expect(err.message).toBe(`Partial name "${name}" is not a valid prompt name`);
  });

  it.each(["Header", "a.b", "My Prompt [v2]", "p|label=staging", "p|label=latest", "p|version=3"])(
    "accepts partial reference %s",
    (ref) => {
      expect(validateContent(text(`{{> ${ref}}}`))).toEqual({ warnings: [] });
    },
  );

  it.each(["p|version=0", "p|label=Prod", "p|tag=x", "p|label=a|version=2"])("rejects malformed pin %s", (ref) => {
    const err = thrown(() => validateContent(text(`{{> ${ref}}}`)));
    expect(err.code).toBe("invalid_input");
    expect(err.message).toMatch(/must be \{\{> name\}\}|is not a valid prompt name/);
  });
});

describe("renderContent", () => {
  it("renders text without HTML escaping", () => {
    const c = text("Hi {{name}} & {{{name}}}", [{ name: "name" }]);
    expect(renderContent(c, { name: "<Ann & Bo>" })).toEqual({ rendered: "Hi <Ann & Bo> & <Ann & Bo>", warnings: [] });
  });

  it("renders each chat message, keeping roles", () => {
    const c = chat(
      [
        ["system", "You are {{persona}}."],
        ["user", "{{question}}"],
      ],
      [{ name: "persona", default: "kind" }, { name: "question" }],
    );
    expect(renderContent(c, { question: "Why?" }).rendered).toEqual([
      { role: "system", content: "You are kind." },
      { role: "user", content: "Why?" },
    ]);
  });

  it("iterates json lists and renders json objects as JSON", () => {
    const c = text("{{#items}}- {{title}}\n{{/items}}{{meta}}", [
      { name: "items", type: "json" },
      { name: "meta", type: "json" },
    ]);
    expect(renderContent(c, { items: [{ title: "a" }, { title: "b" }], meta: { k: 1 } }).rendered).toBe(
      '- a\n- b\n{"k":1}',
    );
  });

  it("throws missing_variables listing every missing name", () => {
    const err = thrown(() =>
      renderContent(text("{{x}}{{y}}{{z}}", [{ name: "x" }, { name: "y" }, { name: "z", required: false }]), {}),
    );
    expect(err.code).toBe("missing_variables");
    expect(err.message).toBe("Missing required variables: x, y");
    expect(err.details).toEqual({ missing: ["x", "y"] });
  });

  it("throws invalid_variables for wrong types, without coercing", () => {
    const err = thrown(() => renderContent(text("{{n}}", [{ name: "n", type: "number" }]), { n: "3" }));
    expect(err.code).toBe("invalid_variables");
    expect(err.message).toBe("Invalid variables: n must be number, got string");
    expect(err.details).toEqual({ invalid: [{ name: "n", expected: "number", got: "string" }] });
  });

  it("warns about and ignores unknown values", () => {
    const r = renderContent(text("[{{x}}]", [{ name: "x", required: false }]), { x: undefined, secret: "s" });
    expect(r).toEqual({ rendered: "[]", warnings: ["Variable secret is not declared and was ignored"] });
  });

  it("does not leak Object.prototype through the view", () => {
    const c = text("[{{constructor}}]", [{ name: "constructor", required: false }]);
    expect(renderContent(c, {}).rendered).toBe("[]");
  });

  it("expands partials resolved from the graph and checks their variables", () => {
    const store = {
      page: text("{{> support/header}}\nBody for {{name}}", [{ name: "name" }]),
      "support/header": text("# {{title}} {{> brand}}", [{ name: "title" }]),
      brand: chat([
        ["system", "ACME"],
        ["user", "Inc"],
      ]),
    };
    const graph = resolvePartialGraph("page", (n) => store[n as keyof typeof store]);
    const opts = { partials: graph.partials, declared: graph.declared };
    // Mustache spec: a partial tag alone on its line replaces that whole line, newline included.
    expect(renderContent(store.page, { name: "Ann", title: "Help" }, opts).rendered).toBe(
      "# Help ACME\n\nInc\nBody for Ann",
    );
    expect(thrown(() => renderContent(store.page, { name: "Ann" }, opts)).details).toEqual({ missing: ["title"] });
  });

  it("refuses to render when a partial is missing from the map", () => {
    const err = thrown(() => renderContent(text("{{> footer}}"), {}));
    expect(err.code).toBe("unprocessable");
    expect(err.details).toEqual({ partial: "footer" });
  });

  it("refuses a cyclic partial map instead of overflowing the stack", () => {
    const err = thrown(() => renderContent(text("{{> a}}"), {}, { partials: { a: "{{> b}}", b: "{{> a}}" } }));
    expect(err.message).toBe("Partial cycle: a → b → a");
  });
});

describe("standalone partials keep their line", () => {
  it.each([
    ["A\n{{> tone}}\nB", "A\nBe kind.\nB"],
    ["A\n  {{> tone}}\nB", "A\n  Be kind.\nB"],
    ["X {{> tone}}\nB", "X Be kind.\nB"],
    ["A\n{{> tone}}", "A\nBe kind."],
  ])("%j renders as %j", (template, expected) => {
    const content = { type: "text" as const, template, variables: [], config: {}, examples: [] };
    expect(renderContent(content, {}, { partials: { tone: "Be kind." } }).rendered).toBe(expected);
  });
});
