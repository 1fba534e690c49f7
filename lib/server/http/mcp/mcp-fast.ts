import "server-only";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { mcpFeatures } from "@/lib/mcp/server";
import { answerRequest, answerRequestHere, requestTable, type JsonRpcId } from "@/lib/mcp/request-table";
import { getDb, readyDb } from "../../wiring/db";
import { getMcpWiring, readyMcpWiring } from "../../wiring/mcp-wiring";
import { authenticate, authenticateCached } from "../api-auth";
import { allowedOrigin, clockOf, contextFor, contextHere } from "./mcp-request";
import { localSessions } from "./mcp-local-sessions";
import { MAX_BODY_BYTES } from "../request-input";
import type { RuntimeResponse } from "../runtime-http";
import { errorAnswer, type RuntimeRequest } from "../runtime-request";
import { toAppError } from "../http-errors";

// POST /api/mcp on Lectern's own server (docs/mcp.md#the-fast-path): the calls an agent makes in a loop — prompts/get,
// prompts/list, completion/complete, resources/list, resources/templates/list, resources/read, skills/list,
// skills/get, ping, and notifications (202) — answered by the same handlers the SDK's server registers
// (lib/mcp/request-table.ts), from the same caches as resolve, with the session read from this instance's copy
// (mcp-local-sessions.ts), and no server or transport built per request. A prompts/get whose prompt is in L1, in a
// session held here, is answered without an await once the body is read (McpRequest.here).
//
// Only a request the SDK path would answer with a result takes this path: every header it checks (Origin, Accept,
// Content-Type, Mcp-Protocol-Version, the test clock), the key, the body's size and JSON, the message's shape and
// the session must be what the SDK path accepts; anything else — initialize, tools, a batch, an error of any kind
// — is handed to the SDK path (handleMcp) with the bytes read so far, so its answers are the SDK path's own.

/** What the SDK path answers instead: the body read so far (undefined: none), or "unread" (read it from the request). */
export type Fallback = { fallback: Uint8Array | undefined | "unread" };

const table = requestTable(mcpFeatures);
const METHODS = new Set(["ping", ...table.keys()]);
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ "content-type": "application/json" });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, keys: Set<string>) => Object.keys(o).every((k) => keys.has(k));
const REQUEST_KEYS = new Set(["jsonrpc", "id", "method", "params"]);
const NOTIFICATION_KEYS = new Set(["jsonrpc", "method", "params"]);
const META_KEYS = new Set(["progressToken"]);

/** Params the SDK reads nothing more from: an object, `_meta` at most a progress token, no task. */
function plainParams(params: unknown): boolean {
  if (params === undefined) return true;
  if (!isObject(params) || "task" in params) return false;
  const meta = params._meta;
  if (meta === undefined) return true;
  if (!isObject(meta) || !onlyKeys(meta, META_KEYS)) return false;
  const token = meta.progressToken;
  return token === undefined || typeof token === "string" || Number.isSafeInteger(token);
}

type Message = { kind: "request"; id: JsonRpcId; method: string; params?: unknown } | { kind: "notification" };

/** The message, when it is one this path answers exactly as the SDK path does; null otherwise. */
export function fastMessage(body: unknown): Message | null {
  if (!isObject(body) || body.jsonrpc !== "2.0" || typeof body.method !== "string" || !plainParams(body.params))
    return null;
  if (!("id" in body))
    return body.method.startsWith("notifications/") && onlyKeys(body, NOTIFICATION_KEYS)
      ? { kind: "notification" }
      : null;
  const { id } = body;
  if (!(typeof id === "string" || Number.isSafeInteger(id)) || !onlyKeys(body, REQUEST_KEYS)) return null;
  if (!METHODS.has(body.method)) return null;
  return { kind: "request", id: id as JsonRpcId, method: body.method, params: body.params };
}

const JSON_TYPE = /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i;

/** Whether the headers are ones the SDK path accepts for a message in a session (its own checks, same order). */
function headersAccepted(req: RuntimeRequest): boolean {
  if (!allowedOrigin()(req.header("origin") ?? null)) return false;
  const accept = req.header("accept");
  if (!accept?.includes("application/json") || !accept.includes("text/event-stream")) return false;
  if (!JSON_TYPE.test(req.header("content-type") ?? "")) return false;
  const version = req.header("mcp-protocol-version");
  if (version != null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) return false;
  const declared = req.header("content-length");
  if (declared != null && !(/^\d{1,9}$/.test(declared) && Number(declared) <= MAX_BODY_BYTES)) return false;
  return Boolean(req.header("mcp-session-id"));
}

const clock = (req: RuntimeRequest): number | null => {
  try {
    return clockOf({ headers: { get: (n: string) => req.header(n) ?? null } });
  } catch {
    return null;
  }
};

/** POST /api/mcp: the answer, or the SDK path's turn. */
export async function mcpFast(req: RuntimeRequest): Promise<RuntimeResponse | Fallback> {
  const unread: Fallback = { fallback: "unread" };
  if (req.method !== "POST" || !headersAccepted(req)) return unread;
  const header = req.header("authorization");
  let auth;
  try {
    const db = readyDb() ?? (await getDb());
    auth = authenticateCached(db, header, "runtime") ?? (await authenticate(db, header, "runtime"));
  } catch {
    return unread; // its refusal (or the database's failure) is the SDK path's to answer
  }
  const now = req.header("lectern-test-clock") === undefined ? Date.now() : clock(req);
  if (now === null) return unread;
  let bytes: Uint8Array | undefined;
  try {
    bytes = await req.readBody(MAX_BODY_BYTES);
  } catch (e) {
    return errorAnswer(toAppError(e, "POST /api/mcp"));
  }
  const fallback: Fallback = { fallback: bytes };
  let body: unknown;
  try {
    body = bytes && JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    return fallback;
  }
  const message = fastMessage(body);
  if (!message) return fallback;
  try {
    // An agent's loop — the session held here, the answer in memory — is answered without an await.
    const sessions = localSessions(readyMcpWiring() ?? (await getMcpWiring()));
    const id = req.header("mcp-session-id")!;
    const { keyId } = auth.principal;
    const session = sessions.useHere(id, keyId, now) ?? (await sessions.use(id, keyId, now));
    if (!session) return fallback;
    if (message.kind === "notification") return { status: 202, headers: {}, body: null };
    const ctx = contextHere(auth, session.environment) ?? (await contextFor(auth, session.environment));
    const here = answerRequestHere(table, ctx, message);
    if (here !== undefined) return { status: 200, headers: JSON_HEADERS, body: here };
    return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(await answerRequest(table, ctx, message)) };
  } catch {
    return fallback; // the wiring not ready (the database, Redis): the SDK path answers as it does then
  }
}
