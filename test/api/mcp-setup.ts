// Shared by the MCP api tests: calls that must succeed, and clients of the official TypeScript SDK on Lectern's
// /api/mcp over Streamable HTTP, closed after their file's tests.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, expect } from "vitest";
import { baseUrl, call } from "./client";

/** A call (as the admin) that must succeed; its body. */
export const ok = async (method: string, path: string, body?: unknown) => {
  const r = await call(method, path, { body });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};

/** Registers closing this file's clients after its tests; returns how to connect one (named `name`) with a key. */
export function mcpClientsForFile(name = "lectern-test") {
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  });
  return async (key: string, query: string) => {
    const client = new Client({ name, version: "1.0.0" });
    const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/api/mcp${query}`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    });
    await client.connect(transport);
    clients.push(client);
    return client;
  };
}
