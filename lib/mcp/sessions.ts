// MCP sessions (docs/mcp.md#sessions): what a session is, the limits on how many there are, and the in-process
// store of them. A session is a thin record — the key that opened it, its project and the environment it serves —
// and every request is served from it by whichever instance gets it (lib/server/http/mcp.ts), so the record
// lives where every instance reads it: Redis (session-script.ts) when there is one, else this process.
//
// No client is ever locked out: a session past a limit is not refused, the least recently used one in the
// same scope ends to make room (the key's, then the project's; past the server's total, the least recently
// used one of the project holding the most). An ended session's id answers 404 with the reason, which
// names the limit that applied, and the client initializes again (the protocol asks clients to). Clients
// that never send DELETE are normal: their sessions end by these rules or after the idle time.
import { randomBytes } from "node:crypto";
import { LRUCache } from "lru-cache";

export type McpSession = {
  id: string;
  keyId: string;
  projectId: string;
  environment: string;
  createdAt: number;
};

export type SessionLimits = {
  /** Sessions one API key holds (LECTERN_MCP_SESSIONS_PER_KEY). */
  perKey: number;
  /** Sessions one project's keys hold together (LECTERN_MCP_SESSIONS_PER_PROJECT). */
  perProject: number;
  /** Sessions in all: every instance's with Redis, this instance's without (LECTERN_MCP_SESSIONS_MAX). */
  max: number;
  /** A session no request used this long ends (LECTERN_MCP_SESSION_IDLE_MINUTES). */
  idleMs: number;
};

export const defaultSessionLimits: SessionLimits = { perKey: 20, perProject: 100, max: 2000, idleMs: 30 * 60_000 };

/** Why a session ended, in words a client shows its user: each names the limit (and its setting) that applied. */
export function endReasons(l: SessionLimits) {
  return {
    perKey: `it was the least recently used of its API key's sessions when the key opened one more (a key holds at most ${l.perKey}: LECTERN_MCP_SESSIONS_PER_KEY)`,
    perProject: `it was the least recently used of its project's sessions when the project opened one more (a project holds at most ${l.perProject}: LECTERN_MCP_SESSIONS_PER_PROJECT)`,
    max: `the server holds at most ${l.max} MCP sessions (LECTERN_MCP_SESSIONS_MAX), and this was the least recently used session of the project holding the most`,
    idle: `no request used it for ${Math.round(l.idleMs / 60_000)} minutes (LECTERN_MCP_SESSION_IDLE_MINUTES)`,
    deleted: "its client ended it (DELETE)",
  };
}

export type Ended = { id: string; reason: string };
/** A live session (and the time it was used before this request), or why there is none (null: never known, or forgotten). */
export type Touched = { session: McpSession } | { session: null; reason: string | null };

export interface McpSessionStore {
  /** Records a new session; returns the sessions that ended to make room for it (and idle ones found on the way). */
  open(session: McpSession, now: number): Promise<Ended[]>;
  /** The session, marked used at `now`; an idle one ends here. */
  touch(id: string, now: number): Promise<Touched>;
  /** Ends a session; false when there was none. */
  end(id: string, reason: string): Promise<boolean>;
  /** Open sessions of a key, of a project, or in all. */
  count(scope: { keyId: string } | { projectId: string } | "all", now: number): Promise<number>;
}

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const unb64 = (s: string) => Buffer.from(s, "base64url").toString("utf8");

/**
 * A new session id: the key and the environment it serves, then 16 random bytes (visible ASCII, as the transport
 * requires). The key and environment are not secrets and grant nothing — every request is authenticated by its key,
 * and the environment is checked against the key — but they let any instance serve the session while the
 * shared store does not answer.
 */
export function newSessionId(keyId: string, environment: string): string {
  return `${b64(keyId)}.${b64(environment)}.${randomBytes(16).toString("base64url")}`;
}

/** What a session id says about itself, or null for one Lectern did not make. */
export function readSessionId(id: string): { keyId: string; environment: string } | null {
  const parts = id.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]{1,400}$/.test(p))) return null;
  return { keyId: unb64(parts[0]!), environment: unb64(parts[1]!) };
}

type Entry = { session: McpSession; lastUsed: number };

/** A set whose iteration order is least recently used first (re-adding moves a member to the end). */
const markUsed = (set: Set<string>, id: string) => {
  set.delete(id);
  set.add(id);
};

/** The sessions of one process (no Redis): the same rules as session-script.ts, in memory. */
export class MemorySessionStore implements McpSessionStore {
  // Maps and Sets keep insertion order; every use re-inserts, so the first entry is the least recently used.
  private readonly sessions = new Map<string, Entry>();
  private readonly byKey = new Map<string, Set<string>>();
  private readonly byProject = new Map<string, Set<string>>();
  private readonly gone = new LRUCache<string, string>({ max: 10_000, ttl: 3_600_000 });
  private readonly reasons: ReturnType<typeof endReasons>;

  constructor(private readonly limits: SessionLimits) {
    this.reasons = endReasons(limits);
  }

  private finish(id: string, reason: string, ended: Ended[]): boolean {
    const e = this.sessions.get(id);
    if (!e) return false;
    this.sessions.delete(id);
    for (const [index, scope] of [
      [this.byKey, e.session.keyId],
      [this.byProject, e.session.projectId],
    ] as const) {
      const set = index.get(scope);
      set?.delete(id);
      if (set && !set.size) index.delete(scope);
    }
    this.gone.set(id, reason);
    ended.push({ id, reason });
    return true;
  }

  private prune(now: number, ended: Ended[]) {
    for (const [id, e] of this.sessions) {
      if (now - e.lastUsed <= this.limits.idleMs) break; // the rest were used later
      this.finish(id, this.reasons.idle, ended);
    }
  }

  async open(session: McpSession, now: number): Promise<Ended[]> {
    const ended: Ended[] = [];
    this.prune(now, ended);
    const trim = (set: Set<string> | undefined, limit: number, reason: string) => {
      while (set && set.size >= limit) this.finish(set.values().next().value!, reason, ended);
    };
    trim(this.byKey.get(session.keyId), this.limits.perKey, this.reasons.perKey);
    trim(this.byProject.get(session.projectId), this.limits.perProject, this.reasons.perProject);
    while (this.sessions.size >= this.limits.max) {
      let biggest: Set<string> | undefined;
      for (const set of this.byProject.values()) if (!biggest || set.size > biggest.size) biggest = set;
      this.finish(biggest!.values().next().value!, this.reasons.max, ended);
    }
    this.sessions.set(session.id, { session, lastUsed: now });
    for (const [index, scope] of [
      [this.byKey, session.keyId],
      [this.byProject, session.projectId],
    ] as const) {
      const set = index.get(scope) ?? new Set<string>();
      set.add(session.id);
      index.set(scope, set);
    }
    return ended;
  }

  async touch(id: string, now: number): Promise<Touched> {
    const e = this.sessions.get(id);
    if (e && now - e.lastUsed <= this.limits.idleMs) {
      e.lastUsed = now;
      this.sessions.delete(id);
      this.sessions.set(id, e);
      markUsed(this.byKey.get(e.session.keyId)!, id);
      markUsed(this.byProject.get(e.session.projectId)!, id);
      return { session: e.session };
    }
    if (e) this.finish(id, this.reasons.idle, []);
    return { session: null, reason: this.gone.get(id) ?? null };
  }

  async end(id: string, reason: string): Promise<boolean> {
    return this.finish(id, reason, []);
  }

  async count(scope: { keyId: string } | { projectId: string } | "all", now: number): Promise<number> {
    this.prune(now, []);
    if (scope === "all") return this.sessions.size;
    return ("keyId" in scope ? this.byKey.get(scope.keyId) : this.byProject.get(scope.projectId))?.size ?? 0;
  }
}
