// Copies Monaco's AMD build into public/monaco/vs so the editor loads from Lectern itself, never from
// a CDN (air-gapped installs and CI have no internet). Runs before `next dev` and `next build`.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "node_modules", "monaco-editor", "min", "vs");
const target = path.join(root, "public", "monaco", "vs");
const stamp = path.join(root, "public", "monaco", ".version");

if (!existsSync(source)) {
  console.error(`copy-monaco: ${source} not found; run npm install first.`);
  process.exit(1);
}
const version = JSON.parse(
  readFileSync(path.join(root, "node_modules", "monaco-editor", "package.json"), "utf8"),
).version;
if (existsSync(stamp) && existsSync(target) && readFileSync(stamp, "utf8") === version) process.exit(0);

rmSync(target, { recursive: true, force: true });
cpSync(source, target, { recursive: true });
writeFileSync(stamp, version);
console.log(`copy-monaco: monaco-editor ${version} copied to public/monaco/vs`);
