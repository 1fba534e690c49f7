// A newcomer's path, exactly as the README gives it: in an empty directory, `npm install
// <lectern>/sdk/lectern-sdk.tgz` from the running server, with no package registry reachable (the
// package has no dependencies), then a TypeScript check and a script that fetches and renders a prompt.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl } from "../../test/api/client";
import { expectStableAndPinnedTarball, npmInstallWithNoRegistry, run } from "../../test/api/install-harness";

const repo = path.resolve(import.meta.dirname, "../..");
const sdkVersion = JSON.parse(await readFile(path.join(repo, "sdk/package.json"), "utf8")).version as string;

async function admin<T = Record<string, unknown>>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(baseUrl + url, {
    method,
    headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const name = `install-${Math.random().toString(36).slice(2, 8)}`;
let dir = "";
let runtimeKey = "";

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "lectern-sdk-newcomer-"));
  runtimeKey = (await admin<{ key: string }>("POST", "/api/v1/api-keys", { name, scope: "runtime" })).key;
  await admin("POST", "/api/v1/prompts", {
    name,
    type: "chat",
    template: [{ role: "system", content: "You help {{customer}}." }],
    variables: [{ name: "customer" }],
  });
  await admin("POST", `/api/v1/prompts/${name}/deployments`, { environment: "production", version: 1 });
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("installing the SDK from the server", () => {
  it("serves the packed SDK at a stable URL and at a versioned one", async () => {
    await expectStableAndPinnedTarball("/sdk/lectern-sdk.tgz", `/sdk/lectern-sdk-${sdkVersion}.tgz`);
  });

  it("installs into an empty directory with no registry, type-checks, and fetches and renders a prompt", async () => {
    await writeFile(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "newcomer-app", private: true, type: "module" }),
    );
    await npmInstallWithNoRegistry(dir, `${baseUrl}/sdk/lectern-sdk.tgz`);
    const installed = JSON.parse(await readFile(path.join(dir, "node_modules/@lectern/sdk/package.json"), "utf8"));
    expect(installed).toMatchObject({ name: "@lectern/sdk", version: sdkVersion });
    expect(installed.dependencies ?? {}).toEqual({});
    expect(await readdir(path.join(dir, "node_modules"))).toEqual(expect.arrayContaining(["@lectern"]));
    const files = await readdir(path.join(dir, "node_modules/@lectern/sdk"));
    expect(files).toEqual(expect.arrayContaining(["LICENSE", "README.md", "dist", "package.json"]));

    // TypeScript with Node's own module resolution finds the types through `exports`.
    await writeFile(
      path.join(dir, "check.ts"),
      [
        'import { createClient, LecternNotFoundError, toOpenAI, type LecternClient, type Message, type Prompt } from "@lectern/sdk";',
        'const client: LecternClient = createClient({ baseUrl: "http://localhost:3000", apiKey: "key", environment: "production" });',
        'const prompt: Prompt = await client.getPrompt("x");',
        // A message's content is a string or, when it holds images, a list of text and image parts.
        'const out: string | Message[] = prompt.render({ customer: "Ann" });',
        "const openai: { role: string; content: unknown }[] = toOpenAI(out);",
        "export const ok = [out, openai, LecternNotFoundError] as const;",
      ].join("\n"),
    );
    const tsc = path.join(repo, "node_modules/typescript/bin/tsc");
    await run(
      process.execPath,
      [
        tsc,
        "--noEmit",
        "--strict",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--target",
        "es2022",
        "--lib",
        "es2022,dom",
        "check.ts",
      ],
      { cwd: dir, timeout: 90_000 },
    );

    await writeFile(
      path.join(dir, "app.mjs"),
      [
        'import { createClient } from "@lectern/sdk";',
        'const lectern = createClient({ baseUrl: process.env.LECTERN_URL, apiKey: process.env.LECTERN_KEY, environment: "production", push: false });',
        "const prompt = await lectern.getPrompt(process.env.PROMPT);",
        'console.log(JSON.stringify({ version: prompt.version, messages: prompt.render({ customer: "Ann" }) }));',
        "await lectern.close();",
      ].join("\n"),
    );
    const { stdout } = await run(process.execPath, ["app.mjs"], {
      cwd: dir,
      timeout: 30_000,
      env: { ...process.env, LECTERN_URL: baseUrl, LECTERN_KEY: runtimeKey, PROMPT: name },
    });
    expect(JSON.parse(stdout)).toEqual({ version: 1, messages: [{ role: "system", content: "You help Ann." }] });
  });
});
