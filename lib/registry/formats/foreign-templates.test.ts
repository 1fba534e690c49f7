// Another system's template → Lectern's Mustache → Lectern's render == that system's own engine's render, for
// the same variables: LangChain's f-string and mustache formatters (@langchain/core), Python's str.format
// (the standard library, run here), and nunjucks (PromptLayer's client renders jinja2 with it, autoescape off).
// And back: Lectern's template in their syntax renders in their engine what Lectern renders.
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { renderTemplate } from "@langchain/core/prompts";
import { describe, expect, it } from "vitest";
import { parseContent, type TextContent, type Variable } from "../content";
import { renderContent, validateContent } from "../templates/template";
import { fromForeignTemplates, toForeignTemplate, type ForeignTemplateFormat } from "./foreign-templates";

type Values = Record<string, unknown>;
type Case = { name: string; source: string; values: Values[] };

// nunjucks ships no types; this is the part of its API used here.
type Nunjucks = {
  Environment: new (loader: null, opts: { autoescape: boolean }) => { renderString(s: string, v: object): string };
};
const nunjucks = createRequire(import.meta.url)("nunjucks") as Nunjucks;
const jinja = new nunjucks.Environment(null, { autoescape: false });

function foreignRender(format: ForeignTemplateFormat, source: string, values: Values): string {
  if (format === "jinja2") return jinja.renderString(source, values);
  return renderTemplate(source, format, values) as string;
}

/** Python's own str.format, for every case at once (one process). */
function pythonFormat(pairs: [string, Values][]): string[] {
  const script = "import json,sys\nprint(json.dumps([t.format(**v) for t, v in json.load(sys.stdin)]))";
  return JSON.parse(execFileSync("python3", ["-c", script], { input: JSON.stringify(pairs), encoding: "utf8" }));
}

function lecternRender(template: string, variables: Variable[], values: Values): string {
  const content = parseContent({ type: "text", template, variables }) as TextContent;
  validateContent(content);
  return renderContent(content, values).rendered;
}

const fstrings: Case[] = [
  { name: "one name", source: "Hello {name}!", values: [{ name: "Ada" }] },
  {
    name: "escaped braces, JSON around values",
    source: 'Answer as {{"city": "{city}", "n": {n}}}\n}}{{',
    values: [{ city: "Oslo", n: "3" }],
  },
  { name: "a name twice, newlines kept", source: "{a}\n\n  {b} and {a}\n", values: [{ a: "x", b: "y" }] },
  { name: "no fields", source: "plain text", values: [{}] },
  { name: "values holding braces", source: "[{v}]", values: [{ v: "{{not a tag}}" }] },
];

const mustaches: Case[] = [
  {
    name: "values and dotted names",
    source: "Hi {{name}}, from {{user.city}}",
    values: [{ name: "Ada", user: { city: "Oslo" } }, {}],
  },
  {
    name: "sections over lists, objects, flags; inverted",
    source: "{{#items}}\n- {{title}}\n{{/items}}\n{{^items}}\nnone\n{{/items}}\n{{#flag}}on{{/flag}}",
    values: [
      { items: [{ title: "a" }, { title: "b" }], flag: true },
      { items: [], flag: false },
    ],
  },
  { name: "triple and ampersand", source: "{{{raw}}} {{&raw}} {{! a note }}", values: [{ raw: "<b>&" }] },
];

const jinjas: Case[] = [
  {
    name: "names and attributes",
    source: "Hi {{ name }}, {{user.city}}!",
    values: [{ name: "Ada", user: { city: "Oslo" } }],
  },
  {
    name: "if / elif / else on their own lines",
    source: "A\n{% if vip %}\nVIP {{ tier }}\n{% elif trial %}\nTrial\n{% else %}\nGuest\n{% endif %}\nZ",
    values: [
      { vip: true, trial: false, tier: "gold" },
      { vip: false, trial: true, tier: "x" },
      { vip: false, trial: false, tier: "" },
    ],
  },
  {
    name: "if not, a text tested and printed",
    source: "{% if not context %}No context.{% else %}Context: {{ context }}{% endif %}\n",
    values: [{ context: "" }, { context: "the docs" }],
  },
  {
    name: "for over items, with else",
    source: "Docs:\n{% for d in docs %}\n- {{ d.title }} ({{ d.meta.year }})\n{% else %}\nnothing\n{% endfor %}\nend",
    values: [
      {
        docs: [
          { title: "a", meta: { year: 1 } },
          { title: "b", meta: {} },
        ],
      },
      { docs: [] },
    ],
  },
  { name: "for over strings", source: "{% for t in tags %}[{{ t }}]{% endfor %}", values: [{ tags: ["x", "y"] }] },
  {
    name: "whitespace control and comments",
    source: "A   {%- if x -%}   \n B  {%- endif %}\n{# note #}\nC {#- trimmed -#}  D\n  {{- x }}",
    values: [{ x: "1" }, { x: "" }],
  },
  { name: "string literals", source: "{{ '{%' }} and {{ \"{\" }}x", values: [{}] },
  { name: "indentation kept", source: "  {{ a }}\n\t{{ b }}\n", values: [{ a: "1", b: "2" }] },
];

function checkCases(format: ForeignTemplateFormat, cases: Case[]) {
  for (const c of cases)
    it(c.name, () => {
      const converted = fromForeignTemplates([{ text: c.source, field: "template" }], format);
      for (const v of c.values)
        expect(lecternRender(converted.templates[0]!, converted.variables, v), JSON.stringify(v)).toBe(
          foreignRender(format, c.source, v),
        );
    });
}

describe("f-string → Lectern renders as LangChain's formatter", () => checkCases("f-string", fstrings));
describe("mustache → Lectern renders as LangChain's formatter", () => checkCases("mustache", mustaches));
describe("jinja2 → Lectern renders as nunjucks", () => checkCases("jinja2", jinjas));

it("f-string → Lectern renders as Python's str.format", () => {
  const pairs = fstrings.flatMap((c) => c.values.map((v): [string, Values] => [c.source, v]));
  const converted = pairs.map(([s]) => fromForeignTemplates([{ text: s, field: "template" }], "f-string"));
  expect(pairs.map(([, v], i) => lecternRender(converted[i]!.templates[0]!, converted[i]!.variables, v))).toEqual(
    pythonFormat(pairs),
  );
});

it("declares f-string names required, Jinja2's optional with the kind their use implies", () => {
  expect(fromForeignTemplates([{ text: "{a}{b}{a}", field: "template" }], "f-string").variables).toEqual([
    { name: "a", type: "string", required: true },
    { name: "b", type: "string", required: true },
  ]);
  const j = fromForeignTemplates(
    [
      { text: "{% if flag %}{{ name }}{% endif %}", field: "template.messages[0]" },
      { text: "{% for i in items %}{{ i }}{% endfor %}{{ user.id }}", field: "template.messages[1]" },
    ],
    "jinja2",
  );
  expect(j.variables.map((v) => [v.name, v.type, v.required])).toEqual([
    ["flag", "boolean", false],
    ["name", "string", false],
    ["items", "json", false],
    ["user", "json", false],
  ]);
});

type Back = {
  name: string;
  template: string;
  variables: Variable[];
  values: Values[];
  formats: ForeignTemplateFormat[];
};
const v = (name: string, type: Variable["type"] = "string"): Variable => ({ name, type, required: false });
const backs: Back[] = [
  {
    name: "values and literal braces",
    template: "Hello {{name}} {x} }} {% raw %} {#",
    variables: [v("name")],
    values: [{ name: "Ada" }],
    formats: ["f-string", "jinja2", "mustache"],
  },
  {
    name: "sections over a text and a flag, inverted, standalone lines",
    template: "A\n{{#topic}}\nTopic: {{.}}\n{{/topic}}\n{{^vip}}\nnot vip\n{{/vip}}\nZ{",
    variables: [v("topic"), v("vip", "boolean")],
    values: [
      { topic: "tides", vip: false },
      { topic: "", vip: true },
    ],
    formats: ["jinja2", "mustache"],
  },
  {
    name: "a list section (Mustache only)",
    template: "{{#items}}- {{name}}\n{{/items}}",
    variables: [v("items", "json")],
    values: [{ items: [{ name: "a" }, { name: "b" }] }],
    formats: ["mustache"],
  },
];

describe("Lectern → another syntax renders in its engine what Lectern renders", () => {
  for (const b of backs)
    for (const format of b.formats)
      it(`${b.name} (${format})`, () => {
        const written = toForeignTemplate(b.template, format, "template", b.variables);
        for (const values of b.values)
          expect(foreignRender(format, written, values)).toBe(lecternRender(b.template, b.variables, values));
      });
});
