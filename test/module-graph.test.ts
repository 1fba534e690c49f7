// What Next compiles for a page or route is what its imports reach. Two reaches cost a newcomer most of
// `npm run dev`'s first minute on two cores (docs/benchmarks.md, "A newcomer's first minutes"); these tests keep
// them out:
// - the bootstrap and the demo seed (lib/setup) in what pages and routes import: only startup bootstraps
//   (lib/server/wiring/process/startup.ts), and reaching it made every page compile most of lib/;
// - the statistics (lib/stats and @stdlib's thousand small modules) in the browser: a client component that
//   formatted a count reached them through the verdict's module.
// esbuild walks the same imports Next does; a server action ("use server") is, from a client component, only
// a reference, so it is not followed.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { build, type Metafile, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const startsWith = (file: string, directive: string) =>
  new RegExp(`^(\\s*//[^\\n]*\\n)*\\s*["']${directive}["']`).test(readFileSync(file, "utf8"));

/** Every package import is left out (named in `packages`); own code is walked. */
function walker(packages: Set<string>, followServerActions: boolean): Plugin {
  return {
    name: "walk",
    setup(b) {
      b.onResolve({ filter: /\.css$/ }, () => ({ path: "css", namespace: "empty" }));
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("@/")) return undefined;
        packages.add(args.path);
        return { path: args.path, external: true };
      });
      b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
      if (!followServerActions)
        b.onLoad({ filter: /\.tsx?$/ }, (args) =>
          startsWith(args.path, "use server") ? { contents: "module.exports = {};", loader: "js" } : undefined,
        );
    },
  };
}

/** For each entry (relative to the project), the project files its imports reach. */
async function reach(entries: string[], followServerActions: boolean) {
  const packages = new Set<string>();
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    splitting: true,
    write: false,
    metafile: true,
    outdir: "out",
    platform: "neutral",
    format: "esm",
    jsx: "automatic",
    logLevel: "silent",
    plugins: [walker(packages, followServerActions)],
  });
  const inputs = (result.metafile as Metafile).inputs;
  const from = (entry: string) => {
    const seen = new Set([entry]);
    for (const file of seen)
      for (const i of inputs[file]?.imports ?? []) if (!i.external && inputs[i.path]) seen.add(i.path);
    return [...seen];
  };
  return new Map(entries.map((e) => [e, from(e)]));
}

describe("what Next compiles for a page", () => {
  it("no page, layout or route handler reaches the bootstrap or the demo seed", { timeout: 60_000 }, async () => {
    const entries = sources(path.join(root, "app"))
      .filter((f) => /\/(page|layout|route|default|error|not-found)\.tsx?$/.test(f))
      .map((f) => path.relative(root, f));
    entries.push("proxy.ts");
    expect(entries.length).toBeGreaterThan(40);
    const reached = await reach(entries, true);
    expect(reached.get("proxy.ts")!.length).toBeGreaterThan(1);
    const offenders = [...reached].flatMap(([entry, files]) =>
      files.filter((f) => f.startsWith("lib/setup/") && !f.endsWith("installation.ts")).map((f) => `${entry} → ${f}`),
    );
    expect(offenders).toEqual([]);
    // The check sees what it guards: startup, which bootstraps, does reach it.
    const startup = (await reach(["lib/server/wiring/process/startup.ts"], true)).get(
      "lib/server/wiring/process/startup.ts",
    );
    expect(startup).toContain("lib/setup/seed-demo.ts");
  });

  it("no client component reaches the statistics", { timeout: 60_000 }, async () => {
    const entries = [...sources(path.join(root, "app")), ...sources(path.join(root, "components"))]
      .filter((f) => startsWith(f, "use client"))
      .map((f) => path.relative(root, f));
    expect(entries.length).toBeGreaterThan(50);
    const reached = await reach(entries, false);
    // The new experiment's form computes its sample size as it is typed (one @stdlib distribution): allowed.
    const offenders = [...reached].flatMap(([entry, files]) =>
      files.filter((f) => f.startsWith("lib/stats/") && f !== "lib/stats/sample-size.ts").map((f) => `${entry} → ${f}`),
    );
    expect(offenders).toEqual([]);
    // The same walk from the verdict's module does reach them (so the check can fail).
    const verdict = (await reach(["lib/experiments/analysis/verdict.ts"], false)).get(
      "lib/experiments/analysis/verdict.ts",
    )!;
    expect(verdict.some((f) => f.startsWith("lib/stats/"))).toBe(true);
  });
});
