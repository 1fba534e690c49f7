// The render cases shared with the Python client (test/fixtures/render-cases.json): each expected
// answer is checked against the server's renderContent (so the table cannot drift from the server)
// and against the SDK's render.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { contentSchema } from "../../lib/registry/content";
import { renderContent } from "../../lib/registry/templates/template";
import { LecternError } from "./errors";
import { promptFromResponse } from "./prompt";
import type { ChatEntry, ResolveResponse, Variable } from "./types";

interface RenderCase {
  label: string;
  type: "text" | "chat";
  template: string | ChatEntry[];
  variables: Variable[];
  partials: Record<string, { template: string; variables: Variable[] }>;
  values: Record<string, unknown>;
  expected: { output: unknown } | { error: { code: string; message: string; details?: unknown } };
}

const fixture = path.resolve(import.meta.dirname, "../../test/fixtures/render-cases.json");
const { cases } = JSON.parse(readFileSync(fixture, "utf8")) as { cases: RenderCase[] };

function outcome(run: () => unknown) {
  try {
    return { output: run() };
  } catch (e) {
    if (!(e instanceof AppError) && !(e instanceof LecternError)) throw e;
    return { error: { code: e.code, message: e.message, details: e.details } };
  }
}

function server(c: RenderCase) {
  const content = contentSchema.parse({ type: c.type, template: c.template, variables: c.variables, config: {} });
  const partials = Object.fromEntries(Object.entries(c.partials).map(([k, p]) => [k, p.template]));
  const declared = Object.fromEntries(Object.entries(c.partials).map(([k, p]) => [k, p.variables]));
  return outcome(() => renderContent(content, c.values, { partials, declared }).rendered);
}

function sdk(c: RenderCase) {
  const r: ResolveResponse = {
    name: "p",
    version: 1,
    environment: "production",
    type: c.type,
    template: c.template,
    variables: c.variables,
    config: {},
    partials: Object.fromEntries(Object.entries(c.partials).map(([k, p]) => [k, { version: 1, ...p }])),
    experiment: null,
    subject: null,
    liveSince: null,
    resolvedAt: "",
  };
  const p = promptFromResponse(r, "network");
  return outcome(() => p.render(c.values));
}

describe("shared render cases", () => {
  it.each(cases.map((c) => [c.label, c] as const))("%s", (_, c) => {
    expect(server(c)).toEqual(c.expected);
    expect(sdk(c)).toEqual(c.expected);
  });

  it("exercises both outcomes", () => {
    const kinds = cases.map((c) => ("error" in c.expected ? "error" : "output"));
    expect(kinds.filter((k) => k === "error").length).toBeGreaterThanOrEqual(10);
    expect(kinds.filter((k) => k === "output").length).toBeGreaterThanOrEqual(30);
  });
});
