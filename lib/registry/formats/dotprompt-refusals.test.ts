// What one side cannot carry is refused, naming the construct — never dropped.
import { describe, expect, it } from "vitest";
import { parseContent, type ContentInput, type Variable } from "../content";
import { toDotprompt } from "./dotprompt-export";
import { fromDotprompt } from "./dotprompt-import";
import { refusal } from "./formats.fixture";
import { FormatRefusal } from "./ir";

const v = (name: string, type: Variable["type"] = "string") => ({ name, type });

const exportOf = (content: ContentInput, partials: Record<string, string> = {}) =>
  toDotprompt({
    name: "p",
    description: "",
    content: parseContent(content),
    partials: (ref) =>
      ref in partials
        ? { text: partials[ref]! }
        : ref === "chatty"
          ? { problem: "chatty is a chat prompt" }
          : undefined,
  });

describe("export refuses what Dotprompt cannot carry", () => {
  it.each([
    ["developer role", { type: "chat", template: [{ role: "developer", content: "x" }] }, "role", /role developer/],
    [
      "two placeholders",
      {
        type: "chat",
        template: [
          { type: "placeholder", name: "a" },
          { type: "placeholder", name: "b" },
        ],
      },
      "placeholders",
      /one \{\{history\}\}/,
    ],
    ["tools", { type: "text", template: "x", config: { tools: [{ name: "lookup" }] } }, "tools", /config\.tools/],
    ["a pinned partial", { type: "text", template: "{{> tone|label=staging}}" }, "pinned-partial", /pins a label/],
    ["a chat prompt as a partial", { type: "text", template: "{{> chatty}}" }, "partial", /chatty is a chat prompt/],
    [
      "a variable read inside a list section",
      {
        type: "text",
        template: "{{#items}}{{name}} {{currency}}{{/items}}",
        variables: [v("items", "json"), v("currency")],
      },
      "ambiguous-name",
      /currency inside a section/,
    ],
    [
      "a partial inside a list section",
      { type: "text", template: "{{#items}}{{> tone}}{{/items}}", variables: [v("items", "json")] },
      "partial-in-section",
      /\{\{> tone\}\} inside a section/,
    ],
    ["{{.}} outside a section", { type: "text", template: "All: {{.}}" }, "current-context", /whole context/],
    [
      "a whitespace-only message",
      {
        type: "chat",
        template: [
          { role: "user", content: "  " },
          { role: "user", content: "x" },
        ],
      },
      "blank",
      /only whitespace/,
    ],
    [
      "two text parts in a row",
      {
        type: "chat",
        template: [
          {
            role: "user",
            content: [
              { type: "text", text: "a" },
              { type: "text", text: "b" },
            ],
          },
        ],
      },
      "adjacent-text",
      /Dotprompt joins them/,
    ],
    [
      "Dotprompt's own marker in the text",
      { type: "text", template: "<<<dotprompt:role:system>>>" },
      "marker",
      /marker/,
    ],
  ] as [string, ContentInput, string, RegExp][])("%s", (_what, content, construct, message) => {
    const e = refusal(() => exportOf(content, { tone: "Be kind." }));
    expect(e.construct).toBe(construct);
    expect(e.message).toMatch(message);
  });

  it("refuses a multi-line partial after text on its line, which Lectern would indent", () => {
    const e = refusal(() => exportOf({ type: "text", template: "Rules: {{> rules}}" }, { rules: "one\ntwo" }));
    expect(e.construct).toBe("partial-indentation");
    expect(e.message).toMatch(/\{\{> rules\}\}/);
  });

  it("names the message a refusal is in", () => {
    const e = refusal(() =>
      exportOf({
        type: "chat",
        template: [
          { role: "system", content: "ok" },
          { role: "user", content: "{{.}}" },
        ],
      }),
    );
    expect(e.field).toBe("template.messages[1]");
  });
});

const fm = (yaml: string, body: string) => `---\n${yaml}\n---\n${body}`;

describe("import refuses what Lectern cannot carry", () => {
  it.each([
    ["ifEquals", "{{#ifEquals a b}}same{{/ifEquals}}", "ifEquals", /cannot compare two values/],
    ["unlessEquals", "{{#unlessEquals a b}}x{{/unlessEquals}}", "unlessEquals", /cannot compare/],
    ["a section for documents", '{{section "docs"}}', "section", /sections/],
    ["a role inside a block", '{{#if a}}{{role "system"}}x{{/if}}', "role", /inside a block/],
    ["@index", "{{#each items}}{{@index}}{{/each}}", "data-variable", /@index/],
    ["../", "{{#each items}}{{../title}}{{/each}}", "parent-path", /\.\.\//],
    ["json with indent", "{{json ctx indent=2}}", "json-indent", /without indentation/],
    ["media contentType", '{{media url=photo contentType="image/png"}}', "media-content-type", /contentType/],
    ["inline partials", '{{#*inline "x"}}y{{/inline}}{{> x}}', "DecoratorBlock", /inline partials/],
    ["a partial block", "{{#> layout}}body{{/layout}}", "PartialBlockStatement", /partial blocks/],
    ["a partial with parameters", "{{> tone style=x}}", "partial-context", /own context or parameters/],
    ["an indented standalone partial", "A\n  {{> tone}}\nB", "partial-indentation", /indented/],
    ["lookup", "{{lookup map key}}", "helper", /lookup/],
    ["an escaped tag", "Use \\{{name}} literally", "literal-braces", /\{\{/],
    ["block parameters", "{{#each items as |item|}}{{item}}{{/each}}", "block-params", /as \|x\|/],
    [
      "an object printed as text",
      fm("input:\n  schema:\n    user(object):\n      n: string", "{{user}}"),
      "object-value",
      /\{\{json user\}\}/,
    ],
    [
      "each over an object",
      fm("input:\n  schema:\n    user(object):\n      n: string", "{{#each user}}{{this}}{{/each}}"),
      "each",
      /values/,
    ],
    ["if over any value", fm("input:\n  schema:\n    x: any", "{{#if x}}y{{/if}}"), "if-any", /any value/],
    ["tools", fm("tools: [lookup]", "x"), "tools", /tool/],
    ["an output format Lectern lacks", fm("output:\n  format: enum", "x"), "output.format", /text or JSON/],
    ["broken frontmatter", fm("model: [unclosed", "x"), "frontmatter", /YAML/],
    ["a Handlebars syntax error", "{{#if a}}never closed", "syntax", /does not parse/],
    ["an unknown role", '{{role "critic"}}x', "role", /the role must be/],
    ["blocks nested too deep", `${"{{#if a}}".repeat(65)}x${"{{/if}}".repeat(65)}`, "nesting", /nested more than 64/],
    ["a partial by a literal name that is not a prompt name", '{{> "a|b"}}', "partial", /not a prompt name/],
  ])("%s", async (_what, source, construct, message) => {
    const e = await fromDotprompt(source, (ref) => (ref === "tone" ? { text: "Be kind." } : undefined)).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(FormatRefusal);
    expect((e as FormatRefusal).construct).toBe(construct);
    expect((e as FormatRefusal).message).toMatch(message);
  });
});
