// Copies the browser code Lectern serves from its own origin into public/, never from a CDN (air-gapped installs and
// CI have no internet): Monaco's AMD build (the editor) and Scalar's standalone bundle (the API reference at
// /api/v1/docs). Runs before `next dev` and `next build`; a copy whose package version is unchanged is kept.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

const vendored = [
  { pkg: "monaco-editor", from: "min/vs", to: "public/monaco/vs" },
  { pkg: "@scalar/api-reference", from: "dist/browser/standalone.js", to: "public/scalar/standalone.js" },
];

for (const { pkg, from, to } of vendored) {
  const dir = path.join(root, "node_modules", pkg);
  const source = path.join(dir, from);
  const target = path.join(root, to);
  const stamp = path.join(path.dirname(target), `.${path.basename(target)}.version`);
  if (!existsSync(source)) {
    console.error(`copy-vendor: ${source} not found; run npm install first.`);
    process.exit(1);
  }
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  if (existsSync(stamp) && existsSync(target) && readFileSync(stamp, "utf8") === version) continue;
  rmSync(target, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  cpSync(source, target, { recursive: true });
  writeFileSync(stamp, version);
  console.log(`copy-vendor: ${pkg} ${version} copied to ${to}`);
}
