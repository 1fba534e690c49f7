// What Lectern's MCP server refuses — a foreign Origin (403, before anything is read), JSON-RPC batches (400), a new
// session past the key's cap while every one of its sessions is active (429 with Retry-After) — and what it never
// does: end an active session to make room (only an idle one ends, and says which limit applied). The sessions'
// clock is the test's (Lectern-Test-Clock, LECTERN_TEST_CLOCK), near the wall clock so that other files' sessions
// are not idle by it.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { baseUrl, call, errorCode } from "./client";
import { mcpClientsForFile, ok, toneServedIn } from "./mcp-setup";

const suffix = randomBytes(3).toString("hex");
const env = `mcp-lim-${suffix}`;
const tone = `mcp-lim-${suffix}/tone`;
let runtimeKey = "";

const INIT = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};
const mcpHeaders = (session?: string, more: Record<string, string> = {}) => ({
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-11-25",
  ...(session ? { "mcp-session-id": session } : {}),
  ...more,
});

const connectTo = mcpClientsForFile();
const connect = (key: string) => connectTo(key, `?environment=${env}`);

beforeAll(async () => {
  await toneServedIn(env, tone);
  runtimeKey = (await ok("POST", "/api/v1/api-keys", { name: `mcp-lim-${suffix}`, scope: "runtime" })).key;
});

describe("MCP: what it refuses, and what it never refuses", () => {
  it("answers 403 to a foreign Origin before anything else, and serves its own origin and none", async () => {
    for (const key of [runtimeKey, null]) {
      const r = await call("POST", `/api/mcp?environment=${env}`, {
        key,
        body: INIT,
        headers: mcpHeaders(undefined, { origin: "http://evil.example.com" }),
      });
      expect(r.status).toBe(403);
      expect(errorCode(r)).toBe("forbidden");
      expect(r.body.error.message).toMatch(/LECTERN_MCP_ALLOWED_ORIGINS/);
    }
    for (const origin of [new URL(baseUrl).origin, undefined]) {
      const r = await call("POST", `/api/mcp?environment=${env}`, {
        key: runtimeKey,
        body: INIT,
        headers: mcpHeaders(undefined, origin ? { origin } : {}),
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.headers.get("mcp-session-id")).toBeTruthy();
    }
  });

  it("refuses a JSON-RPC batch with 400, in a session or not", async () => {
    const client = await connect(runtimeKey);
    const session = (client as unknown as { _transport: { sessionId?: string } })._transport.sessionId!;
    const get = { jsonrpc: "2.0", method: "prompts/get", params: { name: tone, arguments: { mood: "x" } } };
    const batch = Array.from({ length: 100 }, (_, i) => ({ ...get, id: i + 10 }));
    for (const [body, id] of [
      [batch, session],
      [[INIT], undefined],
    ] as const) {
      const r = await call("POST", "/api/mcp", { key: runtimeKey, body, headers: mcpHeaders(id) });
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe("invalid_input");
      expect(r.body.error.message).toMatch(/batches are not accepted/);
    }
  });

  it("past the key's cap ends only an idle session, and with every one active answers 429 with Retry-After", async () => {
    const key = (await ok("POST", "/api/v1/api-keys", { name: `mcp-many-${suffix}`, scope: "runtime" })).key;
    const start = Date.now();
    const at = (ms: number) => ({ "lectern-test-clock": new Date(ms).toISOString() });
    const init = (ms: number) =>
      call("POST", `/api/mcp?environment=${env}`, { key, body: INIT, headers: mcpHeaders(undefined, at(ms)) });
    const ping = (session: string, ms: number) =>
      call("POST", "/api/mcp", {
        key,
        body: { jsonrpc: "2.0", id: 3, method: "ping" },
        headers: mcpHeaders(session, at(ms)),
      });
    const sessions: string[] = [];
    for (let i = 0; i < 100; i++) {
      const r = await init(start);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      sessions.push(r.headers.get("mcp-session-id")!);
    }
    // The default cap (100) is reached and every session is active: refused, and none ended.
    const refused = await init(start);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("61");
    expect(refused.body).toMatchObject({
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32000, data: { code: "rate_limited", setting: "LECTERN_MCP_SESSIONS_PER_KEY", max: 100 } },
    });
    expect(refused.body.error.message).toMatch(/a key holds at most 100: LECTERN_MCP_SESSIONS_PER_KEY/);
    expect((await ping(sessions[0]!, start)).status).toBe(200);
    // After Retry-After, all but the second at work again: the newcomer ends the one gone idle.
    const later = start + 61_000;
    for (const s of sessions.filter((_, i) => i !== 1)) expect((await ping(s, later)).status).toBe(200);
    expect((await init(later)).status).toBe(200);
    const idle = await ping(sessions[1]!, later);
    expect(idle.status).toBe(404);
    expect(idle.body.error.message).toMatch(/longest idle .*a key holds at most 100: LECTERN_MCP_SESSIONS_PER_KEY/);
    expect((await ping(sessions[0]!, later)).status).toBe(200);
  });
});
