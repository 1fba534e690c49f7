import "server-only";
import { LRUCache } from "lru-cache";
import type { McpSession } from "@/lib/mcp/mcp-sessions";
import type { McpWiring } from "../../wiring/mcp-wiring";
import { processSingleton } from "../../wiring/singleton";

// This instance's copy of the MCP sessions it serves (docs/mcp.md#sessions), so that an agent's loop of calls is
// answered without a round trip to the shared store: a session this instance saw used within the active window
// (LECTERN_MCP_SESSION_ACTIVE_SECONDS) is served from here; any other is read from the store (touch) first.
//
// Its use is still written to the store — behind the answer, and at most once a second a session (the newest use of
// the second is what is written): the limits' rules (idle, active, least recently used) read those uses, and a
// second's delay is well inside the active window. A touch that finds the session gone drops it here.
//
// An ending is told to every instance (wiring.tell: a DELETE, a limit making room; Redis Pub/Sub between
// instances), and drops the session here at once; a revoked key is refused by authentication, whose key cache every
// instance drops on revocation. So an ended session or a revoked key's is refused on every instance as soon as the
// message arrives (milliseconds), and by the store within the active window whatever happens to the message.

type Local = {
  session: McpSession;
  /** The request clock of the newest use this instance knows of. */
  lastUsed: number;
  /** The request clock of the last use written to the store. */
  written: number;
};

/** Uses of one session written to the store at most this often (request clock). */
export const WRITE_EVERY_MS = 1000;

export class LocalSessions {
  private readonly local = new LRUCache<string, Local>({ max: 20_000 });
  /** Sessions used since their last write, written by the next tick. */
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly wiring: McpWiring) {
    wiring.hear((m) => {
      if (m.kind === "ended") this.drop(m.id);
    });
  }

  private drop(id: string) {
    this.local.delete(id);
    this.pending.delete(id);
  }

  private write(id: string, e: Local, now: number) {
    e.written = now;
    this.pending.delete(id);
    this.wiring.sessions.touch(id, now).then(
      (t) => {
        if (!t.session) this.drop(id); // the next request reads the store, and answers why it ended
      },
      () => {}, // the store not answering ends nothing (as the SDK path serves from the id meanwhile)
    );
  }

  private tick = () => {
    this.timer = undefined;
    for (const id of [...this.pending]) {
      const e = this.local.get(id);
      if (e) this.write(id, e, e.lastUsed);
      else this.pending.delete(id);
    }
  };

  /**
   * The session `id` as `keyId` may use it at `now` (request clock), or null when this instance cannot say without
   * the SDK path: unknown, ended, another key's, or the store not answering (the SDK path answers each as it does).
   */
  async use(id: string, keyId: string, now: number): Promise<McpSession | null> {
    const here = this.useHere(id, keyId, now);
    if (here) return here;
    const touched = await this.wiring.sessions.touch(id, now).catch(() => null);
    if (!touched?.session) {
      this.drop(id);
      return null;
    }
    this.local.set(id, { session: touched.session, lastUsed: now, written: now });
    return touched.session.keyId === keyId ? touched.session : null;
  }

  /** `use` when this instance holds the session, without an await (the hot path); undefined when `use` must ask the store. */
  useHere(id: string, keyId: string, now: number): McpSession | undefined {
    const e = this.local.get(id);
    if (!e || e.session.keyId !== keyId || now - e.lastUsed > this.wiring.limits.activeMs) return undefined;
    if (now > e.lastUsed) e.lastUsed = now;
    if (now - e.written >= WRITE_EVERY_MS) this.write(id, e, now);
    else {
      this.pending.add(id);
      this.timer ??= setTimeout(this.tick, WRITE_EVERY_MS).unref();
    }
    return e.session;
  }

  /** Sessions held here (tests). */
  get size() {
    return this.local.size;
  }
}

/** The process's local sessions (one for every bundle). */
export const localSessions = (wiring: McpWiring) =>
  processSingleton("mcpLocalSessions", () => new LocalSessions(wiring));
