// What a feature of the MCP server is (lib/mcp/server.ts assembles them): the capability it declares, the
// handlers it registers on the SDK's server for one session's request, how it completes arguments and how it
// tells a client that its list changed. A module adding resources (agent skills) is one more of these.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { ErrorCode, McpError, type CompleteRequest, type ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import type { Db } from "../../db/client";
import type { Actor } from "../auth/permissions";
import type { AppError } from "../errors";
import type { DomainContext } from "../context";
import type { Completion } from "./completion";
import type { McpPrincipal, McpRuntime } from "./prompts";

export type McpContext = {
  db: Db;
  runtime: McpRuntime;
  principal: McpPrincipal & { keyId: string; projectSlug: string };
  actor: Actor;
  /** The environment the session serves. */
  environment: string;
  /** The context a tool runs the domain's operations with (built by the wiring, with its announcement bus). */
  domain: () => Promise<DomainContext>;
  /** Anything thrown, as an error safe to show (the server's own translation: no stack, no SQL). */
  fail: (e: unknown) => AppError;
};

export type CompletionRef = CompleteRequest["params"]["ref"];

export interface McpFeature {
  capabilities: ServerCapabilities;
  register(server: Server, ctx: McpContext): void;
  /** Completes an argument of something this feature serves; null when `ref` is not its. */
  complete?(
    ctx: McpContext,
    ref: CompletionRef,
    argument: { name: string; value: string },
    context: Record<string, string>,
  ): Promise<Completion | null>;
  /** Tells the client that a change to what its environment serves may have changed this feature's list. */
  changed?(server: Server): Promise<void>;
}

/** A refusal as the protocol's error: the caller's mistake is invalid params, the rest the server's. */
export function mcpError(err: AppError): McpError {
  return new McpError(err.status < 500 ? ErrorCode.InvalidParams : ErrorCode.InternalError, err.message, {
    code: err.code,
    ...err.details,
  });
}
