// The CLI installed as the README says: `npm install <lectern>/cli/lectern-cli.tgz` into an empty
// directory with no package registry reachable (the package bundles what it needs), then the installed
// `lectern` command pulls a prompt from the running server.
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl } from "../../test/api/client";
import { createPrompt, exec, removeTemps, root, tempDir, uniq } from "./cli-harness";

const cliVersion = JSON.parse(await readFile(path.join(root, "cli/package.json"), "utf8")).version as string;
const folder = `install-${uniq()}`;

/** Runs a command; a failure shows what it printed (npm's log), not just its exit code. */
async function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  try {
    return await exec(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", timeout: 90_000 });
  } catch (e) {
    const { stdout = "", stderr = "" } = e as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${stdout}\n${stderr}`);
  }
}

beforeAll(async () => {
  await createPrompt({
    name: `${folder}/greeting`,
    type: "text",
    template: "Hello {{name}}",
    variables: [{ name: "name" }],
  });
});
afterAll(removeTemps);

describe("installing the CLI from the server", () => {
  it("serves the packed CLI at a stable URL and at a versioned one", async () => {
    const stable = await fetch(`${baseUrl}/cli/lectern-cli.tgz`);
    expect(stable.status).toBe(200);
    const bytes = Buffer.from(await stable.arrayBuffer());
    expect(bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b])); // gzip
    const pinned = await fetch(`${baseUrl}/cli/lectern-cli-${cliVersion}.tgz`);
    expect(pinned.status).toBe(200);
    expect(Buffer.from(await pinned.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it("installs into an empty directory with no registry, and the installed command pulls a prompt", async () => {
    const dir = tempDir("cli-newcomer");
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "prompts-repo", private: true }));
    // A registry nobody listens on: the install must need nothing but the tarball URL.
    await run(
      "npm",
      [
        "install",
        "--save-dev",
        `${baseUrl}/cli/lectern-cli.tgz`,
        "--no-audit",
        "--no-fund",
        "--registry",
        "http://127.0.0.1:9/",
        "--cache",
        path.join(dir, ".npm-cache"),
        "--loglevel",
        "error",
      ],
      dir,
    );
    const installed = JSON.parse(await readFile(path.join(dir, "node_modules/@lectern/cli/package.json"), "utf8"));
    expect(installed).toMatchObject({ name: "@lectern/cli", version: cliVersion });
    expect(installed.dependencies ?? {}).toEqual({});
    expect(await readdir(path.join(dir, "node_modules/@lectern/cli/dist"))).toContain("lectern.js");

    const bin = path.join(dir, "node_modules/.bin/lectern");
    const version = await run(bin, ["--version"], dir);
    expect(version.stdout).toContain(cliVersion);

    await writeFile(
      path.join(dir, "lectern.config.json"),
      JSON.stringify({ baseUrl, dir: "prompts", folder }, null, 2),
    );
    await run(bin, ["pull"], dir, { LECTERN_API_KEY: adminKey });
    const pulled = await readFile(path.join(dir, "prompts", folder, "greeting.yaml"), "utf8");
    expect(pulled).toContain("Hello {{name}}");
  });
});
