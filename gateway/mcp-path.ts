// POST /api/mcp on this server (lib/server/http/mcp/mcp-fast.ts): an agent's loop of calls answered here, from the
// same caches as resolve; anything else the fast path does not take (initialize, tools, errors of every kind) is
// forwarded to Next's SDK path with the body read so far, so its answers are the SDK path's own.
import type { IncomingMessage, ServerResponse } from "node:http";
import { mcpFast } from "../lib/server/http/mcp/mcp-fast";
import { pathOf, toRequest, type FastPath } from "./fast-path";

export const MCP_PATH = "/api/mcp";

/** Whether the request is a message to the MCP server (POST /api/mcp). */
export const isMcpPost = (req: IncomingMessage) => req.method === "POST" && pathOf(req.url) === MCP_PATH;

/** The handler of POST /api/mcp: the fast path's answer, else `forward` (to Next) with what was read of the body. */
export function mcpPath(fast: FastPath, forward: (req: IncomingMessage, res: ServerResponse, body?: Buffer) => void) {
  return (req: IncomingMessage, res: ServerResponse) => {
    mcpFast(toRequest(req, MCP_PATH)).then(
      (r) => {
        if (!("fallback" in r)) return fast.answer(req, res, r);
        if (fast.draining) res.shouldKeepAlive = false;
        if (r.fallback === "unread") forward(req, res);
        else forward(req, res, Buffer.from(r.fallback ?? new Uint8Array()));
      },
      (e: unknown) => res.destroy(e as Error),
    );
  };
}
