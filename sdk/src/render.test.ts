// Render parity: the SDK must render exactly what the server renders (lib/registry/template.ts's
// renderContent), and fail with the same code, message and details.
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { contentSchema } from "../../lib/registry/content";
import { renderContent } from "../../lib/registry/template";
import { LecternError, LecternValidationError } from "./errors";
import { promptFromFallback, promptFromResponse } from "./prompt";
import type { Message, ResolveResponse, Variable } from "./types";

type VariableInput = Partial<Variable> & { name: string };
type Partial_ = { template: string; variables?: VariableInput[] };
type Case = [
  label: string,
  template: string | Message[],
  variables: VariableInput[],
  values: Record<string, unknown>,
  partials?: Record<string, Partial_>,
];

const v = (name: string, type: Variable["type"] = "string", extra: Partial<Variable> = {}) => ({
  name,
  type,
  ...extra,
});

const cases: Case[] = [
  ["plain variable", "Hello {{name}}!", [v("name")], { name: "Ada" }],
  ["no HTML escaping", "{{q}} & {{{q}}} & {{&q}}", [v("q")], { q: `<b>"Tom" & 'Jerry'</b>` }],
  [
    "numbers and booleans",
    "{{n}} {{b}} {{z}}",
    [v("n", "number"), v("b", "boolean"), v("z", "number")],
    { n: 3.5, b: false, z: 0 },
  ],
  [
    "objects and arrays as JSON",
    "{{o}} | {{a}} | {{{o}}}",
    [v("o", "json"), v("a", "json")],
    { o: { x: 1, y: [true, null] }, a: [1, "two"] },
  ],
  ["dotted names", "{{user.name}} ({{user.tags}})", [v("user", "json")], { user: { name: "Ada", tags: ["a", "b"] } }],
  [
    "section over a list",
    "{{#items}}- {{title}}: {{.}}\n{{/items}}done",
    [v("items", "json")],
    { items: [{ title: "a" }, { title: "b" }] },
  ],
  ["section over scalars", "{{#xs}}[{{.}}]{{/xs}}", [v("xs", "json")], { xs: [1, "two", { three: 3 }] }],
  [
    "section as a condition, and inverted",
    "{{#vip}}VIP {{/vip}}{{^vip}}regular {{/vip}}{{name}}",
    [v("vip", "boolean"), v("name")],
    { vip: false, name: "Bo" },
  ],
  ["empty list renders the inverted section", "{{#xs}}x{{/xs}}{{^xs}}none{{/xs}}", [v("xs", "json")], { xs: [] }],
  [
    "defaults fill in, optional ones render empty",
    "{{a}}|{{b}}|{{c}}",
    [v("a", "string", { default: "A" }), v("b", "string", { required: false }), v("c")],
    { c: "C" },
  ],
  ["null for a json variable", "[{{j}}]", [v("j", "json")], { j: null }],
  ["unknown values are ignored", "{{a}}", [v("a")], { a: "1", extra: "x" }],
  [
    "standalone partial keeps its line",
    "{{> tone}}\nAnswer {{name}}.",
    [v("name")],
    { name: "Ada" },
    { tone: { template: "Be kind." } },
  ],
  ["inline partial", "Say: {{> tone}} now", [], {}, { tone: { template: "hi" } }],
  ["indented standalone partial", "Start\n  {{> list}}\nEnd", [], {}, { list: { template: "a\nb" } }],
  [
    "nested partials with their own variables",
    "{{> outer}}",
    [],
    { who: "you", mood: "calm" },
    {
      outer: { template: "Hello {{who}}\n{{> inner}}", variables: [v("who")] },
      inner: { template: "Stay {{mood}}.", variables: [v("mood")] },
    },
  ],
  [
    "content declaration wins over a partial's",
    "{{n}} {{> p}}",
    [v("n", "json")],
    { n: { k: 1 } },
    { p: { template: "{{n}}", variables: [v("n", "number")] } },
  ],
  [
    "chat messages",
    [
      { role: "system", content: "{{> tone}}\nYou help {{name}}." },
      { role: "user", content: "{{question}}" },
    ],
    [v("name"), v("question")],
    { name: "Ada", question: "Why {{not}}?" },
    { tone: { template: "Be brief." } },
  ],
  [
    "chat placeholders take the messages given, as given",
    [
      { role: "system", content: "You help {{name}}." },
      { type: "placeholder", name: "history" },
      { role: "user", content: "{{question}}" },
    ] as unknown as Message[],
    [v("name"), v("question")],
    { name: "Ada", question: "Now?", history: [{ role: "user", content: "Hi {{name}}" }] },
  ],
  [
    "a placeholder without its messages",
    [
      { role: "system", content: "x" },
      { type: "placeholder", name: "history" },
    ] as unknown as Message[],
    [],
    {},
  ],
  [
    "a placeholder with something that is not messages",
    [
      { role: "system", content: "x" },
      { type: "placeholder", name: "history" },
    ] as unknown as Message[],
    [],
    { history: [{ role: "user" }] },
  ],
  [
    "pinned partials (Langfuse composition)",
    "A: {{> base|label=staging}} B: {{> base|version=2}}",
    [],
    { who: "you" },
    { "base|label=staging": { template: "S {{who}}", variables: [v("who")] }, "base|version=2": { template: "V2" } },
  ],
  ["missing variables", "{{a}} {{b}} {{c}}", [v("a"), v("b"), v("c", "string", { required: false })], {}],
  [
    "invalid variables",
    "{{a}} {{b}} {{c}}",
    [v("a", "number"), v("b", "boolean"), v("c", "json")],
    { a: "3", b: "true", c: Number.NaN },
  ],
  ["missing and invalid: missing wins", "{{a}} {{b}}", [v("a"), v("b", "number")], { b: "x" }],
  [
    "a variable declared only by a partial is checked",
    "{{> p}}",
    [],
    { x: 1 },
    { p: { template: "{{x}}", variables: [v("x")] } },
  ],
  ["a partial that is not served", "{{> gone}} {{a}}", [v("a")], { a: "1" }],
  ["a partial cycle", "{{> a}}", [], {}, { a: { template: "{{> b}}" }, b: { template: "{{> a}}" } }],
  [
    "prototype names are not inherited",
    "{{constructor}}{{toString}}",
    [v("constructor", "string", { required: false }), v("toString", "string", { required: false })],
    {},
  ],
];

const full = (x: VariableInput): Variable => ({ type: "string", required: true, ...x });

function response(
  template: string | Message[],
  variables: Case[2],
  partials: Record<string, Partial_> = {},
): ResolveResponse {
  return {
    name: "p",
    version: 1,
    environment: "production",
    type: typeof template === "string" ? "text" : "chat",
    template,
    variables: variables.map(full),
    config: {},
    partials: Object.fromEntries(
      Object.entries(partials).map(([k, p]) => [
        k,
        { version: 1, template: p.template, variables: (p.variables ?? []).map(full) },
      ]),
    ),
    experiment: null,
    subject: null,
    liveSince: null,
    resolvedAt: "",
  };
}

function server(r: ResolveResponse, values: Record<string, unknown>) {
  const content = contentSchema.parse({ type: r.type, template: r.template, variables: r.variables, config: r.config });
  const partials = Object.fromEntries(Object.entries(r.partials).map(([k, p]) => [k, p.template]));
  const declared = Object.fromEntries(
    Object.entries(r.partials).map(([k, p]) => [
      k,
      contentSchema.parse({ type: "text", template: p.template, variables: p.variables }).variables,
    ]),
  );
  try {
    return { ok: renderContent(content, values, { partials, declared }).rendered };
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { error: { code: e.code, message: e.message, details: e.details } };
  }
}

function sdk(r: ResolveResponse, values: Record<string, unknown>) {
  const p = promptFromResponse(r, "network");
  try {
    return { ok: p.render(values) };
  } catch (e) {
    if (!(e instanceof LecternError)) throw e;
    return { error: { code: e.code, message: e.message, details: e.details } };
  }
}

describe("render parity with the server", () => {
  it.each(cases)("%s", (_, template, variables, values, partials) => {
    const r = response(template, variables, partials);
    const expected = server(r, values);
    expect(sdk(r, values)).toEqual(expected);
    // Rendering twice (warm caches) gives the same answer.
    expect(sdk(r, values)).toEqual(expected);
  });

  it("exercises both outcomes", () => {
    const outcomes = cases.map(([, t, vs, vals, ps]) => ("ok" in server(response(t, vs, ps), vals) ? "ok" : "error"));
    expect(outcomes.filter((o) => o === "error").length).toBeGreaterThanOrEqual(5);
    expect(outcomes.filter((o) => o === "ok").length).toBeGreaterThanOrEqual(15);
  });

  it("throws LecternValidationError with missing and invalid lists", () => {
    const p = promptFromResponse(response("{{a}} {{b}}", [v("a"), v("b", "number")]), "cache");
    expect(() => p.render({ b: 1 })).toThrow(LecternValidationError);
    try {
      p.render({ a: "x", b: "1" });
    } catch (e) {
      expect(e).toBeInstanceOf(LecternValidationError);
      expect((e as LecternValidationError).code).toBe("invalid_variables");
      expect((e as LecternValidationError).status).toBe(422);
      expect((e as LecternValidationError).invalid).toEqual([{ name: "b", expected: "number", got: "string" }]);
    }
  });

  it("gives each chat render its own message objects", () => {
    const p = promptFromResponse(response([{ role: "user", content: "{{a}}" }], [v("a")]), "cache");
    const one = p.render({ a: "1" }) as Message[];
    one[0]!.content = "changed";
    expect(p.render({ a: "1" })).toEqual([{ role: "user", content: "1" }]);
  });
});

describe("fallback prompts", () => {
  it("infers optional variables from a bare template", () => {
    const p = promptFromFallback("greet", "production", "Hi {{name}}{{#items}}, {{.}}{{/items}}");
    expect(p).toMatchObject({ name: "greet", version: 0, type: "text", isFallback: true, source: "fallback" });
    expect(p.render({ name: "Ada", items: [1, 2] })).toBe("Hi Ada, 1, 2");
    expect(p.render()).toBe("Hi ");
  });

  it("checks declared variables strictly, with server defaults for type and required", () => {
    const p = promptFromFallback("greet", "staging", {
      type: "chat",
      template: [{ role: "system", content: "Hi {{name}}" }],
      variables: [{ name: "name" }],
      config: { model: "m" },
    });
    expect(p.render({ name: "Ada" })).toEqual([{ role: "system", content: "Hi Ada" }]);
    expect(() => p.render({})).toThrow(LecternValidationError);
    expect(() => p.render({ name: 1 })).toThrow(/name must be string, got number/);
    expect(p.config).toEqual({ model: "m" });
  });
});
