// What a feature of the MCP server is (lib/mcp/server.ts assembles them): the capability it declares, the
// handlers it registers on the SDK's server for one session's request, how it completes arguments and how it
// tells a client that its list changed. A module adding resources (agent skills) is one more of these.
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { Protocol } from "@modelcontextprotocol/sdk/shared/protocol.js";
import { ErrorCode, type CompleteRequest, type ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { Db } from "../../db/client";
import type { Actor } from "../auth/permissions";
import type { AppError } from "../errors";
import type { DomainContext } from "../context";
import type { Completion } from "./completion";
import type { McpPrincipal, McpRuntime } from "./mcp-prompts";

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

/** Which lists a change to what the environment serves may have changed: prompts, skills (resources), or both. */
export type McpChange = { prompts: boolean; skills: boolean };

export type CompletionRef = CompleteRequest["params"]["ref"];

/**
 * One request a feature answers: its schema (a malformed request is -32602 in words, onRequest) and its handler.
 * The SDK server registers these (onRequest); Lectern's own server answers the same ones without building a
 * server per request (lib/server/http/mcp/mcp-fast.ts, answerRequest in request-table.ts): one implementation, two callers.
 */
export type McpRequest<T = never> = {
  schema: RequestSchema<T>;
  handle(ctx: McpContext, request: T): Promise<Record<string, unknown>>;
  /**
   * The same answer without an await when it is in memory (an agent's loop on Lectern's own server): the result as
   * the JSON text `handle`'s result serializes to, or undefined — with nothing done — when it needs I/O, is an error
   * or `params` is anything but what the schema surely accepts (then `handle` answers). `params` is as sent.
   */
  here?(ctx: McpContext, params: unknown): string | undefined;
};

/** A request of `schema`'s type answered by `handle` (typed here, stored untyped in a feature's list). */
export const request = <T>(
  schema: RequestSchema<T>,
  handle: (ctx: McpContext, request: T) => Promise<Record<string, unknown>>,
  here?: McpRequest["here"],
): McpRequest => ({ schema, handle, ...(here && { here }) }) as unknown as McpRequest;

export interface McpFeature {
  capabilities: ServerCapabilities;
  /** The requests it answers the same way for every session (tools/call is registered by `register` alone). */
  requests?: readonly McpRequest[];
  /** Registers what `requests` does not cover (tools); the server registers `requests` itself. */
  register?(server: Server, ctx: McpContext): void;
  /** Completes an argument of something this feature serves; null when `ref` is not its. */
  complete?(
    ctx: McpContext,
    ref: CompletionRef,
    argument: { name: string; value: string },
    context: Record<string, string>,
  ): Promise<Completion | null>;
  /** Tells the client that a change to what its environment serves may have changed this feature's list. */
  changed?(server: Server, change: McpChange): Promise<void>;
}

/**
 * A protocol error as the server sends it: `code`, `message` (as is) and `data`. Not the SDK's McpError, whose
 * message already reads "MCP error <code>: …" — the server would send that, and the client's McpError prefix it
 * again ("MCP error -32602: MCP error -32602: …").
 */
export class McpRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "McpRefusal";
  }
}

/** A refusal as the protocol's error: the caller's mistake is invalid params, the rest the server's. */
export function mcpError(err: AppError): McpRefusal {
  return new McpRefusal(err.status < 500 ? ErrorCode.InvalidParams : ErrorCode.InternalError, err.message, {
    code: err.code,
    ...err.details,
  });
}

export const invalidParams = (message: string, data?: Record<string, unknown>) =>
  new McpRefusal(ErrorCode.InvalidParams, message, { code: "invalid_input", ...data });

type Issue = { code: string; path: PropertyKey[]; message: string; expected?: unknown };

const kindOf = (v: unknown) =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;
const typeNames: Record<string, string> = { record: "object", int: "integer" };
const article = (t: string) => {
  const name = typeNames[t] ?? t;
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
};

/**
 * What is wrong with `input`, one sentence an issue, naming each argument and the type it needs (never the schema
 * validator's dump). `argumentsAt` is where the arguments are in `input`'s paths (params.arguments for a request).
 */
export function readableIssues(issues: readonly Issue[], input: unknown, argumentsAt: PropertyKey[] = []): string {
  return issues
    .slice(0, 5)
    .map((i) => {
      const inArguments = argumentsAt.every((k, n) => i.path[n] === k) && i.path.length > argumentsAt.length;
      const rest = inArguments ? i.path.slice(argumentsAt.length) : i.path;
      const where = inArguments ? `argument "${rest.map(String).join(".")}"` : rest.map(String).join(".") || "params";
      let value: unknown = input;
      for (const k of i.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[k];
      if (i.code === "invalid_type" && typeof i.expected === "string") {
        if (value === undefined) return `${where} is required (${article(i.expected)})`;
        return `${where} must be ${article(i.expected)}, not ${kindOf(value)}`;
      }
      if (i.code === "invalid_union") return `${where} is none of the types it may be (it is ${kindOf(value)})`;
      return `${where}: ${i.message.replace(/^Invalid input: /, "")}`;
    })
    .join("; ");
}

export type RequestSchema<T> = {
  shape: { method: { value: string } };
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } };
};

/** The method a request schema is for. */
export const methodOf = (schema: RequestSchema<unknown>) => schema.shape.method.value;

/** A request as its schema reads it, or -32602 in words for a malformed one (before any handler runs). */
export function parseRequest<T>(schema: RequestSchema<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw invalidParams(
      `Invalid ${methodOf(schema as RequestSchema<unknown>)} request: ${readableIssues(parsed.error.issues, raw, ["params", "arguments"])}.`,
    );
  return parsed.data;
}

/**
 * Registers `handler` for `schema`'s method, with a malformed request answered -32602 in words: the SDK parses a
 * request against its schema before any handler and answers a mismatch -32603 with the validator's dump (an object
 * where a prompt argument's text belongs). tools/call is registered past the SDK's Server, whose own check of it
 * answers the dump too (its result check is not needed: the handler's results are the protocol's).
 */
export function onRequest<T>(
  server: Server,
  schema: RequestSchema<T>,
  handler: (request: T) => Promise<Record<string, unknown>>,
): void {
  const method = schema.shape.method.value;
  const loose = z.object({ method: z.literal(method) }).loose();
  const wrapped = async (raw: unknown) => handler(parseRequest(schema, raw));
  if (method === "tools/call") Protocol.prototype.setRequestHandler.call(server, loose as never, wrapped as never);
  else server.setRequestHandler(loose as never, wrapped as never);
}
