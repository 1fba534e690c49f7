// POST /api/mcp on Lectern's own server (`npm start`: its MCP fast path, lib/server/http/mcp/mcp-fast.ts) and on plain
// `next start` (the SDK path alone), same database and Redis, same session: every call of an agent's loop, and the
// errors and rare calls the fast path hands to the SDK path (forwarded with the body it read), answer byte for byte
// the same — status, headers and body.
import { beforeAll, describe, it } from "vitest";
import { baseUrl, call } from "./client";
import { toneServedIn } from "./mcp-setup";
import { bearer, raw, same, uniq } from "./parity";

const id = uniq();
const env = `mcp-par-${id}`;
const tone = `mcp-par-${id}/tone`;
let key = "";
let session = "";

const mcp = (more: Record<string, string> = {}) => ({
  ...bearer(key),
  accept: "application/json, text/event-stream",
  "content-type": "application/json",
  "mcp-protocol-version": "2025-11-25",
  "mcp-session-id": session,
  ...more,
});
const rpc = (method: string, params?: unknown) => JSON.stringify({ jsonrpc: "2.0", id: 5, method, params });
const ok = async (method: string, path: string, body: unknown) => {
  const r = await call(method, path, { body });
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};

beforeAll(async () => {
  await toneServedIn(env, tone);
  const skill = `mcp-par-${id}/kit`;
  const md = `---\nname: kit\ndescription: A kit.\n---\n# Kit\n`;
  await ok("POST", "/api/v1/prompts", { name: skill, type: "skill", files: { "SKILL.md": md } });
  await ok("POST", `/api/v1/prompts/${encodeURIComponent(skill)}/deployments`, { environment: env, version: 1 });
  key = (await ok("POST", "/api/v1/api-keys", { name: `mcp-par-${id}`, scope: "runtime" })).key;
  const init = await raw(
    baseUrl,
    "POST",
    `/api/mcp?environment=${env}`,
    mcp({ "mcp-session-id": "" }),
    rpc("initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "p", version: "1" } }),
  );
  session = init.headers["mcp-session-id"]!;
  if (!session) throw new Error(`initialize: ${init.status} ${init.body}`);
});

describe("MCP: Lectern's own server and Next answer the same", () => {
  it("to every call of an agent's loop", async () => {
    const uri = `skill://mcp-par-${id}/kit/SKILL.md`;
    for (const body of [
      rpc("ping"),
      rpc("prompts/list"),
      rpc("prompts/get", { name: tone, arguments: { mood: "calm" } }),
      rpc("prompts/get", { name: "nope" }),
      rpc("completion/complete", { ref: { type: "ref/prompt", name: tone }, argument: { name: "mood", value: "" } }),
      rpc("resources/list"),
      rpc("resources/templates/list"),
      rpc("resources/read", { uri }),
      rpc("resources/read", { uri: "skill://nope/SKILL.md" }),
      rpc("skills/list"),
      rpc("skills/get", { uri }),
      JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    ])
      await same("POST", "/api/mcp", mcp(), body);
  });

  it("to what the fast path hands to the SDK path: errors, rare calls, other sessions and keys", async () => {
    for (const [body, more] of [
      ["{not json", {}],
      [rpc("no/such/method"), {}],
      [`[${rpc("ping")}]`, {}],
      [rpc("tools/list"), {}],
      [JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping", extra: 1 }), {}],
      [rpc("ping"), { accept: "application/json" }],
      [rpc("ping"), { "content-type": "text/plain" }],
      [rpc("ping"), { "mcp-protocol-version": "1999-01-01" }],
      [rpc("ping"), { origin: "http://evil.example.com" }],
      [rpc("ping"), { "mcp-session-id": "not-a-session" }],
      [rpc("ping"), bearer("lk_not_a_key")],
    ] as const)
      await same("POST", "/api/mcp", mcp(more), body);
  });
});
