// What an agent is told through the official TypeScript SDK's client: arguments that do not
// fit (an object where a prompt argument's text or a tool's string belongs) and cursors this server never gave are
// -32602 in words naming the argument and the type it needs — never -32603 with the validator's dump, never an
// empty page; every error reads "MCP error <code>: " once (the SDK's McpError thrown on the server was prefixed
// twice); tools/list offers a key only the tools it may use (a runtime key none), and one it may not use is
// still refused in words.
import { McpError } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it, vi } from "vitest";
import { connect, failure, keys, rawInitialize, rawPost, setUpMcp, wiring } from "./mcp-int-setup";

vi.mock("../../wiring/db", () => wiring.db);
vi.mock("../../wiring/env", (original) => wiring.env(original));

setUpMcp("mcp-errors");

const onePrefix = (e: McpError) => expect(e.message.match(/MCP error/g)).toHaveLength(1);

describe("MCP errors an agent can read", () => {
  it("answers an object where a prompt argument's text belongs with -32602 naming the argument", async () => {
    const client = await connect(keys.runtime);
    const e = await failure(client.getPrompt({ name: "tone", arguments: { mood: { deep: 1 } as unknown as string } }));
    expect(e.code).toBe(-32602);
    expect(e.message).toBe(
      'MCP error -32602: Invalid prompts/get request: argument "mood" must be a string, not an object.',
    );
    // The prompt still answers a proper call on the same session.
    expect((await client.getPrompt({ name: "tone", arguments: { mood: "calm" } })).messages).toHaveLength(1);
  });

  it("answers a cursor it never gave with -32602 invalid cursor, not an empty page", async () => {
    const client = await connect(keys.runtime);
    expect((await client.listPrompts()).prompts.map((p) => p.name)).toEqual(["tone"]);
    for (const cursor of ["junk", "tone", "c1.", "c1.!!", "c1.dG9uZQ=="]) {
      const e = await failure(client.listPrompts({ cursor }));
      expect(e.code).toBe(-32602);
      expect(e.message).toMatch(/^MCP error -32602: invalid cursor/);
      const r = await failure(client.listResources({ cursor }));
      expect(r.code).toBe(-32602);
      expect(r.message).toMatch(/^MCP error -32602: invalid cursor/);
    }
  });

  it("reads each error once: a refusal of the server's own is prefixed by the client alone", async () => {
    const client = await connect(keys.runtime);
    const e = await failure(client.getPrompt({ name: "nope", arguments: {} }));
    expect(e.code).toBe(-32602);
    onePrefix(e);
    const c = await failure(
      client.complete({ ref: { type: "ref/resource", uri: "x://y" }, argument: { name: "a", value: "" } }),
    );
    onePrefix(c);
    expect(c.message).toMatch(/Nothing here completes ref\/resource arguments/);
  });

  it("offers a runtime key no tool, an admin key its four, and refuses arguments that do not fit in words", async () => {
    const runtime = await connect(keys.runtime);
    expect((await runtime.listTools()).tools).toEqual([]);
    const refused = await runtime.callTool({
      name: "create_version",
      arguments: { name: "tone", template: "x", baseVersion: 1 },
    });
    expect(refused.isError).toBe(true);
    expect((refused.content as { text: string }[])[0]!.text).toMatch(/^forbidden: /);

    const admin = await connect(keys.admin);
    expect((await admin.listTools()).tools.map((t) => t.name).sort()).toEqual([
      "create_version",
      "get_release_plan",
      "get_version",
      "search_prompts",
    ]);
    const wrong = await failure(admin.callTool({ name: "search_prompts", arguments: { query: { $ne: "" } } }));
    expect(wrong.code).toBe(-32602);
    expect(wrong.message).toBe(
      'MCP error -32602: Invalid arguments for search_prompts: argument "query" must be a string, not an object.',
    );
    const union = await failure(
      admin.callTool({ name: "create_version", arguments: { name: "tone", template: 7, baseVersion: 1 } }),
    );
    expect(union.message).toMatch(/argument "template" is none of the types it may be \(it is a number\)/);
    const missing = await failure(admin.callTool({ name: "get_version", arguments: {} }));
    expect(missing.message).toMatch(/argument "name" is required/);
    onePrefix(missing);
    const unknown = await failure(admin.callTool({ name: "drop_tables", arguments: {} }));
    expect(unknown.code).toBe(-32602);
    expect(unknown.message).toMatch(/^MCP error -32602: No tool named "drop_tables"/);
  });

  it("answers a malformed tools/call (arguments not an object) with -32602 in words, not the validator's dump", async () => {
    const init = await rawPost(keys.admin, rawInitialize(1));
    const session = init.headers.get("mcp-session-id")!;
    const call = { name: "get_version", arguments: "x" };
    const r = await rawPost(keys.admin, { jsonrpc: "2.0", id: 2, method: "tools/call", params: call }, session);
    const body = (await r.json()) as { error: { code: number; message: string } };
    expect(body.error).toMatchObject({
      code: -32602,
      message: "Invalid tools/call request: params.arguments must be an object, not a string.",
    });
  });
});
