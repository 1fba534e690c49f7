import { describe, it, expect } from "vitest";
import Mustache from "mustache";
import { thrown } from "../../../test/thrown";
import { analyzeTemplate, parseTemplate, renderText, stringifyValue } from "./template-syntax";

const parseFailure = (text: string, field?: string) => thrown(() => parseTemplate(text, field));

describe("parseTemplate", () => {
  it("tokenizes a valid template", () => {
    expect(parseTemplate("Hello {{name}}").map((t) => [t[0], t[1]])).toEqual([
      ["text", "Hello "],
      ["name", "name"],
    ]);
  });

  it.each([
    ["Hi {{name", "Unclosed tag at 9", 1, 10],
    ["line one\n{{/items}}", 'Unopened section "items" at 9', 2, 1],
    ["a\nb\n  {{#items}}x", 'Unclosed section "items" at 17', 3, 14],
    ["{{#a}}{{/b}}", 'Unclosed section "a" at 6', 1, 7],
  ])("reports %j as invalid_input with line and column", (text, reason, line, column) => {
    const err = parseFailure(text, "template.messages[1]");
    expect(err.code).toBe("invalid_input");
    expect(err.message).toBe(`Template does not parse: ${reason}`);
    expect(err.details).toEqual({ field: "template.messages[1]", line, column });
  });

  it("defaults the field to template", () => {
    expect(parseFailure("{{x").details?.field).toBe("template");
  });

  it("rejects delimiter changes, even nested in sections", () => {
    const err = parseFailure("{{#a}}\n{{=<% %>=}}<% x %><%/a%>");
    expect(err.message).toBe("Template does not parse: changing delimiters with {{=…=}} is not supported");
    expect(err.details).toMatchObject({ line: 2, column: 1 });
  });

  it("uses default tags even if someone changed Mustache's global tags", () => {
    const saved = Mustache.tags;
    Mustache.tags = ["<%", "%>"];
    try {
      expect(parseTemplate("{{x}}").map((t) => t[0])).toEqual(["name"]);
    } finally {
      Mustache.tags = saved;
    }
  });
});

describe("analyzeTemplate", () => {
  it.each([
    ["{{a}} {{{b}}} {{& c}}", ["a", "b", "c"], [], [], []],
    ["{{user.name}} {{user.email}}", ["user"], [], [], []],
    ["{{#items}}{{title}} {{.}}{{/items}}", ["items"], ["title"], [], ["items"]],
    ["{{^items}}none {{fallback}}{{/items}}", ["items", "fallback"], [], [], ["items"]],
    ["{{#a}}{{#b}}{{c}}{{/b}}{{/a}}", ["a"], ["b", "c"], [], ["a", "b"]],
    ["{{#items}}{{x}}{{/items}} {{x}}", ["items", "x"], [], [], ["items"]],
    ["{{> header}} {{>support/footer}} {{> header}}", [], [], ["header", "support/footer"], []],
    ["{{! a comment {{ignored}} }}plain", [], [], [], []],
    ["{{#.}}{{.}}{{/.}}", [], [], [], []],
  ])("%j", (text, topLevel, inSections, partials, sections) => {
    expect(analyzeTemplate(text)).toEqual({ variables: { topLevel, inSections }, partials, sections });
  });
});

describe("renderText", () => {
  it("does not HTML-escape", () => {
    expect(renderText("{{x}}|{{{x}}}", { x: `<b>"Tom" & 'Jerry'</b>` }, () => undefined)).toBe(
      `<b>"Tom" & 'Jerry'</b>|<b>"Tom" & 'Jerry'</b>`,
    );
  });

  it("leaves Mustache's global escape function alone", () => {
    renderText("{{x}}", { x: "<" }, () => undefined);
    expect(Mustache.render("{{x}}", { x: "<" })).toBe("&lt;");
  });

  it("renders objects as JSON in every tag form", () => {
    const view = { o: { a: [1, 2] }, n: 0, b: false, z: null };
    expect(renderText("{{o}} {{{o}}} {{&o}} {{n}} {{b}} [{{z}}]", view, () => undefined)).toBe(
      '{"a":[1,2]} {"a":[1,2]} {"a":[1,2]} 0 false []',
    );
  });

  it("expands partials through the lookup function", () => {
    const partials: Record<string, string> = { "a/b": "Hi {{name}}" };
    expect(renderText("{{> a/b}}!", { name: "Ann" }, (n) => partials[n])).toBe("Hi Ann!");
  });
});

describe("stringifyValue", () => {
  it.each([
    ["s", "s"],
    [1.5, "1.5"],
    [true, "true"],
    [[1, "a"], '[1,"a"]'],
  ])("%o → %s", (value, text) => {
    expect(stringifyValue(value)).toBe(text);
  });
});
