// The MCP fast path (mcp-fast.ts) beside the SDK path (mcp.ts) on one database: every call of an agent's loop —
// prompts/list, prompts/get (and its refusals), completion/complete, resources/list, resources/templates/list,
// resources/read, skills/list, skills/get, ping, a notification — is answered by the fast path itself, byte for
// byte as the SDK path answers it; and everything the SDK path answers with an error or handles itself (bad JSON,
// an unknown method, a batch, initialize, tools, a wrong header, an unknown session, a bad key) is handed to it.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createPrompt } from "@/lib/registry/prompts";
import { promoteVersion } from "@/lib/release/promote";
import { clock, f, handle, keys, setUpMcp, wiring } from "./mcp-int-setup";
import { fastMessage, mcpFast } from "./mcp-fast";
import type { RuntimeRequest } from "../runtime-request";

vi.mock("../../wiring/db", () => wiring.db);
vi.mock("../../wiring/env", (original) => wiring.env(original));

setUpMcp("mcp-fast");

const URL_ = "http://localhost/api/mcp";
let session = "";

const headersOf = (more: Record<string, string> = {}): Record<string, string> => ({
  authorization: `Bearer ${keys.runtime}`,
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
  "mcp-protocol-version": "2025-11-25",
  "lectern-test-clock": new Date(clock.now).toISOString(),
  ...(session ? { "mcp-session-id": session } : {}),
  ...more,
});

/** The request as Lectern's own server hands it to the fast path. */
function runtimeRequest(headers: Record<string, string>, body: string): RuntimeRequest {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: "POST",
    pathname: "/api/mcp",
    search: "",
    header: (name) => lower[name],
    readBody: async () => (body ? Buffer.from(body) : undefined),
  };
}

/** The fast path's answer and the SDK path's to the same request. */
async function both(body: unknown, more: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const headers = headersOf(more);
  const fast = await mcpFast(runtimeRequest(headers, text));
  const sdk = await handle(URL_, { method: "POST", headers, body: text });
  return { fast, sdk: { status: sdk.status, body: sdk.status === 202 ? null : await sdk.text() } };
}

/** Asserts the fast path answered, exactly as the SDK path did; returns the answer's JSON. */
async function same(body: unknown, more: Record<string, string> = {}) {
  const { fast, sdk } = await both(body, more);
  expect("fallback" in fast, `fast path answered ${JSON.stringify(body)}`).toBe(false);
  if ("fallback" in fast) return null;
  expect({ status: fast.status, body: fast.body }).toEqual(sdk);
  return fast.body === null ? null : (JSON.parse(fast.body as string) as Record<string, unknown>);
}

const rpc = (method: string, params?: unknown, id: number | string = 7) => ({ jsonrpc: "2.0", id, method, params });

beforeAll(async () => {
  const ctx = f.ctx(f.admin);
  await createPrompt(ctx, {
    name: "kit/refunds",
    type: "skill",
    files: { "SKILL.md": "---\nname: refunds\ndescription: Refunds.\n---\n# Refunds\n" },
  });
  await promoteVersion(ctx, "kit/refunds", { environment: "production", version: 1 });
  const init = await handle(URL_, {
    method: "POST",
    headers: headersOf(),
    body: JSON.stringify(
      rpc(
        "initialize",
        { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
        1,
      ),
    ),
  });
  expect(init.status).toBe(200);
  session = init.headers.get("mcp-session-id")!;
}, 60_000);

describe("the MCP fast path", () => {
  it("answers an agent's loop of calls byte for byte as the SDK path does", async () => {
    expect(await same(rpc("ping"))).toEqual({ result: {}, jsonrpc: "2.0", id: 7 });
    const got = await same(rpc("prompts/get", { name: "tone", arguments: { mood: "calm" } }, "a"));
    expect(got?.result).toMatchObject({ messages: [{ role: "user", content: { type: "text", text: "Be calm." } }] });
    expect((await same(rpc("prompts/list")))?.result).toMatchObject({ prompts: [{ name: "tone" }] });
    await same(
      rpc("completion/complete", {
        ref: { type: "ref/prompt", name: "tone" },
        argument: { name: "environment", value: "pr" },
      }),
    );
    await same(rpc("resources/list"));
    await same(rpc("resources/templates/list"));
    await same(rpc("resources/read", { uri: "skill://kit/refunds/SKILL.md" }));
    expect((await same(rpc("skills/list")))?.result).toMatchObject({
      skills: [{ uri: "skill://kit/refunds/SKILL.md" }],
    });
    await same(rpc("skills/get", { uri: "skill://kit/refunds/SKILL.md" }));
    await same(rpc("prompts/get", { name: "tone", arguments: { mood: "x" }, _meta: { progressToken: 3 } }));
  });

  it("answers the handlers' refusals as the SDK path does", async () => {
    expect((await same(rpc("prompts/get", { name: "nope" })))?.error).toMatchObject({ code: -32602 });
    expect((await same(rpc("prompts/get", { arguments: {} })))?.error).toMatchObject({ code: -32602 });
    expect((await same(rpc("resources/read", { uri: "skill://nope/SKILL.md" })))?.error).toMatchObject({
      code: -32002,
    });
    await same(rpc("skills/get", { uri: "skill://nope/SKILL.md" }));
    await same(
      rpc("completion/complete", { ref: { type: "ref/resource", uri: "x://y" }, argument: { name: "a", value: "" } }),
    );
    await same(rpc("prompts/list", { cursor: "not a cursor" }));
  });

  it("answers a notification 202, as the SDK path does", async () => {
    const { fast, sdk } = await both({ jsonrpc: "2.0", method: "notifications/initialized" });
    expect(fast).toEqual({ status: 202, headers: {}, body: null });
    expect(sdk).toEqual({ status: 202, body: null });
  });

  it("hands every other request to the SDK path: errors of every kind, initialize, tools, batches", async () => {
    const cases: [unknown, Record<string, string>?][] = [
      ["{not json"], // the SDK path: 400 invalid_input (Lectern's own JSON check)
      [rpc("no/such/method")], // -32601
      [[rpc("ping")]], // a batch: 400
      [rpc("tools/list")],
      [rpc("tools/call", { name: "x", arguments: {} })],
      [{ ...rpc("ping"), extra: 1 }], // not a JSON-RPC message: -32700
      [{ jsonrpc: "1.0", id: 1, method: "ping" }],
      [rpc("ping", undefined, 1.5)],
      [rpc("ping", { task: { ttl: 1 } })],
      [rpc("ping", { _meta: { "io.modelcontextprotocol/related-task": { taskId: "x" } } })],
      [rpc("ping"), { accept: "application/json" }], // 406
      [rpc("ping"), { "content-type": "text/plain" }], // 415
      [rpc("ping"), { "mcp-protocol-version": "1999-01-01" }], // 400
      [rpc("ping"), { origin: "http://evil.example.com" }], // 403
      [rpc("ping"), { "mcp-session-id": "not-a-session" }], // 404
      [rpc("ping"), { authorization: "Bearer lk_nope" }], // 401
      [rpc("ping"), { "lectern-test-clock": "yesterday" }], // 400
    ];
    for (const [body, more] of cases) {
      const { fast, sdk } = await both(body, more);
      expect(fast, JSON.stringify([body, more])).toHaveProperty("fallback");
      expect(sdk.status, JSON.stringify([body, more, sdk])).not.toBe(500);
    }
  });
});

describe("fastMessage", () => {
  it("takes single requests of the loop's methods and notifications, nothing else", () => {
    expect(fastMessage(rpc("prompts/get", { name: "a" }))).toMatchObject({ kind: "request", method: "prompts/get" });
    expect(fastMessage({ jsonrpc: "2.0", method: "notifications/cancelled", params: {} })).toEqual({
      kind: "notification",
    });
    for (const m of [
      null,
      "x",
      [],
      { jsonrpc: "2.0", method: "ping" }, // a notification that is not one
      { jsonrpc: "2.0", id: null, method: "ping" },
      { jsonrpc: "2.0", id: 1, method: "initialize" },
      { jsonrpc: "2.0", id: 1, method: "ping", params: [] },
      { jsonrpc: "2.0", id: 1, method: "ping", params: { _meta: { progressToken: {} } } },
      { jsonrpc: "2.0", id: 1, result: {} },
    ])
      expect(fastMessage(m), JSON.stringify(m)).toBeNull();
  });
});
