// Every route handler under app/api/v1 is in the OpenAPI document with its method (a route added
// without documenting it fails here, without a server).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";

const root = path.join(process.cwd(), "app/api/v1");

function routes(dir: string): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...routes(full));
    else if (entry === "route.ts") {
      const source = readFileSync(full, "utf8");
      const methods = [...source.matchAll(/^export const (GET|POST|PUT|PATCH|DELETE)\b/gm)].map((m) => m[1]!);
      const rel = path.relative(root, dir).split(path.sep).join("/");
      out.push({ path: `/api/v1/${rel}`.replace(/\[(\w+)\]/g, "{$1}"), methods });
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  const doc = openApiDocument();
  const handlers = routes(root).filter((r) => r.path !== "/api/v1/openapi.json");
  it.each(handlers.flatMap((r) => r.methods.map((m) => [`${m} ${r.path}`, r.path, m.toLowerCase()] as const)))(
    "documents %s",
    (_name, p, method) => {
      expect(Object.keys(doc.paths[p] ?? {})).toContain(method);
    },
  );
});
