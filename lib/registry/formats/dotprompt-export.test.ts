// Lectern → .prompt → the dotprompt library's render == Lectern's render, for the same variables; and the
// file read back by the importer is the version it came from.
import { describe, expect, it } from "vitest";
import { parseContent, type Content, type ContentInput, type Message, type Variable } from "../content";
import { fromDotprompt } from "./dotprompt-import";
import { toDotprompt } from "./dotprompt-export";
import { lecternRender, libraryRender, lookupIn, partialBody } from "./formats.fixture";

type Case = {
  name: string;
  content: ContentInput;
  values: Record<string, unknown>[];
  /** false: the importer cannot keep this file's whitespace (checked to refuse, naming it). */
  reimport?: false;
  /** Read back, the tags are spelled the one way the importer writes them ({{&x}} → {{x}}, {{.}} → {{x}}). */
  respelled?: true;
  partials?: Record<string, ContentInput>;
  history?: { role: "user" | "assistant"; content: string }[];
};

const v = (name: string, type: Variable["type"] = "string", extra: Partial<Variable> = {}) => ({
  name,
  type,
  ...extra,
});
const chat = (...messages: [Message["role"], string][]) => messages.map(([role, content]) => ({ role, content }));

const cases: Case[] = [
  {
    name: "text with a variable",
    content: { type: "text", template: "Hello {{name}}!", variables: [v("name")] },
    values: [{ name: "Ada" }],
  },
  {
    name: "text ending with a newline (a YAML block) and starting with spaces",
    content: { type: "text", template: "  Summarize:\n{{text}}\n", variables: [v("text")] },
    values: [{ text: "a\nb" }],
  },
  {
    name: "chat roles",
    content: {
      type: "chat",
      template: chat(["system", "You are {{persona}}."], ["user", "Hi"], ["assistant", "Hello."], ["user", "{{q}}"]),
      variables: [v("persona"), v("q")],
    },
    values: [{ persona: "kind", q: "why?" }],
  },
  {
    name: "a boolean section on its own lines, and its inverse",
    content: {
      type: "chat",
      template: chat(
        [
          "system",
          "Be brief.\n{{#premium}}\nOffer the discount.\n{{/premium}}\n{{^premium}}\nNo discount.\n{{/premium}}\nThanks.",
        ],
        ["user", "{{q}}"],
      ),
      variables: [v("premium", "boolean"), v("q")],
    },
    values: [
      { premium: true, q: "x" },
      { premium: false, q: "y" },
    ],
  },
  {
    name: "a list section with item properties, and the empty list",
    content: {
      type: "text",
      template: "Items:\n{{#items}}\n- {{name}} ({{qty}})\n{{/items}}\n{{^items}}\nnone\n{{/items}}\nEnd",
      variables: [v("items", "json")],
    },
    values: [
      {
        items: [
          { name: "a", qty: 1 },
          { name: "b", qty: 2 },
        ],
      },
      { items: [] },
    ],
  },
  {
    name: "a list tested with .length renders once",
    content: {
      type: "text",
      template: "{{#items.length}}Some items.{{/items.length}}{{^items.length}}No items.{{/items.length}}",
      variables: [v("items", "json")],
    },
    values: [{ items: [1, 2, 3] }, { items: [] }],
  },
  {
    name: "an object printed as JSON, a property, and a section opening it",
    content: {
      type: "text",
      template: "Context: {{ctx}}\nUser: {{user.name}}\n{{#user}}Tier {{tier}}{{/user}}",
      variables: [v("ctx", "json"), v("user", "json")],
    },
    values: [{ ctx: { a: [1, 2] }, user: { name: "Ada", tier: "gold" } }],
  },
  {
    name: "string and number sections, with the current value",
    content: {
      type: "text",
      template: "{{#name}}Dear {{.}},{{/name}} {{#count}}{{.}} new{{/count}}",
      variables: [v("name"), v("count", "number")],
    },
    values: [
      { name: "Ada", count: 3 },
      { name: "", count: 2 },
    ],
    respelled: true,
  },
  {
    name: "nested list sections",
    content: {
      type: "text",
      template: "{{#orders}}Order {{id}}: {{#lines}}{{sku}}×{{n}} {{/lines}}\n{{/orders}}",
      variables: [v("orders", "json")],
    },
    values: [
      {
        orders: [
          { id: 1, lines: [{ sku: "a", n: 2 }] },
          { id: 2, lines: [] },
        ],
      },
    ],
  },
  {
    name: "a blank line after a section tag, a comment, {{&x}} and {{{x}}}",
    content: {
      type: "text",
      template: "{{#a}}\n\nspaced{{/a}}\n{{! a note }}\nend {{&raw}} {{{raw}}}",
      variables: [v("a", "boolean"), v("raw")],
    },
    values: [
      { a: true, raw: "<b>" },
      { a: false, raw: "" },
    ],
    respelled: true,
  },
  {
    name: "two tags on one line, then a blank line (Handlebars and Mustache disagree; written exactly)",
    content: {
      type: "text",
      template: "{{#a}}{{#b}}\nboth\n{{/b}}{{/a}}\n{{#a}}\n\nspaced{{/a}}",
      variables: [v("a", "boolean"), v("b", "boolean")],
    },
    values: [
      { a: true, b: true },
      { a: true, b: false },
    ],
    reimport: false,
  },
  {
    name: "a backslash before a tag",
    content: { type: "text", template: "Path: C:\\{{dir}} and \\\\{{dir}}", variables: [v("dir")] },
    values: [{ dir: "tmp" }],
  },
  {
    name: "partials: alone on a line (no final newline), inline, in a message",
    content: {
      type: "chat",
      template: chat(["system", "You help.\n{{> tone}}\nBe {{mood}} {{> sign}}."], ["user", "{{> tone}}"]),
      variables: [v("mood")],
    },
    partials: {
      tone: { type: "text", template: "Speak {{style}}.", variables: [v("style")] },
      sign: { type: "text", template: "— Lectern" },
    },
    values: [{ mood: "calm", style: "plainly" }],
  },
  {
    name: "a partial ending with a newline",
    content: { type: "text", template: "A\n{{> block}}\nB", variables: [] },
    partials: { block: { type: "text", template: "line one\nline two\n" } },
    values: [{}],
  },
  {
    name: "a placeholder becomes {{history}}",
    content: {
      type: "chat",
      template: [
        { role: "system", content: "Answer {{lang}}." },
        { type: "placeholder", name: "history" },
        { role: "user", content: "{{q}}" },
      ],
      variables: [v("lang"), v("q")],
    },
    history: [
      { role: "user", content: "earlier" },
      { role: "assistant", content: "reply" },
    ],
    values: [{ lang: "in French", q: "now?" }],
  },
  {
    name: "images: a URL, a variable, and an optional variable",
    content: {
      type: "chat",
      template: [
        {
          role: "user",
          content: [
            { type: "text", text: "Compare:" },
            { type: "image", url: "https://example.com/a.png" },
            { type: "image", variable: "photo" },
            { type: "text", text: "and {{note}}" },
            { type: "image", variable: "extra" },
          ],
        },
      ],
      variables: [v("photo", "image"), v("note"), v("extra", "image", { required: false })],
    },
    values: [
      { photo: "https://example.com/b.png", note: "this", extra: "https://example.com/c.png" },
      { photo: "https://example.com/b.png", note: "that" },
    ],
  },
];

async function libraryPartials(
  c: Case,
): Promise<{ partials: Record<string, Content>; bodies: Record<string, string> }> {
  const partials = Object.fromEntries(Object.entries(c.partials ?? {}).map(([n, p]) => [n, parseContent(p)]));
  const bodies: Record<string, string> = {};
  for (const [n, p] of Object.entries(partials))
    bodies[n] = partialBody(toDotprompt({ name: n, description: "", content: p, partials: lookupIn(partials) }));
  return { partials, bodies };
}

describe("Lectern → .prompt renders the same in the dotprompt library", () => {
  it.each(cases)("$name", async (c) => {
    const content = parseContent(c.content);
    const { partials, bodies } = await libraryPartials(c);
    const source = toDotprompt({ name: "p", description: "", content, partials: lookupIn(partials) });
    for (const values of c.values) {
      const history = c.history ? { history: c.history } : {};
      const mine = lecternRender(content, { ...values, ...history }, partials);
      const theirs = await libraryRender(source, values, {
        partials: bodies,
        ...(c.history && { history: c.history }),
      });
      expect(theirs.messages, source).toEqual(mine);
    }
    if (c.reimport === false) {
      await expect(fromDotprompt(source, lookupIn(partials))).rejects.toMatchObject({ construct: "whitespace" });
      return;
    }
    // Read back, the file is the version it came from (or, respelled, renders as it does).
    const back = parseContent((await fromDotprompt(source, lookupIn(partials))).content);
    if (!c.respelled) expect(back).toEqual(content);
    for (const values of c.values) {
      const all = { ...values, ...(c.history && { history: c.history }) };
      expect(lecternRender(back, all, partials)).toEqual(lecternRender(content, all, partials));
    }
  });
});
