// The requests of the MCP server as one table (method → schema and handler) that both of its callers use: the SDK's
// Server (server.ts registers each) and Lectern's own server, which answers an agent's loop of calls — prompts/get,
// prompts/list, completion, resources, skills, ping — without building a server per request
// (lib/server/http/mcp/mcp-fast.ts). answerRequest makes the JSON-RPC answer exactly as the SDK's Protocol does: the
// result as `{result, jsonrpc, id}`, an error as `{jsonrpc, id, error: {code, message, data?}}`.
import { CompleteRequestSchema, ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import {
  McpRefusal,
  mcpError,
  methodOf,
  parseRequest,
  request,
  type McpContext,
  type McpFeature,
  type McpRequest,
} from "./feature";

/** completion/complete: the first feature that completes the reference answers. */
export function completionRequest(features: readonly McpFeature[]): McpRequest | null {
  const completing = features.filter((f) => f.complete);
  if (!completing.length) return null;
  return request(CompleteRequestSchema, async (ctx, req) => {
    const { ref, argument, context } = req.params;
    try {
      for (const f of completing) {
        const completion = await f.complete!(ctx, ref, argument, context?.arguments ?? {});
        if (completion) return { completion };
      }
    } catch (e) {
      throw mcpError(ctx.fail(e));
    }
    throw new McpRefusal(ErrorCode.InvalidParams, `Nothing here completes ${ref.type} arguments.`);
  });
}

/** Every request the features answer (and completion), by method. tools/* are not here: the SDK path registers them. */
export function requestTable(features: readonly McpFeature[]): Map<string, McpRequest> {
  const table = new Map<string, McpRequest>();
  for (const f of features) for (const r of f.requests ?? []) table.set(methodOf(r.schema as never), r);
  const completion = completionRequest(features);
  if (completion) table.set(methodOf(completion.schema as never), completion);
  return table;
}

export type JsonRpcId = string | number;
export type JsonRpcAnswer =
  | { result: Record<string, unknown>; jsonrpc: "2.0"; id: JsonRpcId }
  | { jsonrpc: "2.0"; id: JsonRpcId; error: { code: number; message: string; data?: unknown } };

/** The SDK's error answer for anything a handler throws: its code when an integer, else -32603; its message; its data. */
export function errorAnswerOf(id: JsonRpcId, e: unknown): JsonRpcAnswer {
  const err = (e ?? {}) as { code?: unknown; message?: string; data?: unknown };
  return {
    jsonrpc: "2.0",
    id,
    error: {
      code: Number.isSafeInteger(err.code) ? (err.code as number) : ErrorCode.InternalError,
      message: err.message ?? "Internal error",
      ...(err.data !== undefined && { data: err.data }),
    },
  };
}

/**
 * The answer to one JSON-RPC request of a method in `table` (ping answers `{}`, as the SDK's Protocol does).
 * `message` is the request as sent: `{jsonrpc, id, method, params?}`.
 */
export async function answerRequest(
  table: ReadonlyMap<string, McpRequest>,
  ctx: McpContext,
  message: { id: JsonRpcId; method: string; params?: unknown },
): Promise<JsonRpcAnswer> {
  try {
    let result: Record<string, unknown>;
    if (message.method === "ping") result = {};
    else {
      const r = table.get(message.method);
      if (!r) return errorAnswerOf(message.id, new McpRefusal(ErrorCode.MethodNotFound, "Method not found"));
      result = await r.handle(ctx, parseRequest(r.schema, message) as never);
    }
    return { result, jsonrpc: "2.0", id: message.id };
  } catch (e) {
    return errorAnswerOf(message.id, e);
  }
}

/**
 * The answer's JSON text without an await, when the method's handler can give it from memory (McpRequest.here);
 * undefined otherwise, with nothing done (answerRequest answers). The same text JSON.stringify(answerRequest(…)) is.
 */
export function answerRequestHere(
  table: ReadonlyMap<string, McpRequest>,
  ctx: McpContext,
  message: { id: JsonRpcId; method: string; params?: unknown },
): string | undefined {
  const result = table.get(message.method)?.here?.(ctx, message.params);
  return result === undefined ? undefined : `{"result":${result},"jsonrpc":"2.0","id":${JSON.stringify(message.id)}}`;
}
