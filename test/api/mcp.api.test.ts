// Lectern's MCP server with the official TypeScript SDK's client over Streamable HTTP: it lists and gets what an
// environment serves (a chat prompt including a partial, typed arguments; `_meta` naming what was served), completes
// arguments, is told list_changed after a promotion, and a key gets only the tools its scope and role allow; a
// session belongs to its key, and a session ended by DELETE says so. What it refuses, and what it never refuses:
// mcp-limits.api.test.ts.
import { randomBytes } from "node:crypto";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { PromptListChangedNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { beforeAll, describe, expect, it } from "vitest";
import { adminKey, call, errorCode } from "./client";
import { mcpClientsForFile, ok, streamOpened, toneServedIn } from "./mcp-setup";
import { quietFor } from "../waits";

const suffix = randomBytes(3).toString("hex");
const env = `mcp-${suffix}`;
const tone = `mcp-${suffix}/tone`;
const reply = `mcp-${suffix}/reply`;
let runtimeKey = "";
const enc = encodeURIComponent;

const connectTo = mcpClientsForFile();
const connect = (key: string, query = `?environment=${env}`) => connectTo(key, query);

beforeAll(async () => {
  await toneServedIn(env, tone, { name: "mood", description: "How the reply should sound" });
  await ok("POST", "/api/v1/prompts", {
    name: reply,
    type: "chat",
    description: "Answers a support ticket",
    template: [
      { role: "system", content: `{{> ${tone}}} You help {{customer}}.` },
      { type: "placeholder", name: "history" },
      { role: "user", content: "Ticket {{ticket}}, priority {{priority}}" },
    ],
    variables: [
      { name: "customer", description: "The customer's first name" },
      { name: "ticket", type: "number" },
      { name: "priority", type: "string", required: false, default: "normal" },
    ],
  });
  await ok("POST", `/api/v1/prompts/${enc(reply)}/deployments`, { environment: env, version: 1 });
  runtimeKey = (await ok("POST", "/api/v1/api-keys", { name: `mcp-rt-${suffix}`, scope: "runtime" })).key;
});

describe("MCP: prompts", () => {
  it("lists what the environment serves, with the prompt's and its partial's variables as arguments", async () => {
    const client = await connect(runtimeKey);
    expect(client.getServerCapabilities()?.prompts).toMatchObject({ listChanged: true });
    const { prompts } = await client.listPrompts();
    const listed = prompts.find((p) => p.name === reply)!;
    expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining([tone, reply]));
    expect(listed.description).toBe("Answers a support ticket");
    expect(listed.arguments).toEqual([
      { name: "customer", description: "The customer's first name", required: true },
      { name: "ticket", description: "(number: give it as JSON text)", required: true },
      { name: "priority", required: false },
      { name: "mood", description: "How the reply should sound", required: true },
      { name: "history", description: expect.stringMatching(/JSON list/), required: true },
    ]);
  });

  it("gets a chat prompt rendered with its arguments, the partial expanded, as messages", async () => {
    const client = await connect(runtimeKey);
    const got = await client.getPrompt({
      name: reply,
      arguments: {
        customer: "Ana",
        ticket: "42",
        mood: "warm",
        history: JSON.stringify([{ role: "assistant", content: "Hello!" }]),
      },
    });
    expect(got.messages).toEqual([
      { role: "user", content: { type: "text", text: "Be warm. You help Ana." } },
      { role: "assistant", content: { type: "text", text: "Hello!" } },
      { role: "user", content: { type: "text", text: "Ticket 42, priority normal" } },
    ]);
    // A number argument that is not one is refused in words; so is a prompt the environment does not serve.
    await expect(
      client.getPrompt({ name: reply, arguments: { customer: "Ana", ticket: "forty", mood: "warm", history: "[]" } }),
    ).rejects.toThrow(/ticket must be a number/);
    await expect(client.getPrompt({ name: `mcp-${suffix}/nope` })).rejects.toThrow(/-32602: No prompt named/);
  });

  it("tells the client when a promotion changes what the environment serves", async () => {
    const client = await connect(runtimeKey);
    let told = 0;
    client.setNotificationHandler(PromptListChangedNotificationSchema, () => {
      told++;
    });
    await streamOpened(client);
    await ok("POST", `/api/v1/prompts/${enc(tone)}/versions`, { template: "Be {{mood}} and brief." });
    // A version no environment serves yet changes nothing served: no notification.
    await quietFor("list_changed after a version nobody serves", () => told, 500);
    await ok("POST", `/api/v1/prompts/${enc(tone)}/deployments`, { environment: env, version: 2 });
    await expect.poll(() => told, { timeout: 5000 }).toBeGreaterThan(0);
    const got = await client.getPrompt({
      name: reply,
      arguments: { customer: "Ana", ticket: "1", mood: "calm", history: "[]" },
    });
    expect(got.messages[0]!.content).toEqual({ type: "text", text: "Be calm and brief. You help Ana." });
  });
});

const mcpHeaders = (session?: string, more: Record<string, string> = {}) => ({
  accept: "application/json, text/event-stream",
  "mcp-protocol-version": "2025-11-25",
  ...(session ? { "mcp-session-id": session } : {}),
  ...more,
});

describe("MCP: what a prompt answer says, completion, and the session's end", () => {
  it("names the version, environment and composition served in _meta", async () => {
    const client = await connect(runtimeKey);
    const got = await client.getPrompt({
      name: reply,
      arguments: { customer: "Ana", ticket: "7", mood: "warm", history: "[]" },
    });
    const keys = Object.keys(got._meta ?? {});
    expect(keys.filter((k) => k.endsWith("version"))).toEqual(["lectern.dev/version"]);
    expect(keys.filter((k) => k.endsWith("environment"))).toEqual(["lectern.dev/environment"]);
    expect(got._meta).toMatchObject({
      "lectern.dev/version": 1,
      "lectern.dev/environment": env,
      "lectern.dev/composition": { prompt: { name: reply, version: 1 }, partials: [{ name: tone }] },
    });
  });

  it("completes the environment argument with the environments the key may read, and a default", async () => {
    const client = await connect(runtimeKey);
    const ref = { type: "ref/prompt" as const, name: reply };
    const envs = await client.complete({ ref, argument: { name: "environment", value: "mcp-" } });
    expect(envs.completion.values).toContain(env);
    expect(envs.completion.values.every((v) => v.startsWith("mcp-"))).toBe(true);
    const priority = await client.complete({ ref, argument: { name: "priority", value: "n" } });
    expect(priority.completion).toMatchObject({ values: ["normal"], total: 1, hasMore: false });
    await expect(
      client.complete({ ref: { type: "ref/prompt", name: `mcp-${suffix}/none` }, argument: { name: "x", value: "" } }),
    ).rejects.toThrow(/No prompt named/);
  });

  it("ends a session on DELETE; its id then says so", async () => {
    const client = await connect(runtimeKey);
    const transport = (client as unknown as { _transport: StreamableHTTPClientTransport })._transport;
    const session = transport.sessionId!;
    await transport.terminateSession();
    const r = await call("POST", "/api/mcp", {
      key: runtimeKey,
      body: { jsonrpc: "2.0", id: 2, method: "ping" },
      headers: mcpHeaders(session),
    });
    expect(r.status).toBe(404);
    expect(r.body.error.message).toMatch(/its client ended it \(DELETE\)/);
  });
});

describe("MCP: tools and keys", () => {
  it("lets an admin key search, read a version with its diff, read a plan and write a version that is not deployed", async () => {
    const client = await connect(adminKey);
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(["create_version", "get_release_plan", "get_version", "search_prompts"]);
    const found = await client.callTool({ name: "search_prompts", arguments: { query: `mcp-${suffix}` } });
    expect(JSON.parse((found.content as { text: string }[])[0]!.text).map((p: { name: string }) => p.name)).toEqual([
      reply,
      tone,
    ]);
    const version = await client.callTool({ name: "get_version", arguments: { name: tone } });
    expect((version.content as { text: string }[])[0]!.text).toContain("and brief");
    const written = await client.callTool({
      name: "create_version",
      arguments: { name: tone, template: "Be {{mood}}, always.", baseVersion: 2, message: "from an assistant" },
    });
    expect(written.isError).toBeFalsy();
    expect(written.structuredContent).toMatchObject({ result: { version: { version: 3 }, deployed: false } });
    const plan = await client.callTool({
      name: "get_release_plan",
      arguments: { name: tone, environment: env, version: 3 },
    });
    expect(plan.isError).toBeFalsy();
    // Nothing was deployed: the environment still serves version 2.
    const served = await call("GET", `/api/v1/prompts/resolve?name=${encodeURIComponent(tone)}&environment=${env}`);
    expect(served.body.version).toBe(2);
  });

  it("offers a runtime key no tool, and refuses it the tools its scope does not allow, in words", async () => {
    const client = await connect(runtimeKey);
    expect((await client.listTools()).tools).toEqual([]);
    const r = await client.callTool({
      name: "create_version",
      arguments: { name: tone, template: "Hijacked.", baseVersion: 3 },
    });
    expect(r.isError).toBe(true);
    expect((r.content as { text: string }[])[0]!.text).toMatch(/^forbidden: /);
    expect((await call("GET", `/api/v1/prompts/${encodeURIComponent(tone)}`)).body.prompt.latestVersion).toBe(3);
  });

  it("keeps a session to its key, and refuses a key limited to other environments", async () => {
    const limited = (
      await ok("POST", "/api/v1/api-keys", { name: `mcp-lim-${suffix}`, scope: "runtime", environments: ["staging"] })
    ).key;
    const r = await call("POST", `/api/mcp?environment=${env}`, {
      key: limited,
      body: {
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
      },
      headers: { accept: "application/json, text/event-stream" },
    });
    expect(r.status).toBe(403);
    expect(errorCode(r)).toBe("forbidden");
    const client = await connect(runtimeKey);
    const session = (client as unknown as { _transport: { sessionId?: string } })._transport.sessionId!;
    const stolen = await call("POST", "/api/mcp", {
      key: adminKey,
      body: { jsonrpc: "2.0", id: 2, method: "prompts/list", params: {} },
      headers: { "mcp-session-id": session, accept: "application/json, text/event-stream" },
    });
    expect(stolen.status).toBe(404);
    expect((await call("POST", "/api/mcp", { key: null, body: {} })).status).toBe(401);
  });
});
