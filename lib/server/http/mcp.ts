import "server-only";
import { randomUUID } from "node:crypto";
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  isInitializeRequest,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { assertEnvironmentAllowed } from "@/lib/auth/api-keys";
import { getMcpPrompt, listMcpPrompts } from "@/lib/mcp/prompts";
import { listSkillResources, readSkillResource } from "@/lib/mcp/resources";
import { mcpTools, type McpToolName } from "@/lib/mcp/tools";
import { environmentNameSchema } from "@/lib/release/environments";
import { getDb, readyDb } from "../wiring/db";
import { getEvents } from "../wiring/events";
import { getRuntime } from "../wiring/runtime";
import { onShutdown } from "../wiring/shutdown";
import { processSingleton } from "../wiring/singleton";
import { authenticate, type Authenticated } from "./api-auth";
import { errorResponse } from "./api";
import { assertDeclaredLength, MAX_BODY_BYTES, parseJsonBody, readLimited } from "./request-input";
import { toAppError } from "./errors";

// Lectern's MCP server (docs/mcp.md): Streamable HTTP at /api/mcp with the official SDK's web-standard
// transport, authenticated by an API key on every request. A session is kept in this process (an MCP client
// keeps its connection to one instance: put a sticky load balancer in front of several) and belongs to the key
// that opened it. It serves one environment's prompts (?environment=, else the key's only environment, else
// production) and tells its client when what that environment serves changes (`list_changed`).

/** Sessions per process, and per key: an MCP client opens one; more are refused rather than kept. */
const MAX_SESSIONS = 1000;
const MAX_SESSIONS_PER_KEY = 20;
/** A session no request has used this long is closed (its client re-initializes). */
const IDLE_MS = 30 * 60_000;

type Session = {
  transport: WebStandardStreamableHTTPServerTransport;
  keyId: string;
  lastUsed: number;
  close: () => void;
};

const sessions = () =>
  processSingleton("mcpSessions", () => {
    const map = new Map<string, Session>();
    const sweep = setInterval(() => {
      const now = Date.now();
      for (const [, s] of map) if (now - s.lastUsed > IDLE_MS) s.close();
    }, 60_000);
    sweep.unref();
    onShutdown(async () => {
      clearInterval(sweep);
      for (const [, s] of map) s.close();
    });
    return map;
  });

function environmentOf(url: URL, principal: Authenticated["principal"]): string {
  const asked = url.searchParams.get("environment");
  const environment = asked
    ? environmentNameSchema.parse(asked)
    : principal.environments?.length === 1
      ? principal.environments[0]!
      : "production";
  assertEnvironmentAllowed(principal, environment);
  return environment;
}

/** The MCP server of one session: prompts of `environment` and the tools, as `auth` may use them. */
async function serverFor(auth: Authenticated, environment: string) {
  const db = readyDb() ?? (await getDb());
  const runtime = await getRuntime();
  const principal = auth.principal;
  const server = new Server(
    { name: "lectern", version: "1.0.0" },
    {
      capabilities: { prompts: { listChanged: true }, resources: { listChanged: true }, tools: {} },
      instructions: `Prompts of project ${principal.projectSlug} as ${environment} serves them. prompts/get takes the prompt's variables, and "environment" and "subject" (experiments and guarded rollouts assign by subject).`,
    },
  );
  // A domain refusal is the tool's or prompt's error in words, never a stack.
  const failed = (e: unknown) => toAppError(e, "mcp");
  server.setRequestHandler(ListPromptsRequestSchema, async (req) =>
    listMcpPrompts(runtime, db, principal, environment, req.params?.cursor),
  );
  server.setRequestHandler(GetPromptRequestSchema, async (req) => {
    try {
      return await getMcpPrompt(runtime, db, principal, environment, req.params.name, req.params.arguments ?? {});
    } catch (e) {
      // A name or an argument the prompt refuses is the caller's (invalid params); the rest is the server's.
      const err = failed(e);
      const code = err.status < 500 ? ErrorCode.InvalidParams : ErrorCode.InternalError;
      throw new McpError(code, err.message, { code: err.code, ...err.details });
    }
  });
  // Skills as resources (lib/mcp/resources.ts); an unknown one is -32002, resource not found.
  server.setRequestHandler(ListResourcesRequestSchema, (req) =>
    listSkillResources(db, principal, environment, req.params?.cursor),
  );
  server.setRequestHandler(ReadResourceRequestSchema, (req) =>
    readSkillResource(db, principal, environment, req.params.uri).catch((e: unknown) => {
      const err = failed(e);
      throw new McpError(err.status === 404 ? -32002 : ErrorCode.InternalError, err.message, { uri: req.params.uri });
    }),
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: Object.entries(mcpTools).map(([name, t]) => ({
      name,
      description: t.description,
      inputSchema: z.toJSONSchema(z.object(t.input)) as { type: "object" },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req) => {
    const tool = mcpTools[req.params.name as McpToolName];
    if (!tool) return { isError: true, content: [{ type: "text", text: `No tool named ${req.params.name}.` }] };
    try {
      const parsed = z.object(tool.input).safeParse(req.params.arguments ?? {});
      if (!parsed.success)
        throw new AppError(
          "invalid_input",
          parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
        );
      const ctx = { db, actor: auth.actor, projectId: principal.projectId, events: await getEvents() };
      const result = await (tool.run as (c: typeof ctx, a: unknown) => Promise<unknown>)(ctx, parsed.data);
      return {
        content: [{ type: "text", text: JSON.stringify(result, null, 2) }],
        structuredContent: { result } as Record<string, unknown>,
      };
    } catch (e) {
      const err = failed(e);
      return { isError: true, content: [{ type: "text", text: `${err.code}: ${err.message}` }] };
    }
  });
  // What the environment serves changed: say so (a burst of changes is one notification).
  let pending: NodeJS.Timeout | undefined;
  const changed = (e: { environment: string | null; action: string }) => {
    if (e.environment !== null && e.environment !== environment && e.action !== "reset") return;
    pending ??= setTimeout(() => {
      pending = undefined;
      void server.sendPromptListChanged().catch(() => {});
      void server.sendResourceListChanged().catch(() => {});
    }, 100);
  };
  const unlisten = [runtime.bus.listen(principal.projectId, changed), runtime.bus.listen("", changed)];
  return {
    server,
    stop: () => {
      clearTimeout(pending);
      for (const u of unlisten) u();
    },
  };
}

/** GET, POST and DELETE /api/mcp. */
export async function handleMcp(req: Request): Promise<Response> {
  const url = new URL(req.url);
  try {
    const db = readyDb() ?? (await getDb());
    const auth = await authenticate(db, req.headers.get("authorization"), "runtime");
    const id = req.headers.get("mcp-session-id");
    const all = sessions();
    if (id) {
      const s = all.get(id);
      // Another key's session is as unknown as a closed one: the client starts a new session.
      if (!s || s.keyId !== auth.principal.keyId)
        throw new AppError("not_found", "No such MCP session (it ended, or belongs to another key): initialize again.");
      s.lastUsed = Date.now();
      return await s.transport.handleRequest(req);
    }
    const start = "Start a session with an initialize request (POST), then send its Mcp-Session-Id.";
    if (req.method !== "POST") throw new AppError("invalid_input", start);
    // Read here (within the body limit) so that anything but an initialize request is refused in Lectern's words.
    assertDeclaredLength(req.headers.get("content-length"), MAX_BODY_BYTES);
    const body = parseJsonBody(await readLimited(req.body, MAX_BODY_BYTES));
    if (!isInitializeRequest(body)) throw new AppError("invalid_input", start);
    const mine = [...all.values()].filter((s) => s.keyId === auth.principal.keyId).length;
    if (all.size >= MAX_SESSIONS || mine >= MAX_SESSIONS_PER_KEY)
      throw new AppError(
        "rate_limited",
        `Too many open MCP sessions (${mine} for this key, at most ${MAX_SESSIONS_PER_KEY}): close one (DELETE /api/mcp) or wait ${IDLE_MS / 60_000} minutes for idle ones to end.`,
      );
    const environment = environmentOf(url, auth.principal);
    const { server, stop } = await serverFor(auth, environment);
    let sessionId: string | undefined;
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      maxRequestBodySize: MAX_BODY_BYTES,
      onsessioninitialized: (sid) => {
        sessionId = sid;
        all.set(sid, { transport, keyId: auth.principal.keyId, lastUsed: Date.now(), close });
      },
      onsessionclosed: () => close(),
    });
    let closed = false;
    function close() {
      if (closed) return;
      closed = true;
      stop();
      if (sessionId) all.delete(sessionId);
      void transport.close().catch(() => {});
      void server.close().catch(() => {});
    }
    await server.connect(transport);
    const res = await transport.handleRequest(req, { parsedBody: body });
    // A request that did not initialize a session leaves nothing behind.
    if (!sessionId) close();
    return res;
  } catch (e) {
    return errorResponse(toAppError(e, `${req.method} /api/mcp`));
  }
}
