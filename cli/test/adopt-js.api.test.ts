// `lectern adopt --write` as a JavaScript project meets it: no TypeScript anywhere (the built lectern.js copied
// to a folder of its own, the app with only its AI SDK), a docs-chat route with a spread history and a
// summarize route with a system and a prompt. The prompts are created in Lectern, package.json gains the SDK
// from the server's tarball and `npm install` installs it with no registry, and the app sends the model the
// same messages with Lectern up, with no Lectern variable set, and what Lectern serves once a new version is
// live. Then a hostile tree: a hard link to a file outside it, a Latin-1 file and a prompt holding keys.
import { copyFileSync, cpSync, linkSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";
import { npmInstallWithNoRegistry, run } from "../../test/api/install-harness";
import { buildCli, enc, lectern, removeTemps, root, tempDir } from "./cli-harness";

const fixture = path.join(root, "cli/test/fixtures/adopt-js");
let lecternJs = "";

beforeAll(async () => {
  await buildCli();
  // lectern.js alone in a folder: no node_modules above it, so no TypeScript to find.
  const tools = tempDir("adopt-tools");
  lecternJs = path.join(tools, "lectern.js");
  copyFileSync(path.join(root, "cli/dist/lectern.js"), lecternJs);
}, 120_000);
afterAll(removeTemps);

const adopt = (cwd: string, env: Record<string, string>) =>
  lectern(["adopt", ".", "--write", "--json"], { cwd, env, bin: lecternJs });

/** What the app's routes send the model (run.mjs), with the given environment (only PATH besides). */
async function sent(app: string, env: Record<string, string> = {}) {
  const r = await run(process.execPath, ["run.mjs"], {
    cwd: app,
    env: { PATH: process.env.PATH ?? "", ...env } as unknown as NodeJS.ProcessEnv,
  });
  return JSON.parse(r.stdout) as { kind: string; system?: string; prompt?: string; messages?: unknown[] }[];
}

interface Doc {
  found: { name: string; file: string; property: string; template: unknown }[];
  leftAlone: { file: string; line: number; reason: string }[];
  skipped: { file: string; reason: string }[];
  notes: string[];
  created: { name: string; status: string }[];
  rewrites: {
    sites: { file: string; status: string; reason?: string }[];
    dependencies: { file: string; status: string }[];
  };
}

describe("lectern adopt --write on a JavaScript app without TypeScript", () => {
  const app = tempDir("adopt-js-app");
  cpSync(fixture, app, { recursive: true });
  let before: Awaited<ReturnType<typeof sent>> = [];
  let doc: Doc;

  it("the app runs as written (npm install with no registry) and records what it sends", async () => {
    await npmInstallWithNoRegistry(app, undefined);
    before = await sent(app);
    expect(before.map((s) => s.kind)).toEqual(["streamText", "generateText"]);
    expect(before[0]!.messages).toHaveLength(4);
  }, 120_000);

  it("creates the prompts, rewrites the calls and adds the SDK to package.json", async () => {
    const r = await adopt(app, { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    doc = JSON.parse(r.stdout) as Doc;
    expect(doc.notes.join("\n")).toContain("TypeScript is installed neither beside lectern nor in the directory");
    expect(doc.found.map((f) => [f.file, f.property, f.name.replace(/-\d+$/, "")])).toEqual([
      ["app/api/docs-chat/route.js", "messages", "docs-chat/system"],
      ["app/api/summarize/route.js", "system", "summarize/system"],
      ["app/api/summarize/route.js", "prompt", "summarize/prompt"],
    ]);
    expect(doc.created.map((c) => c.status)).toEqual(["created", "created", "created"]);
    expect(doc.rewrites.sites.map((s) => s.status)).toEqual(["rewritten", "rewritten", "rewritten"]);
    expect(doc.rewrites.dependencies).toEqual([{ file: "package.json", status: "added" }]);

    const chat = await call("GET", `/api/v1/prompts/${enc(doc.found[0]!.name)}`);
    expect(chat.status).toBe(200);
    expect(chat.body.latestVersion.template).toEqual([
      { role: "system", content: "You answer questions about {{product}}'s documentation. Cite the page you used." },
    ]);
    const prompt = await call("GET", `/api/v1/prompts/${enc(doc.found[2]!.name)}`);
    expect(prompt.body.latestVersion.template).toBe("Summarize in three bullet points:\n\n{{text}}");

    const route = readFileSync(path.join(app, "app/api/docs-chat/route.js"), "utf8");
    expect(route).toContain("...convertToModelMessages(messages),");
    expect(route).toContain("process.env.LECTERN_RUNTIME_KEY");
    expect(route).not.toContain("LECTERN_API_KEY");
    const pkg = JSON.parse(readFileSync(path.join(app, "package.json"), "utf8"));
    expect(pkg.dependencies["@lectern/sdk"]).toBe(`${baseUrl}/sdk/lectern-sdk.tgz`);
  }, 120_000);

  it("the SDK installs from the server's tarball with no registry", async () => {
    await npmInstallWithNoRegistry(app, undefined);
    const installed = JSON.parse(readFileSync(path.join(app, "node_modules/@lectern/sdk/package.json"), "utf8"));
    expect(installed.name).toBe("@lectern/sdk");
  }, 120_000);

  it("sends the same messages with Lectern up (a runtime key) and with no Lectern variable set", async () => {
    const key = await call("POST", "/api/v1/api-keys", { body: { name: `adopt-js-${Date.now()}`, scope: "runtime" } });
    expect(key.status, JSON.stringify(key.body)).toBe(201);
    const up = { LECTERN_BASE_URL: baseUrl, LECTERN_RUNTIME_KEY: key.body.key as string };
    expect(await sent(app, up)).toEqual(before);
    expect(await sent(app)).toEqual(before);
    expect(await sent(app, { LECTERN_BASE_URL: baseUrl })).toEqual(before);

    // Up, it really reads Lectern: a new version live in development changes what the model is sent.
    const name = doc.found[0]!.name;
    const v = await call("POST", `/api/v1/prompts/${enc(name)}/versions`, {
      body: {
        type: "chat",
        template: [{ role: "system", content: "Answer about {{product}} in one sentence." }],
        variables: [{ name: "product", type: "string", required: true }],
        baseVersion: 1,
      },
    });
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    const d = await call("POST", `/api/v1/prompts/${enc(name)}/deployments`, {
      body: { environment: "development", version: v.body.version, reason: "adopt-js test" },
    });
    expect(d.status, JSON.stringify(d.body)).toBeLessThan(300);
    const after = await sent(app, up);
    expect(after[0]!.messages![0]).toEqual({ role: "system", content: "Answer about Acme in one sentence." });
    expect(after[0]!.messages!.slice(1)).toEqual(before[0]!.messages!.slice(1));
    expect(await sent(app)).toEqual(before);
  }, 120_000);
});

describe("lectern adopt --write on a tree with a hard link out, a Latin-1 file and a prompt holding keys", () => {
  it("leaves the outside file and the Latin-1 bytes as they were, uploads no secret, and says why", async () => {
    const outside = tempDir("adopt-outside");
    const tree = tempDir("adopt-hostile");
    const callOf = (system: string) =>
      `export async function reply(c) {\n  return c.messages.create({ model: "m", system: ${JSON.stringify(system)} });\n}\n`;
    writeFileSync(path.join(outside, "shared.js"), callOf("Shared outside the tree."));
    linkSync(path.join(outside, "shared.js"), path.join(tree, "linked.js"));
    const latin1 = Buffer.from(callOf("Réponds en français, s'il te plaît."), "latin1");
    writeFileSync(path.join(tree, "french.js"), latin1);
    const openai = `sk-proj-${"Qw3rT5yU7iO9pA1sD3fG5hJ7kL9zX1cV3bN5mQ7wE9rT".repeat(3)}`;
    mkdirSync(path.join(tree, "lib"));
    writeFileSync(path.join(tree, "lib/keys.js"), callOf(`Use ${openai} and AKIAIOSFODNN7EXAMPLE for the API.`));
    const outsideBefore = readFileSync(path.join(outside, "shared.js"));

    const r = await adopt(tree, { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(openai);
    const doc = JSON.parse(r.stdout) as Doc;
    expect(readFileSync(path.join(outside, "shared.js")).equals(outsideBefore)).toBe(true);
    expect(readFileSync(path.join(tree, "french.js")).equals(latin1)).toBe(true);
    expect(readFileSync(path.join(tree, "lib/keys.js"), "utf8")).toContain(openai); // left as it was
    expect(doc.skipped).toEqual([
      {
        file: "french.js",
        reason: "not valid UTF-8: left as it is (lectern reads and writes UTF-8 only, and never re-encodes a file)",
      },
    ]);
    expect(doc.leftAlone).toEqual([
      expect.objectContaining({
        file: "lib/keys.js",
        reason: expect.stringMatching(
          /looks like an OpenAI API key \(sk-p…\), an AWS access key id \(AKIA…\): not uploaded/,
        ),
      }),
    ]);
    expect(doc.rewrites.sites).toEqual([
      expect.objectContaining({
        file: "linked.js",
        status: "skipped",
        reason: expect.stringContaining("it has 2 hard links"),
      }),
    ]);
    // The one prompt created (the linked file's text) holds no key; none holds the secret.
    expect(doc.created.map((c) => c.status)).toEqual(["created"]);
    for (const c of doc.created) {
      const p = await call("GET", `/api/v1/prompts/${enc(c.name)}`);
      expect(JSON.stringify(p.body)).not.toMatch(/sk-proj-|AKIA/);
    }
    // The name the keys' prompt would have had was never taken, in this run or any other.
    expect((await call("GET", `/api/v1/prompts/${enc("keys/reply/system")}`)).status).toBe(404);
  }, 120_000);
});
