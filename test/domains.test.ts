// The domains under lib/ depend on each other one way (CONTRIBUTING.md, "Domains are framework-free"):
// this builds the graph of value imports between domains (type-only imports vanish at run time and do
// not count) and checks that it has no cycle and that the leaves stay leaves. Cycles between
// single modules are refused by ESLint's import/no-cycle (eslint.config.mjs).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const lib = path.join(process.cwd(), "lib");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(e) && !/\.test\.tsx?$/.test(e) && !e.endsWith(".d.ts") ? [full] : [];
  });
}

/** lib/<domain>/… → domain; files directly under lib/ (errors.ts, validation.ts, …) are shared and skipped. */
const domainOf = (file: string) => {
  const parts = path.relative(lib, file).split(path.sep);
  return parts.length > 1 ? parts[0]! : null;
};

/** domain → domain it imports → the imports that make the edge. */
function domainGraph(): Map<string, Map<string, string[]>> {
  const graph = new Map<string, Map<string, string[]>>();
  const importRe =
    /(?:^|\n)\s*(?:import|export)\s+(type\s+)?(?:[^'"]*?\sfrom\s+)?["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;
  for (const file of sources(lib)) {
    const from = domainOf(file);
    if (!from) continue;
    for (const m of readFileSync(file, "utf8").matchAll(importRe)) {
      if (m[1]) continue; // import type / export type
      const spec = m[2] ?? m[3]!;
      const target = spec.startsWith("@/lib/")
        ? path.join(process.cwd(), spec.slice(2))
        : spec.startsWith(".")
          ? path.resolve(path.dirname(file), spec)
          : null;
      if (!target || !target.startsWith(lib + path.sep)) continue;
      const to = domainOf(target + ".ts");
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), `${path.relative(process.cwd(), file)} → ${spec}`]);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** Strongly connected components with more than one domain (Tarjan), each sorted, sorted by first name. */
function cycles(graph: Map<string, Map<string, string[]>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

describe("dependencies between domains", () => {
  const graph = domainGraph();

  it("finds the imports it checks", () => {
    expect(graph.get("runtime")?.has("registry")).toBe(true);
    expect(graph.get("registry")?.has("runtime") ?? false).toBe(false);
  });

  it("has no cycle", () => {
    const explain = cycles(graph).map((scc) =>
      scc.flatMap((a) =>
        scc.filter((b) => graph.get(a)?.has(b)).map((b) => `${a} → ${b}: ${graph.get(a)!.get(b)![0]}`),
      ),
    );
    expect(cycles(graph), explain.flat().join("\n")).toEqual([]);
  });

  it("detects a cycle", () => {
    const g = new Map([
      ["a", new Map([["b", ["x"]]])],
      ["b", new Map([["c", ["y"]]])],
      ["c", new Map([["a", ["z"]]])],
      ["d", new Map([["a", ["w"]]])],
    ]);
    expect(cycles(g)).toEqual([["a", "b", "c"]]);
  });

  it("keeps lib/compat a top: only the composers import it, and it does not reach sideways into lib/langfuse", () => {
    const importers = [...graph].filter(([, edges]) => edges.has("compat")).map(([from]) => from);
    expect(importers.filter((d) => !["server", "views", "setup"].includes(d))).toEqual([]);
    expect([...(graph.get("compat")?.keys() ?? [])].filter((d) => d === "langfuse")).toEqual([]);
  });

  it("keeps the leaves leaves", () => {
    for (const leaf of ["stats", "net"]) expect([leaf, [...(graph.get(leaf)?.keys() ?? [])]]).toEqual([leaf, []]);
  });
});
