// The CLI installed as the README says: `npm install <lectern>/cli/lectern-cli.tgz` into an empty
// directory with no package registry reachable (the package bundles what it needs), then the installed
// `lectern` command pulls a prompt from the running server.
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl } from "../../test/api/client";
import { expectStableAndPinnedTarball, npmInstallWithNoRegistry, run } from "../../test/api/install-harness";
import { createPrompt, removeTemps, root, tempDir, uniq } from "./cli-harness";

const cliVersion = JSON.parse(await readFile(path.join(root, "cli/package.json"), "utf8")).version as string;
const folder = `install-${uniq()}`;

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
    await expectStableAndPinnedTarball("/cli/lectern-cli.tgz", `/cli/lectern-cli-${cliVersion}.tgz`);
  });

  it("installs into an empty directory with no registry, and the installed command pulls a prompt", async () => {
    const dir = tempDir("cli-newcomer");
    await writeFile(path.join(dir, "package.json"), JSON.stringify({ name: "prompts-repo", private: true }));
    await npmInstallWithNoRegistry(dir, `${baseUrl}/cli/lectern-cli.tgz`, ["--save-dev"]);
    const installed = JSON.parse(await readFile(path.join(dir, "node_modules/@lectern/cli/package.json"), "utf8"));
    expect(installed).toMatchObject({ name: "@lectern/cli", version: cliVersion });
    expect(installed.dependencies ?? {}).toEqual({});
    expect(await readdir(path.join(dir, "node_modules/@lectern/cli/dist"))).toContain("lectern.js");

    const bin = path.join(dir, "node_modules/.bin/lectern");
    const version = await run(bin, ["--version"], { cwd: dir, timeout: 90_000 });
    expect(version.stdout).toContain(cliVersion);

    await writeFile(
      path.join(dir, "lectern.config.json"),
      JSON.stringify({ baseUrl, dir: "prompts", folder }, null, 2),
    );
    await run(bin, ["pull"], { cwd: dir, timeout: 90_000, env: { ...process.env, LECTERN_API_KEY: adminKey } });
    const pulled = await readFile(path.join(dir, "prompts", folder, "greeting.yaml"), "utf8");
    expect(pulled).toContain("Hello {{name}}");
  });
});
