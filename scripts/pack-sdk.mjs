// Packs Lectern's two client packages into public/, so every Lectern serves its own clients with no
// registry: the SDK (npm pack in sdk/, built by its prepack script) at GET /sdk/lectern-sdk.tgz and
// /sdk/lectern-sdk-<version>.tgz, and the command line (cli/) at /cli/lectern-cli.tgz and
// /cli/lectern-cli-<version>.tgz. Applications install them with
// `npm install https://<lectern>/sdk/lectern-sdk.tgz` (or /cli/lectern-cli.tgz): neither package has
// dependencies. Runs before `next build`, and before `next dev` when a tarball is missing.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// Under `npm run`, npm_execpath is npm's own CLI: the same npm, wherever it is installed.
const npm = process.env.npm_execpath?.endsWith(".js") ? [process.execPath, [process.env.npm_execpath]] : ["npm", []];

/** Packs the workspace in `dir` to public/<folder>/<stable>.tgz and <stable>-<version>.tgz. */
function pack(dir, folder, stableName) {
  const source = path.join(root, dir);
  const target = path.join(root, "public", folder);
  const stable = path.join(target, `${stableName}.tgz`);
  const { version } = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8"));
  const pinned = path.join(target, `${stableName}-${version}.tgz`);
  if (process.argv.includes("--if-missing") && existsSync(stable) && existsSync(pinned)) return;

  mkdirSync(target, { recursive: true });
  for (const f of readdirSync(target)) if (f.endsWith(".tgz")) rmSync(path.join(target, f));
  const out = execFileSync(npm[0], [...npm[1], "pack", "--json", "--pack-destination", target], {
    cwd: source,
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
    `pack: ${packed.name}@${packed.version} (${packed.entryCount} files, ${(packed.size / 1024).toFixed(1)} KiB) → public/${folder}/${stableName}.tgz`,
  );
}

pack("sdk", "sdk", "lectern-sdk");
pack("cli", "cli", "lectern-cli");
