// Model connections, prices and the playground over HTTP, against the local model server: the key is
// accepted once and never answered back, bad input names the field, and a playground call reports
// output, tokens, cost and latency priced with the project's overrides.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLlmServer, type LlmServer } from "../llm-server";
import { call, errorCode } from "./client";

let server: LlmServer;
beforeAll(async () => {
  // Its own port: the api files run one after another, but eval.api.test.ts owns LECTERN_TEST_LLM_PORT.
  server = await startLlmServer({
    script: {
      apiKey: "sk-api-test-4242",
      rules: [{ match: "Say hi to Ann", text: "Hi Ann!", usage: { input: 1000, output: 500 } }],
    },
  });
});
afterAll(async () => {
  await server?.stop();
});

const secret = "sk-api-test-4242";

describe("/api/v1/connections", () => {
  it("creates with the key encrypted, answers only its mask, updates, tests and deletes", async () => {
    const name = `local-${randomBytes(3).toString("hex")}`;
    const created = await call("POST", "/api/v1/connections", {
      body: {
        name,
        provider: "openai-compatible",
        baseUrl: server.baseUrl,
        apiKey: secret,
        defaultModel: "scripted-model",
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, apiKeyHint: "…4242", provider: "openai-compatible" });
    expect(JSON.stringify(created.body)).not.toContain(secret);
    const list = await call("GET", "/api/v1/connections");
    expect(JSON.stringify(list.body)).not.toContain(secret);
    expect(list.body.data.map((c: { name: string }) => c.name)).toContain(name);

    expect(
      (
        await call("POST", "/api/v1/connections", {
          body: { name, provider: "openai-compatible", baseUrl: server.baseUrl },
        })
      ).status,
    ).toBe(409);
    const bad = await call("POST", "/api/v1/connections", {
      body: { name: "x", provider: "openai-compatible", baseUrl: server.baseUrl, concurrency: 0 },
    });
    expect([bad.status, errorCode(bad), bad.body.error.details.field]).toEqual([400, "invalid_input", "concurrency"]);
    const noUrl = await call("POST", "/api/v1/connections", { body: { name: "y", provider: "openai-compatible" } });
    expect([noUrl.status, noUrl.body.error.details.field]).toEqual([422, "baseUrl"]);

    const tested = await call("POST", `/api/v1/connections/${created.body.id}/test`, { body: {} });
    expect(tested.body).toMatchObject({ ok: true, model: "scripted-model", error: null });
    const patched = await call("PATCH", `/api/v1/connections/${created.body.id}`, {
      body: { apiKey: "sk-wrong-0000" },
    });
    expect(patched.body.apiKeyHint).toBe("…0000");
    // The cached caller is rebuilt: the new (wrong) key reaches the endpoint at once.
    expect((await call("POST", `/api/v1/connections/${created.body.id}/test`, { body: {} })).body).toMatchObject({
      ok: false,
      error: { kind: "auth", status: 401 },
    });
    expect((await call("DELETE", `/api/v1/connections/${created.body.id}`)).status).toBe(200);
    expect((await call("PATCH", `/api/v1/connections/${created.body.id}`, { body: { name: "z" } })).status).toBe(404);
  });
});

describe("/api/v1/prices and the playground", () => {
  it("prices a playground call with the project's overrides", async () => {
    const before = await call("GET", "/api/v1/prices");
    expect(before.body.defaults["gpt-4o-mini"]).toBeDefined();
    const bad = await call("PUT", "/api/v1/prices", {
      body: { prices: { m: { inputPerMTok: -1, outputPerMTok: 0 } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("price must not be negative");
    const put = await call("PUT", "/api/v1/prices", {
      body: { prices: { "scripted-model": { inputPerMTok: 2, outputPerMTok: 8 } } },
    });
    expect(put.body.overrides).toEqual({ "scripted-model": { inputPerMTok: 2, outputPerMTok: 8 } });

    const name = `play-${randomBytes(3).toString("hex")}`;
    const conn = await call("POST", "/api/v1/connections", {
      body: { name: `c-${name}`, provider: "openai-compatible", baseUrl: server.baseUrl, apiKey: secret },
    });
    const prompt = await call("POST", "/api/v1/prompts", {
      body: {
        name,
        type: "text",
        template: "Say hi to {{who}}",
        variables: [{ name: "who", type: "string" }],
        config: { model: "scripted-model" },
      },
    });
    expect(prompt.status).toBe(201);
    const run = await call("POST", `/api/v1/prompts/${name}/playground`, {
      body: { version: 1, variables: { who: "Ann" }, connection: conn.body.id },
    });
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      output: "Hi Ann!",
      usage: { inputTokens: 1000, outputTokens: 500 },
      error: null,
      connection: { id: conn.body.id },
    });
    expect(run.body.costUsd).toBeCloseTo((1000 * 2 + 500 * 8) / 1e6, 12);
    const missing = await call("POST", `/api/v1/prompts/${name}/playground`, {
      body: { version: 1, variables: {}, connection: conn.body.id },
    });
    expect([missing.status, errorCode(missing)]).toEqual([422, "missing_variables"]);
    await call("PUT", "/api/v1/prices", { body: { prices: {} } });
    await call("DELETE", `/api/v1/connections/${conn.body.id}`);
  });
});

describe("connections cannot reach inside the network (SSRF)", () => {
  // An "internal" service on loopback. The harness allows only 127.0.0.1 (the local model servers,
  // LECTERN_CONNECTIONS_ALLOW_PRIVATE=127.0.0.1); this one listens on 127.0.0.1 too, so what it
  // answers shows what a connection hands back: redirects and error pages.
  let internal: Server;
  let port = 0;
  const seen: { url: string; authorization?: string }[] = [];
  let answer: (url: string) => { status: number; headers?: Record<string, string>; body: string } = () => ({
    status: 500,
    body: "",
  });
  beforeAll(async () => {
    internal = createServer((req, res) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization });
      const a = answer(req.url!);
      res.writeHead(a.status, a.headers).end(a.body);
    });
    await new Promise<void>((ok) => internal.listen(0, "127.0.0.1", ok));
    port = (internal.address() as AddressInfo).port;
  });
  afterAll(() => internal?.close());

  it.each([
    "http://127.0.0.2:6379/v1",
    "http://127.0.0.53:5432/v1",
    "http://169.254.169.254/latest/meta-data",
    "http://10.0.0.1/v1",
    "http://100.64.1.1/v1",
    "http://[::1]:3000/v1",
    `http://127.0.0.1:${1}/api/health#`,
    "http://user:password@api.example.com/v1",
    "gopher://api.example.com/v1",
  ])("refuses %s with 400 naming baseUrl, and writes nothing", async (baseUrl) => {
    const name = `ssrf-${randomBytes(3).toString("hex")}`;
    const r = await call("POST", "/api/v1/connections", { body: { name, provider: "openai-compatible", baseUrl } });
    expect([r.status, errorCode(r), r.body.error.details.field]).toEqual([400, "invalid_input", "baseUrl"]);
    const list = await call("GET", "/api/v1/connections");
    expect(list.body.data.map((c: { name: string }) => c.name)).not.toContain(name);
  });

  it("never follows a redirect, never answers the endpoint's body, and does not send the key to a new URL", async () => {
    const created = await call("POST", "/api/v1/connections", {
      body: {
        name: `internal-${randomBytes(3).toString("hex")}`,
        provider: "openai-compatible",
        baseUrl: `http://127.0.0.1:${port}/v1`,
        apiKey: "sk-stored-key-5150",
        defaultModel: "m",
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    answer = (url) =>
      url === "/v1/chat/completions"
        ? { status: 307, headers: { location: `http://127.0.0.1:${port}/secret` }, body: "" }
        : { status: 200, body: "INTERNAL-SECRET-BODY" };
    const before = seen.length;
    const redirected = await call("POST", `/api/v1/connections/${id}/test`, { body: {} });
    expect(redirected.body).toMatchObject({ ok: false, error: { kind: "refused" } });
    expect(seen.slice(before).map((s) => s.url)).toEqual(["/v1/chat/completions"]);

    answer = () => ({ status: 500, body: "INTERNAL-SECRET-BODY" });
    const failed = await call("POST", `/api/v1/connections/${id}/test`, { body: {} });
    expect(failed.body).toMatchObject({ ok: false, error: { kind: "server_error", status: 500 } });
    expect(JSON.stringify(failed.body)).not.toContain("INTERNAL-SECRET");

    // A new base URL clears the stored key: the new endpoint never receives it.
    const moved = await call("PATCH", `/api/v1/connections/${id}`, {
      body: { baseUrl: `http://127.0.0.1:${port}/v2` },
    });
    expect([moved.status, moved.body.apiKeyHint]).toEqual([200, null]);
    answer = () => ({ status: 401, body: "" });
    const from = seen.length;
    await call("POST", `/api/v1/connections/${id}/test`, { body: {} });
    expect(seen.slice(from)).toEqual([{ url: "/v2/chat/completions", authorization: undefined }]);
    // The provider cannot be changed (the key was given for it): refused, naming the field.
    const provider = await call("PATCH", `/api/v1/connections/${id}`, { body: { provider: "openai" } });
    expect([provider.status, errorCode(provider)]).toEqual([400, "invalid_input"]);
    await call("DELETE", `/api/v1/connections/${id}`);
  });
});
