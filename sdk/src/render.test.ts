// Render parity: the SDK must render exactly what the server renders (lib/registry/templates/template.ts's
// renderContent), and fail with the same code, message and details.
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { contentSchema } from "../../lib/registry/content";
import { renderContent } from "../../lib/registry/templates/template";
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

// The cases JSON can hold live in test/fixtures/render-cases.json, shared with the Python client
// (render-cases.test.ts). These are the values only JavaScript has: NaN, infinities, undefined.
const cases: Case[] = [
  [
    "invalid variables",
    "{{a}} {{b}} {{c}}",
    [v("a", "number"), v("b", "boolean"), v("c", "json")],
    { a: "3", b: "true", c: Number.NaN },
  ],
  ["infinite numbers", "{{n}}", [v("n", "number")], { n: Number.POSITIVE_INFINITY }],
  ["undefined counts as not given", "{{a}}|{{b}}", [v("a", "string", { default: "A" }), v("b")], { a: undefined }],
  ["undefined inside json", "{{j}}", [v("j", "json")], { j: { x: undefined } }],
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
