// Lectern's own server code (lib/ and gateway/) as one ES module for plain Node, with esbuild: `npm run build`
// bundles gateway/main.ts for `npm start` (scripts/build-server.mjs), and `npm run dev` bundles its start
// (scripts/dev-server.mjs). Packages stay external (they are loaded from node_modules at run time), so the
// bundle must be written inside the project.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
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

/**
 * Bundles `entry` (relative to the project) into `outfile`, with its source map beside it. Each file is written
 * whole under another name and then renamed, so that another process starting from the same folder (a second
 * `npm run dev`) never imports half of it.
 */
export async function bundleServerCode(entry, outfile) {
  const { outputFiles } = await build({
    write: false,
    entryPoints: [path.join(root, entry)],
    outfile: path.resolve(root, outfile),
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
  for (const file of outputFiles) {
    mkdirSync(path.dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
}
