// What foreign-templates.ts refuses, by construct (the 422's details.construct), and the bounds that keep a
// hostile template cheap: linear reading, a length, a number of tags and a nesting depth.
import { describe, expect, it } from "vitest";
import { isAppError } from "../../errors";
import { maxTemplateChars } from "../content-model";
import {
  foreignLimits,
  fromForeignTemplate,
  fromForeignTemplates,
  toForeignTemplate,
  type ForeignTemplateFormat,
} from "./foreign-templates";
import { refusal } from "./formats.fixture";
import { refusalError } from "./ir";

const from: [ForeignTemplateFormat, string, string][] = [
  ["f-string", "Hi {user.name}", "attribute"],
  ["f-string", "Hi {items[0]}", "index"],
  ["f-string", "Hi {x!r}", "conversion"],
  ["f-string", "Hi {x:>10}", "format-spec"],
  ["f-string", "Hi {} and {0}", "positional"],
  ["f-string", "Hi { name }", "name"],
  ["f-string", "Hi {name", "unbalanced-brace"],
  ["f-string", "Hi name}", "unbalanced-brace"],
  ["f-string", "{{{x}}}", "literal-braces"],
  ["f-string", "{{{{", "literal-braces"],
  ["jinja2", "{{ name | upper }}", "filter"],
  ["jinja2", "{{ greet(name) }}", "call"],
  ["jinja2", "{{ items[0] }}", "index"],
  ["jinja2", "{{ a + b }}", "expression"],
  ["jinja2", "{{ 'it\\'s' }}", "literal"],
  ["jinja2", "{% set x = 1 %}", "set"],
  ["jinja2", "{% macro m() %}{% endmacro %}", "macro"],
  ["jinja2", "{% include 'x.txt' %}", "include"],
  ["jinja2", "{% extends 'base' %}", "extends"],
  ["jinja2", "{% raw %}{{ x }}{% endraw %}", "raw"],
  ["jinja2", "{% for i in xs %}{{ loop.index }}{% endfor %}", "loop-variable"],
  ["jinja2", "{{ loop.index }}", "loop-variable"],
  ["jinja2", "{% for i in xs %}{% for j in i.ys %}{% endfor %}{% endfor %}", "nested-loop"],
  ["jinja2", "{% for i in xs %}{{ name }}{% endfor %}{{ name }}", "ambiguous-name"],
  ["jinja2", "{% for i in xs %}{{ i.name }}{% endfor %}{{ name }}", "ambiguous-name"],
  ["jinja2", "{% for i in xs if i %}{% endfor %}", "loop-filter"],
  ["jinja2", "{% for i in xs %}{% if i.ok %}y{% endif %}{% endfor %}", "condition"],
  ["jinja2", "{% if user.admin %}y{% endif %}", "condition"],
  ["jinja2", "{% if xs %}y{% endif %}{% for x in xs %}{% endfor %}", "condition"],
  ["jinja2", "{% if a and b %}y{% endif %}", "expression"],
  ["jinja2", "{% if a %}y", "syntax"],
  ["jinja2", "{% endif %}", "syntax"],
  ["jinja2", "{{ x ", "syntax"],
  ["jinja2", "  {% if a %}\nb{% endif %}", "whitespace"],
  ["jinja2", "{{+ x }}", "whitespace-control"],
  ["jinja2", '{{ "{{" }}', "literal-braces"],
  ["mustache", "{{> footer}}", "partial"],
  ["mustache", "{{=<% %>=}}", "set-delimiters"],
  ["mustache", "{{#a}}", "syntax"],
  ["mustache", "{{.}}", "current-context"],
  ["mustache", "{{first-name}}", "name"],
];

describe("refuses what it cannot carry exactly, naming the construct", () => {
  for (const [format, source, construct] of from)
    it(`${format}: ${source}`, () =>
      expect(refusal(() => fromForeignTemplate(source, format)).construct).toBe(construct));
});

const to: [ForeignTemplateFormat, string, string][] = [
  ["f-string", "{{#a}}x{{/a}}", "section"],
  ["f-string", "{{user.name}}", "attribute"],
  ["f-string", "{{> footer}}", "partial"],
  ["jinja2", "{{#items}}{{name}}{{/items}}", "section"],
  ["jinja2", "{{first-name}}", "name"],
  ["jinja2", "{{.}}", "current-context"],
  ["mustache", "{{> footer}}", "partial"],
];

describe("refuses writing what another syntax cannot say", () => {
  for (const [format, source, construct] of to)
    it(`${format}: ${source}`, () =>
      expect(
        refusal(() => toForeignTemplate(source, format, "template", [{ name: "items", type: "json" }])).construct,
      ).toBe(construct));
});

it("answers a refusal as a 422 naming the construct and the message it sits in", () => {
  const e = refusal(() =>
    fromForeignTemplates(
      [
        { text: "fine {a}", field: "template.messages[0]" },
        { text: "{b:>3}", field: "template.messages[1]" },
      ],
      "f-string",
    ),
  );
  const err = refusalError(e, "f-string");
  expect(isAppError(err) && [err.code, err.details]).toEqual([
    "unprocessable",
    { construct: "format-spec", field: "template.messages[1]", format: "f-string" },
  ]);
});

describe("hostile templates are read in linear time within bounds", () => {
  const fast = (run: () => unknown) => {
    const t = performance.now();
    const e = refusal(run);
    expect(performance.now() - t).toBeLessThan(1_000);
    return e.construct;
  };
  it("a template longer than Lectern's", () =>
    expect(fast(() => fromForeignTemplate("x".repeat(maxTemplateChars + 1), "jinja2"))).toBe("max-chars"));
  it("too many tags", () =>
    expect(fast(() => fromForeignTemplate("{x}".repeat(foreignLimits.tags + 1), "f-string"))).toBe("max-tags"));
  it("nesting too deep", () =>
    expect(fast(() => fromForeignTemplate("{% if a %}".repeat(foreignLimits.depth + 1), "jinja2"))).toBe("max-depth"));
  it("deep Mustache sections", () =>
    expect(fast(() => fromForeignTemplate("{{#a}}".repeat(5_000) + "{{/a}}".repeat(5_000), "mustache"))).toBe(
      "max-depth",
    ));
  it("unclosed openers all the way", () => {
    expect(fast(() => fromForeignTemplate("{{".repeat(99_000), "jinja2"))).toBe("syntax");
    expect(fast(() => fromForeignTemplate("{a".repeat(99_000), "f-string"))).toBe("unbalanced-brace");
    expect(fast(() => fromForeignTemplate("{% if x %}{{ x }}".repeat(5_000), "jinja2"))).toBe("max-depth");
  });
  it("many tags within bounds convert quickly", () => {
    const t = performance.now();
    expect(fromForeignTemplate("{{ a }} ".repeat(15_000), "jinja2").length).toBeGreaterThan(0);
    expect(fromForeignTemplate("{a} ".repeat(15_000), "f-string").length).toBeGreaterThan(0);
    expect(performance.now() - t).toBeLessThan(3_000);
  });
});
