// .prompt → Lectern import → Lectern's render == the dotprompt library's render, for the same variables.
import type { TemplateContent } from "../content";
import { describe, expect, it } from "vitest";
import type { Content } from "../content";
import { fromDotprompt } from "./dotprompt-import";
import { lecternRender, libraryRender, lookupIn, saved } from "./formats.fixture";

type Case = {
  name: string;
  source: string;
  values: Record<string, unknown>[];
  /** Partials as the library registers them (Handlebars); Lectern gets each imported as a prompt. */
  partials?: Record<string, string>;
  history?: { role: "user" | "assistant"; content: string }[];
  type?: "text" | "chat";
};

const fm = (yaml: string, body: string) => `---\n${yaml}\n---\n${body}`;

const cases: Case[] = [
  { name: "no frontmatter, one variable", source: "Hello {{name}}!", values: [{ name: "Ada" }, {}], type: "text" },
  {
    name: "Picoschema, model and config",
    source: fm(
      "model: googleai/gemini-2.5-flash\nconfig:\n  temperature: 0.4\n  maxOutputTokens: 300\ninput:\n  schema:\n    topic: string, what to write about\n    words?: integer\n  default:\n    words: 50",
      "Write {{words}} words about {{topic}}.",
    ),
    values: [{ topic: "tides" }, { topic: "owls", words: 10 }],
    type: "text",
  },
  {
    name: "roles: system, user, model",
    source: fm(
      "model: x",
      '{{role "system"}}\nYou are {{persona}}.\n{{role "user"}}\nHi\n{{role "model"}}\nHello!\n{{role "user"}}\n{{question}}',
    ),
    values: [{ persona: "kind", question: "why?" }],
    type: "chat",
  },
  {
    name: "if / else if / else and unless",
    source: fm(
      "input:\n  schema:\n    tier: string\n    vip: boolean\n    trial: boolean",
      "{{#if vip}}\nWelcome back, VIP.\n{{else if trial}}\nEnjoy the trial.\n{{else}}\nHello.\n{{/if}}\n{{#unless vip}}Upgrade for {{tier}}.{{/unless}}",
    ),
    values: [
      { tier: "gold", vip: true, trial: false },
      { tier: "silver", vip: false, trial: true },
      { tier: "x", vip: false, trial: false },
    ],
  },
  {
    name: "each over items and over strings, with else; a list tested with if",
    source: fm(
      "input:\n  schema:\n    items(array):\n      name: string\n      qty: number\n    tags(array): string",
      "{{#if items}}\nItems:\n{{#each items}}\n- {{name}} × {{qty}}\n{{/each}}\n{{else}}\nNo items.\n{{/if}}\nTags: {{#each tags}}{{this}} {{else}}none{{/each}}",
    ),
    values: [
      {
        items: [
          { name: "a", qty: 1 },
          { name: "b", qty: 2 },
        ],
        tags: ["x", "y"],
      },
      { items: [], tags: [] },
    ],
  },
  {
    name: "with, json, @root and this.",
    source: fm(
      "input:\n  schema:\n    user(object):\n      name: string\n      city: string\n    ctx: any\n    greeting: string",
      "{{#with user}}{{name}} from {{city}}{{/with}}. Context: {{json ctx}}. {{@root.greeting}} {{this.greeting}}",
    ),
    values: [{ user: { name: "Ada", city: "London" }, ctx: { a: [1, 2] }, greeting: "Hi" }],
  },
  {
    name: "Mustache-style sections: a list, an inverse, a boolean",
    source: fm(
      "input:\n  schema:\n    items: any\n    ok: boolean",
      "{{#items}}[{{.}}]{{/items}}{{^items}}empty{{/items}} {{#ok}}fine{{/ok}}",
    ),
    values: [
      { items: ["a", "b"], ok: true },
      { items: [], ok: false },
    ],
  },
  {
    name: "whitespace control with ~ and comments",
    source: fm(
      "input:\n  schema:\n    a: boolean\n    b: string",
      "Start  {{~#if a~}}  A  {{~/if~}}  end.\n{{!-- a note --}}\n{{! short }}\n{{b}}",
    ),
    values: [
      { a: true, b: "x" },
      { a: false, b: "y" },
    ],
  },
  {
    name: "partials: alone on a line (no final newline), inline, ending with a newline",
    source: fm("input:\n  schema:\n    style: string", "Intro\n{{> tone}}\nThen {{> sign}}.\n{{> block}}\nEnd"),
    partials: { tone: "Speak {{style}}.", sign: "— L", block: "one\ntwo\n" },
    values: [{ style: "plainly" }],
  },
  {
    name: "history between messages",
    source: fm("input:\n  schema:\n    q: string", '{{role "system"}}Be brief.{{history}}{{role "user"}}{{q}}'),
    history: [
      { role: "user", content: "before" },
      { role: "assistant", content: "ok" },
    ],
    values: [{ q: "now?" }],
  },
  {
    name: "media: a URL, an input, an optional input",
    source: fm(
      "input:\n  schema:\n    photo: string\n    extra?: string",
      'Look: {{media url="https://example.com/a.png"}}{{media url=photo}} and done{{#if extra}}{{media url=extra}}{{/if}}',
    ),
    values: [
      { photo: "https://example.com/b.png", extra: "https://example.com/c.png" },
      { photo: "https://example.com/b.png" },
    ],
  },
  {
    name: "no schema: kinds from use",
    source: '{{role "system"}}\n{{#if urgent}}Hurry. {{/if}}{{#each steps}}{{.}};{{/each}} {{json meta}} {{name}}',
    values: [{ urgent: true, steps: ["a", "b"], meta: { k: 1 }, name: "Ada" }, { meta: [] }],
  },
  {
    name: "a schema property of any kind printed as text is a string",
    source: fm("input:\n  schema:\n    type: object\n    properties:\n      who: {}", "Hello {{who}}"),
    values: [{ who: "Ada" }],
  },
  {
    name: "no schema: a dotted name reads into an object",
    source: "{{user.name}} from {{user.city}}",
    values: [{ user: { name: "Ada", city: "London" } }],
  },
  {
    name: "a blank line after a block tag, and a standalone else",
    source: fm("input:\n  schema:\n    a: boolean", "{{#if a}}\n\nyes\n{{else}}\n\nno\n{{/if}}\nafter"),
    values: [{ a: true }, { a: false }],
  },
];

async function lecternPartials(partials: Record<string, string>): Promise<Record<string, Content>> {
  const out: Record<string, Content> = {};
  for (const [name, body] of Object.entries(partials))
    out[name] = saved((await fromDotprompt(body, () => undefined)).content);
  return out;
}

describe(".prompt → Lectern renders as the dotprompt library renders", () => {
  it.each(cases)("$name", async (c) => {
    const partials = await lecternPartials(c.partials ?? {});
    const imported = await fromDotprompt(c.source, lookupIn(partials));
    const content = saved(imported.content, partials);
    if (c.type) expect(content.type).toBe(c.type);
    for (const values of c.values) {
      const theirs = await libraryRender(c.source, values, {
        partials: c.partials,
        ...(c.history && { history: c.history }),
      });
      const mine = lecternRender(content, { ...values, ...(c.history && { history: c.history }) }, partials);
      expect(mine, JSON.stringify((content as TemplateContent).template)).toEqual(theirs.messages);
    }
  });
});
