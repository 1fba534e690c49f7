// Packs the SDK (npm pack in sdk/, which builds it through its prepack script) into public/sdk/, so
// every Lectern serves its own client: GET /sdk/lectern-sdk.tgz (the current one) and
// /sdk/lectern-sdk-<version>.tgz (pinned). Applications install it with
// `npm install https://<lectern>/sdk/lectern-sdk.tgz`, with no registry: the package has no
// dependencies. Runs before `next build`, and before `next dev` when the tarball is missing.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sdk = path.join(root, "sdk");
const target = path.join(root, "public", "sdk");
const stable = path.join(target, "lectern-sdk.tgz");
const { version } = JSON.parse(readFileSync(path.join(sdk, "package.json"), "utf8"));
const pinned = path.join(target, `lectern-sdk-${version}.tgz`);

if (process.argv.includes("--if-missing") && existsSync(stable) && existsSync(pinned)) process.exit(0);

mkdirSync(target, { recursive: true });
for (const f of readdirSync(target)) if (f.endsWith(".tgz")) rmSync(path.join(target, f));
// Under `npm run`, npm_execpath is npm's own CLI: the same npm, wherever it is installed.
const npm = process.env.npm_execpath?.endsWith(".js") ? [process.execPath, [process.env.npm_execpath]] : ["npm", []];
const out = execFileSync(npm[0], [...npm[1], "pack", "--json", "--pack-destination", target], {
  cwd: sdk,
  encoding: "utf8",
  stdio: ["ignore", "pipe", "inherit"],
});
// The prepack build prints to stdout too; npm's JSON report is the part from a line holding "[".
const [packed] = JSON.parse(out.slice(out.search(/^\[$/m)));
const file = path.join(target, packed.filename);
if (file !== pinned) copyFileSync(file, pinned);
copyFileSync(pinned, stable);
if (file !== pinned) rmSync(file);
console.log(
  `pack-sdk: ${packed.name}@${packed.version} (${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} KiB) → public/sdk/lectern-sdk.tgz`,
);
