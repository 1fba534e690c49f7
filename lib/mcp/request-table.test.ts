// answerRequest (request-table.ts): the JSON-RPC answer Lectern's own server sends for a request of the MCP request
// table, shaped exactly as the SDK's Protocol shapes it — result, a refusal's code/message/data, -32603 for anything
// without an integer code, -32602 in words for malformed params, -32601 for a method not in the table.
import { GetPromptRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { describe, expect, it } from "vitest";
import { answerRequest, errorAnswerOf, requestTable } from "./request-table";
import { McpRefusal, request, type McpContext, type McpFeature } from "./feature";

const ctx = {} as McpContext;
const feature = (handle: () => Promise<Record<string, unknown>>): McpFeature => ({
  capabilities: {},
  requests: [request(GetPromptRequestSchema, handle)],
});
const get = { id: 3, method: "prompts/get", params: { name: "x" } };

describe("answerRequest", () => {
  it("answers a result as {result, jsonrpc, id}, in that order, and ping with {}", async () => {
    const table = requestTable([feature(async () => ({ messages: [] }))]);
    expect(JSON.stringify(await answerRequest(table, ctx, get))).toBe(
      '{"result":{"messages":[]},"jsonrpc":"2.0","id":3}',
    );
    expect(JSON.stringify(await answerRequest(table, ctx, { id: "p", method: "ping" }))).toBe(
      '{"result":{},"jsonrpc":"2.0","id":"p"}',
    );
  });

  it("answers a refusal with its code, message and data; anything else -32603 with its message", async () => {
    const refusing = requestTable([
      feature(async () => {
        throw new McpRefusal(-32602, "No prompt named x.", { code: "not_found" });
      }),
    ]);
    expect(JSON.stringify(await answerRequest(refusing, ctx, get))).toBe(
      '{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"No prompt named x.","data":{"code":"not_found"}}}',
    );
    const failing = requestTable([
      feature(async () => {
        throw new Error("boom");
      }),
    ]);
    expect(await answerRequest(failing, ctx, get)).toEqual({
      jsonrpc: "2.0",
      id: 3,
      error: { code: -32603, message: "boom" },
    });
    expect(errorAnswerOf(1, { code: "not_found", message: "m" })).toMatchObject({ error: { code: -32603 } });
  });

  it("answers malformed params -32602 in words before the handler runs, and an unknown method -32601", async () => {
    let ran = false;
    const table = requestTable([
      feature(async () => {
        ran = true;
        return {};
      }),
    ]);
    const bad = await answerRequest(table, ctx, { id: 1, method: "prompts/get", params: { name: 5 } });
    expect(bad).toMatchObject({ error: { code: -32602, message: expect.stringMatching(/name must be a string/) } });
    expect(ran).toBe(false);
    expect(await answerRequest(table, ctx, { id: 1, method: "nope/nope" })).toEqual({
      jsonrpc: "2.0",
      id: 1,
      error: { code: -32601, message: "Method not found" },
    });
  });
});
