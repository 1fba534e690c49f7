// Each endpoint is declared once (../endpoint.ts, endpoints/): every route handler under app/api/v1, app/api/public
// and app/api/compat is `route(declaration, …)` (or the runtime's / Langfuse's wrapper of one) whose method and
// path are the file's, every declaration serves exactly one handler and has a response schema, and the
// OpenAPI document is generated from them. Without a server: the route files are read as text.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { errorShapeFor } from "@/lib/errors";
import { parsePathParams } from "../endpoint";
import { declaredEndpoints } from "../endpoints";
import { langfuseUpdateLabels } from "../endpoints/langfuse";
import { openApiDocument } from "./openapi";

const apiRoot = path.join(process.cwd(), "app/api");

type Handler = { file: string; path: string; method: string; declaration: string | undefined };

function handlers(dir: string): Handler[] {
  const out: Handler[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...handlers(full));
    else if (entry === "route.ts") {
      const source = readFileSync(full, "utf8");
      const rel = path.relative(apiRoot, dir).split(path.sep).join("/");
      const apiPath = `/api/${rel}`.replace(/\[(?:\.\.\.)?(\w+)\]/g, "{$1}");
      for (const m of source.matchAll(/^export const (GET|POST|PUT|PATCH|DELETE) = (.*)$/gm)) {
        const declaration = /^(?:route|runtimeRoute|langfuseRoute|skillsRoute|readRoute)\(\s*(?:\w+\.)?(\w+)/.exec(
          m[2]!,
        )?.[1];
        out.push({ file: path.relative(process.cwd(), full), path: apiPath, method: m[1]!, declaration });
      }
    }
  }
  return out;
}

// The document itself, and the reference page rendered from it.
const aboutTheApi = new Set(["/api/v1/openapi.json", "/api/v1/docs"]);
const all = ["v1", "public", "compat"]
  .flatMap((dir) => handlers(path.join(apiRoot, dir)))
  .filter((h) => !aboutTheApi.has(h.path));
const byName = new Map(declaredEndpoints.map((d) => [d.name, d.endpoint]));

describe("each endpoint declared once", () => {
  it.each(all.map((h) => [`${h.method} ${h.path}`, h] as const))("%s is served from its declaration", (_n, h) => {
    expect(
      h.declaration,
      `${h.file}: export const ${h.method} = route(endpoints.<declaration>, handler)`,
    ).toBeDefined();
    const e = byName.get(h.declaration!);
    expect(e, `${h.file}: ${h.declaration} is not exported by lib/server/http/endpoints/*`).toBeDefined();
    expect(`${e!.method} ${e!.path}`).toBe(`${h.method} ${h.path}`);
  });

  it("declares nothing twice and nothing no route serves", () => {
    const names = declaredEndpoints.map((d) => d.name);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    const keys = declaredEndpoints.map((d) => `${d.endpoint.method} ${d.endpoint.path}`);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    const served = new Set(all.map((h) => h.declaration));
    expect(names.filter((n) => !served.has(n))).toEqual([]);
  });

  it.each(declaredEndpoints.map((d) => [d.name, d.endpoint] as const))("%s has a response schema", (_n, e) => {
    expect(e.response).toBeDefined();
    expect(e.summary.length).toBeGreaterThan(0);
  });
});

describe("the OpenAPI document", () => {
  const doc = openApiDocument();
  it.each(all.map((h) => [`${h.method} ${h.path}`, h] as const))("documents %s with its answer", (_n, h) => {
    const op = doc.paths[h.path]?.[h.method.toLowerCase()] as
      { responses: Record<string, { content?: Record<string, unknown> }> } | undefined;
    expect(op).toBeDefined();
    const [status, success] = Object.entries(op!.responses).find(([s]) => s !== "default")!;
    if (status !== "204") expect(Object.keys(success.content ?? {}).length).toBeGreaterThan(0);
  });

  type Operation = {
    operationId: string;
    tags?: string[];
    parameters: { name: string; in: string; description?: string }[];
    responses: Record<string, { content?: Record<string, unknown> }>;
  };
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.values(ops as Record<string, Operation>).map((op) => ({ ...op, path })),
  );

  it("names every operation once, in camelCase", () => {
    const ids = operations.map((op) => op.operationId);
    expect(ids.filter((id) => !/^[a-z][a-zA-Z0-9]*$/.test(id ?? ""))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ids.length).toBe(declaredEndpoints.length);
  });

  it("tags every operation, with tags the document describes, and describes no tag nothing uses", () => {
    const described = new Map<string, string>(doc.tags.map((t) => [t.name, t.description]));
    expect(operations.filter((op) => !op.tags?.length).map((op) => op.operationId)).toEqual([]);
    const used = new Set(operations.flatMap((op) => op.tags ?? []));
    expect([...used].filter((t) => !described.get(t))).toEqual([]);
    expect([...described.keys()].filter((t) => !used.has(t))).toEqual([]);
  });

  it("describes every parameter (.describe() on its schema, where it is declared)", () => {
    const undescribed = operations.flatMap((op) =>
      op.parameters.filter((p) => !p.description?.trim()).map((p) => `${op.operationId}: ${p.in} ${p.name}`),
    );
    expect(undescribed).toEqual([]);
  });

  it("documents each operation's errors, in its path's error shape, and refers only to what it holds", () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain("$defs");
    const refs = [...text.matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    const schemas = doc.components.schemas as Record<string, unknown>;
    expect(refs.filter((r) => !schemas[r.replace("#/components/schemas/", "")])).toEqual([]);
    for (const op of operations) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      expect(
        errors.map(([s]) => s),
        op.operationId,
      ).toEqual(expect.arrayContaining(["400", "401", "500"]));
      const shape = errorShapeFor(op.path).name;
      for (const [status, r] of errors)
        expect(r.content?.["application/json"], `${op.operationId} ${status}`).toEqual({
          schema: { $ref: `#/components/schemas/${shape}` },
        });
    }
  });

  it.each(declaredEndpoints.map((d) => [d.name, d.endpoint] as const))(
    "%s declares a schema for exactly its path's parameters",
    (_n, e) => {
      const inPath = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(Object.keys(e.params?.shape ?? {})).toEqual(inPath);
    },
  );
});

describe("path parameters", () => {
  it("are parsed by the declaration's schema and typed for the handler", () => {
    const p = parsePathParams(langfuseUpdateLabels, { name: "a/b", version: "3" });
    expect(p).toEqual({ name: "a/b", version: 3 });
  });

  it("refuse a bad one naming it, as a parse of that value alone would", () => {
    expect(() => parsePathParams(langfuseUpdateLabels, { name: "a", version: "x" })).toThrow(
      expect.objectContaining({
        code: "invalid_input",
        message: "version must be a number",
        details: expect.objectContaining({ field: "version" }),
      }),
    );
  });
});
