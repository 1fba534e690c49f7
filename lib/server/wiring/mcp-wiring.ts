import "server-only";
import { ScriptedSessionStore } from "@/lib/mcp/session-script";
import { endReasons, MemorySessionStore, type McpSessionStore, type SessionLimits } from "@/lib/mcp/mcp-sessions";
import { installationId } from "@/lib/setup/installation";
import { getDb } from "./db";
import { env } from "./env";
import { log } from "./log";
import { getSharedStore } from "./redis";
import { processStart } from "./singleton";

// The MCP server's sessions and the channel its instances tell each other on (docs/mcp.md#sessions): in Redis
// when there is one (every instance reads the same sessions), else in this process, as the caches are.

/** What one instance says to the others about a session: it ended, or another instance now holds its stream. */
export type McpMessage = { kind: "ended"; id: string; reason: string } | { kind: "stream"; id: string; holder: string };

export type McpWiring = {
  sessions: McpSessionStore;
  limits: SessionLimits;
  reasons: ReturnType<typeof endReasons>;
  /** Tells every instance (this one included); a failure is logged, never thrown. */
  tell(m: McpMessage): Promise<void>;
  /** Calls `handler` for every message any instance tells. */
  hear(handler: (m: McpMessage) => void): () => void;
};

export const mcpLimits = (): SessionLimits => {
  const c = env();
  return {
    perKey: c.LECTERN_MCP_SESSIONS_PER_KEY,
    perProject: c.LECTERN_MCP_SESSIONS_PER_PROJECT,
    max: c.LECTERN_MCP_SESSIONS_MAX,
    idleMs: c.LECTERN_MCP_SESSION_IDLE_MINUTES * 60_000,
    activeMs: c.LECTERN_MCP_SESSION_ACTIVE_SECONDS * 1000,
  };
};

async function start(): Promise<McpWiring> {
  const store = await getSharedStore();
  const installation = await installationId(await getDb());
  const limits = mcpLimits();
  const sessions: McpSessionStore = store.eval
    ? new ScriptedSessionStore({ eval: store.eval.bind(store) }, `${installation}:mcp:`, limits)
    : new MemorySessionStore(limits);
  const channel = `lectern:${installation}:mcp`;
  const handlers = new Set<(m: McpMessage) => void>();
  const deliver = (raw: string) => {
    let m: McpMessage;
    try {
      m = JSON.parse(raw) as McpMessage;
    } catch {
      return;
    }
    for (const h of handlers) h(m);
  };
  // Subscribed once; while the store cannot subscribe, this instance hears only itself (and retries on the next tell).
  let subscribed: Promise<unknown> | undefined;
  const subscribe = () =>
    (subscribed ??= store.subscribe(channel, deliver).catch((e: unknown) => {
      subscribed = undefined;
      log.warn(`MCP session messages not subscribed yet: ${(e as Error).message}`);
    }));
  await subscribe();
  return {
    sessions,
    limits,
    reasons: endReasons(limits),
    async tell(m) {
      const raw = JSON.stringify(m);
      void subscribe();
      try {
        await store.publish(channel, raw);
      } catch (e) {
        log.warn(`telling other instances about an MCP session failed: ${(e as Error).message}`);
      }
      // The in-process store delivers its own publishes; Redis's Pub/Sub does too, but this instance must not wait.
      if (store.kind !== "memory") deliver(raw);
    },
    hear(handler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  };
}

/** The process's MCP sessions and channel (one for every bundle). */
export function getMcpWiring(): Promise<McpWiring> {
  const started = processStart("mcpWiring", start);
  // Each bundle (Next's route handlers, Lectern's own server) has its own copy of `ready`.
  if (!ready)
    started.then(
      (w) => void (ready = w),
      () => {},
    );
  return started;
}

let ready: McpWiring | undefined;

/** The wiring once started, without an await (the fast path's hot path). */
export const readyMcpWiring = (): McpWiring | undefined => ready;
