// MCP sessions (docs/mcp.md#sessions): what a session is, the limits on how many there are, and the in-process
// store of them. A session is a thin record — the key that opened it, its project and the environment it serves —
// and every request is served from it by whichever instance gets it (lib/server/http/mcp/mcp.ts), so the record
// lives where every instance reads it: Redis (session-script.ts) when there is one, else this process.
//
// An active session is never ended to make room: past a limit (the key's, the project's, the server's total) the
// longest-idle session in that scope ends — idle meaning no request and no beat of an open stream for the active
// window (LECTERN_MCP_SESSION_ACTIVE_SECONDS) — and when every session in the scope is active, the new session is
// refused (429 with Retry-After: when the least recently used one would turn idle). A fleet of long-lived clients
// on one key therefore keeps working: none of them is cut off by another's arrival. An ended session's id answers
// 404 with the reason, which names the limit that applied. Clients that never send DELETE are normal: their
// sessions end by these rules or after the idle time.
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
  /** A session used within this window is active: never ended to make room (LECTERN_MCP_SESSION_ACTIVE_SECONDS). */
  activeMs: number;
};

export const defaultSessionLimits: SessionLimits = {
  perKey: 100,
  perProject: 500,
  max: 2000,
  idleMs: 30 * 60_000,
  activeMs: 60_000,
};

export type LimitName = "perKey" | "perProject" | "max";

const active = (l: SessionLimits) =>
  `no request and no open stream for over ${Math.round(l.activeMs / 1000)} s: LECTERN_MCP_SESSION_ACTIVE_SECONDS`;

/** The setting of each limit. */
export const limitSettings: Record<LimitName, string> = {
  perKey: "LECTERN_MCP_SESSIONS_PER_KEY",
  perProject: "LECTERN_MCP_SESSIONS_PER_PROJECT",
  max: "LECTERN_MCP_SESSIONS_MAX",
};

/** What each limit is, with its setting, in words (a refusal and an ending name it). */
export const limitWords = (l: SessionLimits): Record<LimitName, string> => ({
  perKey: `a key holds at most ${l.perKey}: ${limitSettings.perKey}`,
  perProject: `a project holds at most ${l.perProject}: ${limitSettings.perProject}`,
  max: `the server holds at most ${l.max}: ${limitSettings.max}`,
});

/** Why a session ended, in words a client shows its user: each names the limit (and its setting) that applied. */
export function endReasons(l: SessionLimits) {
  const w = limitWords(l);
  return {
    perKey: `it was the longest idle (${active(l)}) of its API key's sessions when the key opened one more (${w.perKey})`,
    perProject: `it was the longest idle (${active(l)}) of its project's sessions when the project opened one more (${w.perProject})`,
    max: `it was the longest idle session (${active(l)}) when the server was full (${w.max})`,
    idle: `no request used it for ${Math.round(l.idleMs / 60_000)} minutes (LECTERN_MCP_SESSION_IDLE_MINUTES)`,
    deleted: "its client ended it (DELETE)",
  };
}

/** Why a new session was refused: the limit, and when its least recently used session would turn idle. */
export function refusalMessage(l: SessionLimits, limit: LimitName, retryAfterSeconds: number): string {
  const scope = { perKey: "This API key", perProject: "This project", max: "The server" }[limit];
  return (
    `${scope} holds as many MCP sessions as it may (${limitWords(l)[limit]}) and every one is active (used within ` +
    `the last ${Math.round(l.activeMs / 1000)} s: LECTERN_MCP_SESSION_ACTIVE_SECONDS); an idle session is ended to ` +
    `make room, an active one never. Retry in ${retryAfterSeconds} s, end a session no longer used (DELETE), or ` +
    `raise ${limitSettings[limit]}.`
  );
}

export type Ended = { id: string; reason: string };
/** A new session recorded (with the idle ones that ended to make room), or refused: every one in a full scope is active. */
export type Opened = { ended: Ended[] } | { refused: { limit: LimitName; retryAfterMs: number } };
/** A live session (and the time it was used before this request), or why there is none (null: never known, or forgotten). */
export type Touched = { session: McpSession } | { session: null; reason: string | null };

export interface McpSessionStore {
  /** Records a new session, ending idle ones to make room; refuses it when a full scope holds only active ones. */
  open(session: McpSession, now: number): Promise<Opened>;
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

  async open(session: McpSession, now: number): Promise<Opened> {
    const ended: Ended[] = [];
    this.prune(now, ended);
    // Who ends to make room, scope by scope (key, project, all: each inside the next, so every session chosen so
    // far is in the scope at hand): its longest-idle sessions not already chosen. Nothing ends unless all can.
    const chosen = new Map<string, string>();
    const key = this.byKey.get(session.keyId);
    const project = this.byProject.get(session.projectId);
    const scopes: [LimitName, Iterable<string>, number, number][] = [
      ["perKey", key ?? [], key?.size ?? 0, this.limits.perKey],
      ["perProject", project ?? [], project?.size ?? 0, this.limits.perProject],
      ["max", this.sessions.keys(), this.sessions.size, this.limits.max],
    ];
    for (const [limit, ids, size, cap] of scopes) {
      let needed = size - chosen.size - cap + 1;
      for (const id of ids) {
        if (needed <= 0) break;
        if (chosen.has(id)) continue;
        const lastUsed = this.sessions.get(id)!.lastUsed;
        if (now - lastUsed <= this.limits.activeMs)
          return { refused: { limit, retryAfterMs: lastUsed + this.limits.activeMs + 1 - now } };
        chosen.set(id, this.reasons[limit]);
        needed--;
      }
    }
    for (const [id, reason] of chosen) this.finish(id, reason, ended);
    this.sessions.set(session.id, { session, lastUsed: now });
    for (const [index, scope] of [
      [this.byKey, session.keyId],
      [this.byProject, session.projectId],
    ] as const) {
      const set = index.get(scope) ?? new Set<string>();
      set.add(session.id);
      index.set(scope, set);
    }
    return { ended };
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
