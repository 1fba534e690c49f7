// Builds dist/: one ESM bundle with no dependencies (the server's template code from ../lib and
// mustache included, so the package installs from a tarball with no registry at hand) and .d.ts
// files emitted by tsc from src/. Run from sdk/: npm run build (npm pack runs it as prepack).
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(root, "dist");
rmSync(dist, { recursive: true, force: true });

const result = await build({
  entryPoints: [join(root, "src/index.ts")],
  outfile: join(dist, "index.js"),
  bundle: true,
  format: "esm",
  // Neutral: no Node built-ins may be pulled in, so the bundle runs in edge runtimes too.
  platform: "neutral",
  mainFields: ["module", "main"],
  conditions: ["import", "default"],
  target: "es2022",
  metafile: true,
  // mustache's MIT notice travels in LICENSE; the bundle stays free of comment banners.
  legalComments: "none",
  logLevel: "warning",
});
const inputs = Object.keys(result.metafile.inputs);
const builtins = inputs.filter((p) => p.startsWith("node:"));
if (builtins.length) throw new Error(`the bundle imports Node built-ins: ${builtins.join(", ")}`);
const imports = result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].imports.filter((i) => i.external);
if (imports.length)
  throw new Error(`the bundle must not import anything at run time: ${imports.map((i) => i.path).join(", ")}`);

// Declarations: tsc emits for every file it reads (including ../lib); keep only src's, which must
// not refer to ../lib (the public types are written out in src/types.ts).
const tmp = join(dist, ".types");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
const emitted = join(tmp, "sdk/src");
for (const f of readdirSync(emitted)) {
  if (!f.endsWith(".d.ts") || f.includes(".test.")) continue;
  const text = readFileSync(join(emitted, f), "utf8");
  if (/from\s+["']\.\.\//.test(text))
    throw new Error(`${f} refers to files outside sdk/src; keep public types in src/types.ts`);
  // Node's ESM resolution (moduleResolution node16/nodenext in consumers) wants explicit extensions.
  writeFileSync(
    join(dist, f),
    text.replace(/((?:from|import)\s*\(?\s*["'])(\.\.?\/[^"']+?)(["'])/g, (_, a, spec, b) =>
      spec.endsWith(".js") ? a + spec + b : `${a}${spec}.js${b}`,
    ),
  );
}
rmSync(tmp, { recursive: true, force: true });
if (!existsSync(join(dist, "index.d.ts"))) throw new Error("index.d.ts was not emitted");

const kb = (statSync(join(dist, "index.js")).size / 1024).toFixed(1);
const top = Object.entries(result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].inputs)
  .map(([p, v]) => [p.replace(/^.*node_modules\//, ""), v.bytesInOutput])
  .sort((a, b) => b[1] - a[1]);
const byPackage = new Map();
for (const [p, bytes] of top) {
  const key =
    p.startsWith("..") || p.startsWith("src")
      ? p
      : p
          .split("/")
          .slice(0, p.startsWith("@") ? 2 : 1)
          .join("/");
  byPackage.set(key, (byPackage.get(key) ?? 0) + bytes);
}
console.log(`dist/index.js ${kb} KiB`);
for (const [p, bytes] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8))
  console.log(`  ${(bytes / 1024).toFixed(1).padStart(7)} KiB  ${p}`);
