// Builds dist/lectern.js: one ESM file for Node 20+ (yaml, zod, diff, mustache, dotprompt and handlebars,
// @babel/parser, pg for `lectern import pezzo`, and the server's validation and prompt-file code from ../lib bundled in), so the CLI installs
// from a Lectern server with no registry reachable (cli/test/install.api.test.ts). `lectern adopt` reads
// JavaScript and TypeScript with the bundled @babel/parser (320 KB, no dependencies, TS and JSX); TypeScript's
// own compiler (3.6 MB minified, and its lib .d.ts files for the checker) is left out: when the adopted project
// has it, adopt loads it from there to type the variables, and without it variables are strings.
// Run from cli/: npm run build (or node cli/scripts/build.mjs from anywhere).
import { chmodSync, readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
rmSync(dist, { recursive: true, force: true });

const out = path.join(dist, "lectern.js");
const result = await build({
  entryPoints: [path.join(root, "src/bin.ts")],
  outfile: out,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  legalComments: "none",
  // Whitespace and syntax only: identifiers stay readable in stack traces.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: "warning",
  metafile: true,
  // Resolved at run time, from beside the CLI or from the adopted directory, only to type adopt's variables.
  external: ["typescript"],
  define: { __LECTERN_CLI_VERSION__: JSON.stringify(pkg.version) },
  // ESM output still runs the CommonJS parts of bundled dependencies that call require().
  banner: {
    js: "#!/usr/bin/env node\nimport { createRequire as __lecternRequire } from 'node:module'; const require = __lecternRequire(import.meta.url);",
  },
});
const { inputs } = result.metafile;
const forbidden = Object.keys(inputs).filter(
  (p) => /node_modules\/(next|react|drizzle-orm|@electric-sql)\//.test(p) || /lib\/server\//.test(p),
);
if (forbidden.length) throw new Error(`the CLI bundle must not include server code: ${forbidden.join(", ")}`);
// The PostgreSQL client is bundled for one reader only, `lectern import pezzo`'s (src/pezzo-source.ts), which
// reads a Pezzo database on the importing machine; no other CLI code may reach a database.
const pgUsers = Object.entries(inputs)
  .filter(([p, i]) => !p.includes("node_modules/") && i.imports.some((x) => /node_modules\/pg\//.test(x.path)))
  .map(([p]) => p);
if (pgUsers.some((p) => path.resolve(p) !== path.join(root, "src/pezzo-source.ts")))
  throw new Error(`only cli/src/pezzo-source.ts may use the PostgreSQL client: ${pgUsers.join(", ")}`);
chmodSync(out, 0o755);
if (process.argv.includes("--verbose") || !process.env.LECTERN_QUIET_BUILD)
  console.log(`cli/dist/lectern.js ${(statSync(out).size / 1024).toFixed(1)} KiB`);
