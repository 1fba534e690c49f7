import "server-only";
import { randomUUID } from "node:crypto";
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { Db } from "@/db/client";
import { announceChange, changeOf } from "@/lib/mcp/server";
import type { PromptChanged } from "@/lib/announcements";
import type { Runtime } from "../../wiring/runtime-wiring";
import type { McpWiring } from "../../wiring/mcp-wiring";
import { onShutdown } from "../../wiring/process/shutdown";
import { processSingleton } from "../../wiring/singleton";

// The notification streams (GET /api/mcp) this process holds: one per session, on whichever instance the client's
// GET reached. What the session's environment serves changing anywhere reaches this instance through the
// invalidation bus and becomes `list_changed` here; a session ended on any instance (DELETE, a limit, idle), or a
// newer stream of the same session opened anywhere, closes this one. An open stream keeps its session in use, and
// active (its beat touches it several times in the active window: LECTERN_MCP_SESSION_ACTIVE_SECONDS).

type Held = { holder: string; close: () => void };

const streamOpen = new TextEncoder().encode(": stream open\n\n");

const held = () =>
  processSingleton("mcpStreams", () => {
    const map = new Map<string, Held>();
    onShutdown(async () => {
      for (const s of [...map.values()]) s.close();
    });
    return map;
  });

let listening = false;
/** Ends this process's stream of a session when any instance says so (once per process). */
function listen(wiring: McpWiring) {
  if (listening) return;
  listening = true;
  wiring.hear((m) => {
    const s = held().get(m.id);
    if (s && (m.kind === "ended" || s.holder !== m.holder)) s.close();
  });
}

/** Closes this process's stream of a session, if it holds one (the instance that ended it tells the others). */
export function closeHeldStream(id: string) {
  held().get(id)?.close();
}

/**
 * Holds `res` (the SDK transport's answer to the GET) as the session's stream: `server` is told of changes to
 * `environment` in the project (`db` says which prompts changed are skills), the session is kept in use, and
 * everything is released when the client goes, the session ends, or a newer stream replaces this one.
 */
export function holdStream(
  o: { id: string; projectId: string; environment: string; server: Server; res: Response; db: Db },
  wiring: McpWiring,
  runtime: Runtime,
): Response {
  listen(wiring);
  const { id, server, res } = o;
  const holder = randomUUID();
  const map = held();
  map.get(id)?.close();
  let pending: NodeJS.Timeout | undefined;
  // The prompts changed since the last announcement (null: a reset, everything may have changed).
  let touched: Set<string> | null = new Set();
  // A version nobody serves yet (environment null) changes no list: only a change to this environment, or a reset.
  // Which lists it changed depends on what changed: a skill's resources, any other prompt's prompts (changeOf).
  const changed = (e: PromptChanged) => {
    if (e.action !== "reset" && e.environment !== o.environment) return;
    if (e.action === "reset") touched = null;
    else touched?.add(e.prompt);
    pending ??= setTimeout(() => {
      pending = undefined;
      const names = touched && [...touched];
      touched = new Set();
      // Not knowing which lists changed (the database not answering), both are told: never a change missed.
      void changeOf(o.db, o.projectId, names)
        .catch(() => ({ prompts: true, skills: true }))
        .then((change) => announceChange(server, change))
        .catch(() => {});
    }, 100);
  };
  const unlisten = [runtime.bus.listen(o.projectId, changed), runtime.bus.listen("", changed)];
  const beat = setInterval(
    () =>
      void wiring.sessions.touch(id, Date.now()).then(
        (t) => t.session || close(),
        () => {}, // the store not answering ends nothing
      ),
    // Often enough that a session with an open stream is always active (never ended to make room).
    Math.min(60_000, wiring.limits.idleMs / 2, wiring.limits.activeMs / 3),
  );
  beat.unref();
  let closed = false;
  function close() {
    if (closed) return;
    closed = true;
    clearTimeout(pending);
    clearInterval(beat);
    for (const u of unlisten) u();
    if (map.get(id)?.holder === holder) map.delete(id);
    void server.close().catch(() => {});
  }
  map.set(id, { holder, close });
  void wiring.tell({ kind: "stream", id, holder });
  // Passes the transport's events through, and notices the end from either side: the client leaving (cancel) or
  // the server closing (the transport's stream ends).
  const reader = res.body!.getReader();
  const body = new ReadableStream<Uint8Array>({
    // An SSE comment first: the answer's headers go out now, not with the first notification, so a client (and a
    // proxy) knows at once that its stream is open. Clients skip comments.
    start(controller) {
      controller.enqueue(streamOpen);
    },
    async pull(controller) {
      const { done, value } = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (done) {
        close();
        controller.close();
      } else controller.enqueue(value);
    },
    cancel(reason) {
      close();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: res.status, headers: res.headers });
}
