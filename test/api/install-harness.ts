// Installing a packed package (the CLI, the SDK) from the running server, as the READMEs say: the
// tarball served at a stable URL and at a versioned one, and `npm install <tarball URL>` into a directory
// with no package registry reachable.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect } from "vitest";
import { baseUrl } from "./client";

const exec = promisify(execFile);

/** Runs a command; a failure shows what it printed (npm's log, tsc's errors), not just its exit code. */
export async function run(cmd: string, args: string[], opts: Parameters<typeof exec>[2] & { cwd: string }) {
  try {
    return await exec(cmd, args, { ...opts, encoding: "utf8" });
  } catch (e) {
    const { stdout = "", stderr = "" } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${stdout}\n${stderr}`);
  }
}

/** The server serves a gzipped tarball at `stablePath`, and the same bytes at `pinnedPath`. */
export async function expectStableAndPinnedTarball(stablePath: string, pinnedPath: string) {
  const stable = await fetch(`${baseUrl}${stablePath}`);
  expect(stable.status).toBe(200);
  const bytes = Buffer.from(await stable.arrayBuffer());
  expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
  const pinned = await fetch(`${baseUrl}${pinnedPath}`);
  expect(pinned.status).toBe(200);
  expect(Buffer.from(await pinned.arrayBuffer()).equals(bytes)).toBe(true);
}

/**
 * `npm install [flags] <tarballUrl>` in `dir` (without a URL: what package.json names), against a registry
 * nobody listens on: the install must need nothing but the tarball URL.
 */
export function npmInstallWithNoRegistry(dir: string, tarballUrl: string | undefined, flags: string[] = []) {
  const args = [
    "install",
    ...flags,
    ...(tarballUrl ? [tarballUrl] : []),
    "--no-audit",
    "--no-fund",
    "--registry",
    "http://127.0.0.1:9/",
  ];
  return run("npm", [...args, "--cache", path.join(dir, ".npm-cache"), "--loglevel", "error"], {
    cwd: dir,
    timeout: 90_000,
  });
}
