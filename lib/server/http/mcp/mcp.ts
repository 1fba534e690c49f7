import "server-only";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { AppError } from "@/lib/errors";
import { assertEnvironmentAllowed } from "@/lib/auth/api-keys";
import { mcpServer, type McpContext } from "@/lib/mcp/server";
import { limitSettings, newSessionId, readSessionId, refusalMessage, type Opened } from "@/lib/mcp/mcp-sessions";
import { getDb, readyDb } from "../../wiring/db";
import { log } from "../../wiring/log";
import { getMcpWiring, type McpWiring } from "../../wiring/mcp-wiring";
import { getRuntime } from "../../wiring/runtime-wiring";
import { authenticate, type Authenticated } from "../api-auth";
import { errorResponse } from "../api";
import { closeHeldStream, holdStream } from "./mcp-streams";
import { allowedOrigin, clockOf, contextFor, environmentOf } from "./mcp-request";
import { assertDeclaredLength, MAX_BODY_BYTES, parseJsonBody, readLimited } from "../request-input";
import { toAppError } from "../http-errors";

// Lectern's MCP server (docs/mcp.md): Streamable HTTP at /api/mcp, authenticated by an API key on every request.
// Every request is served on its own — a fresh SDK server and transport, stateless — by whichever instance gets
// it; the session is a small record (its key, project and environment) in the shared store (lib/mcp/mcp-sessions.ts), so a
// round-robin load balancer needs no stickiness. The session's notification stream (GET) is held by the instance
// the GET reached and hears changes from every instance (mcp-streams.ts).

/** A fresh server and stateless transport for one request (JSON answers: nothing here streams a result). */
async function connect(ctx: McpContext, json: boolean) {
  const server = mcpServer(ctx);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: json,
    maxRequestBodySize: MAX_BODY_BYTES,
  });
  await server.connect(transport);
  return { server, transport };
}

/**
 * The environment a session serves. An unknown or ended session, or another key's, is 404 (the client initializes
 * again), with the reason it ended when known. While the shared store does not answer, the session is served from
 * what its id says (its key and environment), which grants nothing the key does not have.
 */
async function sessionOf(wiring: McpWiring, id: string, auth: Authenticated, now: number): Promise<string> {
  const mine = readSessionId(id);
  let touched;
  try {
    touched = await wiring.sessions.touch(id, now);
  } catch (e) {
    if (mine?.keyId !== auth.principal.keyId) throw gone(null);
    log.warn(`MCP sessions unavailable, serving session from its id: ${(e as Error).message}`);
    assertEnvironmentAllowed(auth.principal, mine.environment);
    return mine.environment;
  }
  if (!touched.session) throw gone(touched.reason);
  if (touched.session.keyId !== auth.principal.keyId) throw gone(null);
  return touched.session.environment;
}

const gone = (reason: string | null) =>
  new AppError(
    "not_found",
    reason
      ? `This MCP session ended: ${reason}. Initialize a new session.`
      : "No such MCP session (it ended, or belongs to another key): initialize again.",
    reason ? { reason } : undefined,
  );

/**
 * Records a new session; the ones that ended to make room are told to every instance (their streams close). While
 * the store does not answer, the session is served from its id (null here).
 */
async function open(wiring: McpWiring, id: string, auth: Authenticated, environment: string, now: number) {
  const { keyId, projectId } = auth.principal;
  let opened: Opened;
  try {
    opened = await wiring.sessions.open({ id, keyId, projectId, environment, createdAt: Date.now() }, now);
  } catch (e) {
    log.warn(`MCP session not recorded (served from its id until the store answers): ${(e as Error).message}`);
    return null;
  }
  if ("ended" in opened) for (const e of opened.ended) void wiring.tell({ kind: "ended", ...e });
  return opened;
}

/**
 * A new session past a limit whose sessions are all active: 429 with Retry-After (when the least recently used one
 * turns idle), and a JSON-RPC error answering the initialize request that names the limit and its settings.
 */
function refused(wiring: McpWiring, r: { limit: keyof typeof limitSettings; retryAfterMs: number }, id: unknown) {
  const retryAfterSeconds = Math.max(1, Math.ceil(r.retryAfterMs / 1000));
  const message = refusalMessage(wiring.limits, r.limit, retryAfterSeconds);
  log.info(`MCP session refused: ${message}`);
  return Response.json(
    {
      jsonrpc: "2.0",
      id: typeof id === "string" || typeof id === "number" ? id : null,
      error: {
        code: -32000,
        message,
        data: {
          code: "rate_limited",
          limit: r.limit,
          setting: limitSettings[r.limit],
          max: wiring.limits[r.limit],
          activeSeconds: Math.round(wiring.limits.activeMs / 1000),
          retryAfterSeconds,
        },
      },
    },
    { status: 429, headers: { "retry-after": String(retryAfterSeconds) } },
  );
}

async function post(req: Request, auth: Authenticated, wiring: McpWiring, id: string | null): Promise<Response> {
  assertDeclaredLength(req.headers.get("content-length"), MAX_BODY_BYTES);
  const body = parseJsonBody(await readLimited(req.body, MAX_BODY_BYTES));
  // The protocol has had no batches since 2025-06-18; one message per request keeps each answer bounded.
  if (Array.isArray(body))
    throw new AppError(
      "invalid_input",
      "JSON-RPC batches are not accepted (MCP has had none since its 2025-06-18 revision): send one message per request.",
    );
  const now = clockOf(req);
  let environment: string;
  let created: string | undefined;
  if (id) environment = await sessionOf(wiring, id, auth, now);
  else if (isInitializeRequest(body)) {
    environment = environmentOf(new URL(req.url), auth.principal);
    created = newSessionId(auth.principal.keyId, environment);
  } else
    throw new AppError(
      "invalid_input",
      "Start a session with an initialize request (POST), then send its Mcp-Session-Id header.",
    );
  const { server, transport } = await connect(await contextFor(auth, environment), true);
  let res: Response;
  try {
    res = await transport.handleRequest(req, { parsedBody: body });
  } finally {
    void server.close().catch(() => {});
  }
  if (!created || !res.ok) return res;
  const opened = await open(wiring, created, auth, environment, now);
  if (opened && "refused" in opened) {
    void res.body?.cancel();
    return refused(wiring, opened.refused, (body as { id?: unknown }).id);
  }
  const headers = new Headers(res.headers);
  headers.set("mcp-session-id", created);
  return new Response(res.body, { status: res.status, headers });
}

async function stream(req: Request, auth: Authenticated, wiring: McpWiring, id: string): Promise<Response> {
  const environment = await sessionOf(wiring, id, auth, clockOf(req));
  const ctx = await contextFor(auth, environment);
  const { server, transport } = await connect(ctx, false);
  const res = await transport.handleRequest(req);
  if (res.status !== 200 || !res.body) {
    void server.close().catch(() => {});
    return res;
  }
  const held = { id, projectId: auth.principal.projectId, environment, server, res, db: ctx.db };
  return holdStream(held, wiring, await getRuntime());
}

async function end(req: Request, auth: Authenticated, wiring: McpWiring, id: string): Promise<Response> {
  await sessionOf(wiring, id, auth, clockOf(req));
  const reason = wiring.reasons.deleted;
  await wiring.sessions
    .end(id, reason)
    .catch((e: unknown) => log.warn(`ending an MCP session: ${(e as Error).message}`));
  closeHeldStream(id);
  await wiring.tell({ kind: "ended", id, reason });
  return new Response(null, { status: 200 });
}

/** GET, POST and DELETE /api/mcp. */
export async function handleMcp(req: Request): Promise<Response> {
  try {
    // Before anything is read: a page on another site must not reach the server through the user's browser.
    const origin = req.headers.get("origin");
    if (!allowedOrigin()(origin))
      throw new AppError(
        "forbidden",
        `Origin ${origin} may not use this MCP server (the server's own origin and LECTERN_MCP_ALLOWED_ORIGINS may).`,
        { origin },
      );
    const db = readyDb() ?? (await getDb());
    const auth = await authenticate(db, req.headers.get("authorization"), "runtime");
    const wiring = await getMcpWiring();
    const id = req.headers.get("mcp-session-id");
    if (req.method === "POST") return await post(req, auth, wiring, id);
    if (!id)
      throw new AppError(
        "invalid_input",
        "Start a session with an initialize request (POST), then send its Mcp-Session-Id header.",
      );
    return req.method === "GET" ? await stream(req, auth, wiring, id) : await end(req, auth, wiring, id);
  } catch (e) {
    return errorResponse(toAppError(e, `${req.method} /api/mcp`));
  }
}
