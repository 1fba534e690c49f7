// The lectern command as a subprocess (node cli/dist/lectern.js, built by buildCli) against a real
// server started by scripts/with-server.sh. That server is shared with other test files: every test
// works in its own folder of names.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";

export const root = path.resolve(import.meta.dirname, "../..");
const bin = path.join(root, "cli/dist/lectern.js");
export const enc = encodeURIComponent;
export const uniq = () => randomBytes(4).toString("hex");
const temps: string[] = [];
// Never execFileSync here: a blocked event loop keeps fetch from noticing that the server closed an
// idle keep-alive connection, and the next request fails with "other side closed".
export const exec = promisify(execFile);

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Builds the CLI (each test file, in its beforeAll). */
export async function buildCli() {
  await exec(process.execPath, [path.join(root, "cli/scripts/build.mjs")], {
    env: { ...process.env, LECTERN_QUIET_BUILD: "1" },
  });
}

/** Removes the folders tempDir made (each test file, in its afterAll). */
export function removeTemps() {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Runs the built CLI (or a copy of it at `bin`) in a clean environment: only what each test passes, plus PATH. */
export function lectern(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; stdin?: string; bin?: string },
): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [opts.bin ?? bin, ...args],
      {
        cwd: opts.cwd,
        env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", ...opts.env } as unknown as NodeJS.ProcessEnv,
        encoding: "utf8",
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  });
}

export function tempDir(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), `lectern-${prefix}-`));
  temps.push(d);
  return d;
}

/** A repository checkout: lectern.config.json (no key in it) and the key in the environment, like CI. */
export function repo(folder: string, server = baseUrl) {
  const dir = tempDir("repo");
  writeFileSync(
    path.join(dir, "lectern.config.json"),
    JSON.stringify({ baseUrl: server, dir: "prompts", folder }, null, 2),
  );
  const run = (args: string[], env: Record<string, string> = {}) =>
    lectern(args, { cwd: dir, env: { LECTERN_API_KEY: adminKey, ...env } });
  const file = (name: string) => path.join(dir, "prompts", ...name.split("/")) + ".yaml";
  return {
    dir,
    run,
    file,
    read: (name: string) => readFileSync(file(name), "utf8"),
    write: (name: string, text: string) => writeFileSync(file(name), text),
  };
}

export async function createPrompt(body: Record<string, unknown>) {
  const r = await call("POST", "/api/v1/prompts", { body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

export const resolveOn = async (server: string, name: string, environment: string) => {
  const res = await fetch(`${server}/api/v1/prompts/resolve?name=${enc(name)}&environment=${environment}`, {
    headers: { authorization: `Bearer ${adminKey}` },
  });
  const body = (await res.json()) as Record<string, unknown>;
  return { status: res.status, body };
};
