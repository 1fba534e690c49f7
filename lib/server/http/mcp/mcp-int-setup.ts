// The process the MCP integration tests (mcp-fleet, mcp-errors) stand in for: /api/mcp's handler on the file's
// database, settings with a small per-key cap and the test clock, and clients of the official TypeScript SDK whose
// fetch calls the handler directly (no server to build). Each test file mocks the wiring with `wiring` below
// (vi.mock stays in the test file, where it is hoisted):
//   vi.mock("../wiring/db", () => wiring.db);  vi.mock("../wiring/env", (original) => wiring.env(original));
// Every request carries `Lectern-Test-Clock: clock.now` (LECTERN_TEST_CLOCK), so the test decides which sessions
// are idle without waiting. The clients open no notification stream (their GET is answered 405, which the SDK
// takes as a server without one): streams keep sessions active on the wall clock, which these tests do not own.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, expect } from "vitest";
import { createApiKey } from "@/lib/auth/api-keys";
import { createPrompt } from "@/lib/registry/prompts";
import { promoteVersion } from "@/lib/release/promote";
import * as fixtures from "../../../../test/domain-fixtures";
import { createTestDatabase, type TestDatabase } from "../../../../test/db";
import { parseEnv } from "../../wiring/parse-env";
import { textPrompt } from "../../../../test/contents";

export let t: TestDatabase;
export let f: fixtures.Fixture;
export const keys = { admin: "", runtime: "" };
/** The sessions' clock: every client request says this time. */
export const clock = { now: Date.parse("2026-11-28T12:00:00Z") };
export const PER_KEY = 20;
export const ACTIVE_SECONDS = 60;

const settings = parseEnv({
  LECTERN_LOG_LEVEL: "error",
  LECTERN_MCP_SESSIONS_PER_KEY: String(PER_KEY),
  LECTERN_MCP_SESSION_ACTIVE_SECONDS: String(ACTIVE_SECONDS),
  LECTERN_TEST_CLOCK: "true",
});
export const wiring = {
  db: { getDb: async () => t.db, readyDb: () => t.db },
  env: async (original: () => Promise<Record<string, unknown>>) => ({ ...(await original()), env: () => settings }),
};

/** A request to /api/mcp as a client sends it, at the test's clock. */
export async function handle(url: string | URL, init?: RequestInit): Promise<Response> {
  const { handleMcp } = await import("./mcp");
  const req = new Request(url, init);
  req.headers.set("lectern-test-clock", new Date(clock.now).toISOString());
  return handleMcp(req);
}

const clients: Client[] = [];

/** A client of the official SDK, connected with `key` (its session opened at the test's clock), to `environment`'s. */
export async function connect(key: string, environment?: string): Promise<Client> {
  const client = new Client({ name: "fleet", version: "1.0.0" });
  const url = new URL("http://localhost/api/mcp");
  if (environment) url.searchParams.set("environment", environment);
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: { authorization: `Bearer ${key}` } },
    fetch: async (url, init) =>
      init?.method === "GET" ? new Response(null, { status: 405 }) : handle(url, init as RequestInit),
  });
  await client.connect(transport);
  clients.push(client);
  return client;
}

/** A database with the project `slug`, its admin and runtime keys, and `tone` (Be {{mood}}.) in production. */
export function setUpMcp(slug: string) {
  beforeAll(async () => {
    t = await createTestDatabase();
    f = await fixtures.seedProject(t.db, slug);
    for (const scope of ["admin", "runtime"] as const)
      keys[scope] = (await createApiKey(f.ctx(f.admin), { name: scope, scope })).key;
    await createPrompt(f.ctx(f.editor), textPrompt("tone", "Be {{mood}}.", { variables: [{ name: "mood" }] }));
    await promoteVersion(f.ctx(f.admin), "tone", { environment: "production", version: 1 });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
    await t.drop();
  });
}

/** The error a call failed with, as the client throws it. */
export async function failure(p: Promise<unknown>): Promise<McpError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(McpError);
  return e as McpError;
}

/** The initialize message of a raw JSON-RPC client (no SDK). */
export const rawInitialize = (id: number) => ({
  jsonrpc: "2.0",
  id,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
});

/** A raw JSON-RPC POST to /api/mcp with `key`, inside `session` when given (its id and protocol version). */
export const rawPost = (key: string, message: object, session?: string) =>
  handle("http://localhost/api/mcp", {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(session ? { "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" } : {}),
    },
    body: JSON.stringify(message),
  });
