// `lectern adopt` against a real server: the fixture application's prompts are created with their
// variables and served in development; --write rewrites the calls; the rewritten app type-checks and sends
// the model what the original sent with Lectern up (a runtime key), down and unconfigured, and follows a
// new version promoted in Lectern (so it really reads Lectern when it is up). A JavaScript app without
// TypeScript, and a hostile tree: adopt-js.api.test.ts.
import { rmSync } from "node:fs";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminKey, baseUrl, call } from "../../test/api/client";
import { copyApp, fixturePy, hasPython, pythonSent, requests, sourcesOf, typecheck } from "./adopt-fixture";
import { buildCli, enc, lectern, removeTemps, resolveOn } from "./cli-harness";

interface Adopted {
  name: string;
  file: string;
  property: string;
  variables: { name: string; type: string }[];
}

const dirs: string[] = [];
const saved = { ...process.env };

beforeAll(buildCli, 120_000);
afterAll(() => {
  removeTemps();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  for (const k of ["LECTERN_BASE_URL", "LECTERN_RUNTIME_KEY", "LECTERN_ENVIRONMENT"]) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

/** A runtime key: what an application holds (the admin key stays with the CLI). */
const runtimeKey = async () => {
  const r = await call("POST", "/api/v1/api-keys", { body: { name: `adopt-app-${Date.now()}`, scope: "runtime" } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.key as string;
};

const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

describe("lectern adopt on a TypeScript application", () => {
  const original = copyApp();
  const app = copyApp();
  dirs.push(original, app);
  let found: Adopted[] = [];

  it("creates every prompt with its variables, live in development, and rewrites the calls", async () => {
    const r = await lectern(["adopt", app, "--write", "--json"], {
      cwd: app,
      env: { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey },
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      found: Adopted[];
      created: { name: string; status: string }[];
      rewrites: { sites: { status: string }[] };
    };
    found = doc.found;
    expect(found.map((f) => [f.file, f.property])).toEqual([
      ["src/summarize.mts", "system"],
      ["src/summarize.mts", "prompt"],
      ["src/summarize.mts", "system"],
      ["src/summarize.mts", "messages"],
      ["src/support.mts", "messages"],
      ["src/support.mts", "instructions"],
      ["src/support.mts", "input"],
    ]);
    expect(doc.created.every((c) => c.status === "created")).toBe(true);
    expect(doc.rewrites.sites.map((s) => s.status)).toEqual(Array(7).fill("rewritten"));

    const reply = found.find((f) => f.file === "src/support.mts" && f.property === "messages")!;
    const detail = await call("GET", `/api/v1/prompts/${enc(reply.name)}`);
    expect(detail.status).toBe(200);
    expect(detail.body.latestVersion.variables).toEqual([
      expect.objectContaining({ name: "customer_name", type: "string" }),
      expect.objectContaining({ name: "customer_plan", type: "string" }),
      expect.objectContaining({ name: "maxWords", type: "number" }),
    ]);
    for (const f of found) expect((await resolveOn(baseUrl, f.name, "development")).status).toBe(200);
  }, 120_000);

  it("the rewritten application type-checks", () => {
    expect(typecheck(sourcesOf(app))).toEqual([]);
  }, 60_000);

  it("sends the same messages with Lectern up, with Lectern down, and with no Lectern variable set", async () => {
    const before = await requests(original, "original");
    process.env.LECTERN_BASE_URL = baseUrl;
    process.env.LECTERN_RUNTIME_KEY = await runtimeKey();
    expect(await requests(app, "up")).toEqual(before);
    process.env.LECTERN_BASE_URL = `http://127.0.0.1:${await closedPort()}`;
    expect(await requests(app, "down")).toEqual(before);
    delete process.env.LECTERN_BASE_URL;
    expect(await requests(app, "unset")).toEqual(before);
  }, 60_000);

  it("serves what Lectern serves: a new version live in development changes what the model is sent", async () => {
    const instructions = found.find((f) => f.property === "instructions")!;
    const v = await call("POST", `/api/v1/prompts/${enc(instructions.name)}/versions`, {
      body: { type: "text", template: "Classify the ticket. One word.", variables: [], baseVersion: 1 },
    });
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    const d = await call("POST", `/api/v1/prompts/${enc(instructions.name)}/deployments`, {
      body: { environment: "development", version: v.body.version, reason: "adopt test" },
    });
    expect(d.status, JSON.stringify(d.body)).toBeLessThan(300);
    process.env.LECTERN_BASE_URL = baseUrl;
    const after = (await requests(app, "changed")) as { instructions?: string }[];
    expect(after[1]!.instructions).toBe("Classify the ticket. One word.");
  }, 60_000);
});

describe.skipIf(!hasPython)("lectern adopt on a Python file", () => {
  it("creates its prompts, rewrites it, and it sends the same with Lectern up and down", async () => {
    const original = copyApp(fixturePy);
    const app = copyApp(fixturePy);
    dirs.push(original, app);
    const down = `http://127.0.0.1:${await closedPort()}`;
    const key = await runtimeKey();
    const before = await pythonSent(original, down, key);
    const r = await lectern(["adopt", app, "--write", "--json"], {
      cwd: app,
      env: { LECTERN_BASE_URL: baseUrl, LECTERN_API_KEY: adminKey },
    });
    expect(r.code, r.stderr + r.stdout).toBe(0);
    const doc = JSON.parse(r.stdout) as { found: Adopted[]; rewrites: { sites: { status: string }[] } };
    expect(doc.found.map((f) => f.property)).toEqual(["messages", "instructions", "input"]);
    expect(doc.rewrites.sites.map((s) => s.status)).toEqual(["rewritten", "rewritten", "rewritten"]);
    const reply = await call("GET", `/api/v1/prompts/${enc(doc.found[0]!.name)}`);
    expect(reply.body.latestVersion.variables.map((v: { name: string; type: string }) => [v.name, v.type])).toEqual([
      ["customer", "string"],
      ["orders", "number"],
      ["vip", "string"],
      ["question", "string"],
    ]);
    expect(await pythonSent(app, baseUrl, key)).toEqual(before);
    expect(await pythonSent(app, down, key)).toEqual(before);
    expect(await pythonSent(app, undefined, undefined)).toEqual(before);
  }, 120_000);
});
