// Bundles server/main.ts (and the lib/ code it uses) into <distDir>/lectern-server.mjs, next to
// Next's own build. Packages stay external (they are loaded from node_modules at run time).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const require = createRequire(path.join(root, "package.json"));

// Node's ESM loader needs file extensions in deep imports of packages without an "exports" map
// ("ajv/dist/2020" → "ajv/dist/2020.js"); CommonJS resolution, which TypeScript follows, does not.
function externalPath(spec) {
  const parts = spec.split("/");
  const name = spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
  if (spec === name) return spec;
  try {
    const pkgJson = require.resolve(`${name}/package.json`);
    if (JSON.parse(readFileSync(pkgJson, "utf8")).exports) return spec;
    return path.posix.join(name, path.relative(path.dirname(pkgJson), require.resolve(spec)).split(path.sep).join("/"));
  } catch {
    return spec;
  }
}
const distDir = process.env.LECTERN_NEXT_DIST_DIR || ".next";

// The server, and the OTLP decoder's worker thread beside it (lib/ingest/otlp-decode-thread.ts finds it there).
for (const [entry, out] of [
  ["server/main.ts", "lectern-server.mjs"],
  ["lib/ingest/otlp-decode-worker.ts", "lectern-otlp-worker.mjs"],
])
  await build({
    entryPoints: [path.join(root, entry)],
    outfile: path.join(root, distDir, out),
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
    // ESM output still runs the CommonJS parts of dependencies that call require().
    banner: {
      js: "import { createRequire as __lecternRequire } from 'node:module'; const require = __lecternRequire(import.meta.url);",
    },
    plugins: [
      {
        name: "lectern-externals",
        setup(b) {
          // `server-only` guards React server components; this bundle is server code by construction.
          b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
          b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
          // Our own code (relative and "@/…") is bundled; every package is loaded from node_modules.
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@/") ? undefined : { path: externalPath(args.path), external: true },
          );
        },
      },
    ],
  });
console.log(`${distDir}/lectern-server.mjs and lectern-otlp-worker.mjs built`);
