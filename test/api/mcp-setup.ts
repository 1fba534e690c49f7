// Shared by the MCP api tests: calls that must succeed, and clients of the official TypeScript SDK on Lectern's
// /api/mcp over Streamable HTTP, closed after their file's tests.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { afterAll, expect } from "vitest";
import { baseUrl, call } from "./client";
import { watchedStream } from "../mcp-stream";

/** A call (as the admin) that must succeed; its body. */
export const ok = async (method: string, path: string, body?: unknown) => {
  const r = await call(method, path, { body });
  expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
  return r.body;
};

/** An environment `env`, and a text prompt `tone` ("Be {{mood}}.", variable `mood`) whose version 1 it serves. */
export async function toneServedIn(env: string, tone: string, mood: Record<string, string> = { name: "mood" }) {
  await ok("POST", "/api/v1/environments", { name: env });
  await ok("POST", "/api/v1/prompts", { name: tone, type: "text", template: "Be {{mood}}.", variables: [mood] });
  await ok("POST", `/api/v1/prompts/${encodeURIComponent(tone)}/deployments`, { environment: env, version: 1 });
}

/** Registers closing this file's clients after its tests; returns how to connect one (named `name`) with a key. */
export function mcpClientsForFile(name = "lectern-test") {
  const clients: Client[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => {})));
  });
  return async (key: string, query: string) => {
    const client = new Client({ name, version: "1.0.0" });
    const stream = watchedStream();
    const transport = new StreamableHTTPClientTransport(new URL(`${baseUrl}/api/mcp${query}`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
      fetch: stream.fetch,
    });
    await client.connect(transport);
    streams.set(client, stream.opened);
    clients.push(client);
    return client;
  };
}

const streams = new WeakMap<Client, () => Promise<void>>();
/** Resolves once the server has answered the client's notification stream (what it tells arrives from then on). */
export const streamOpened = (client: Client) => streams.get(client)!();
