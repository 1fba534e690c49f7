// The session rules as cases both stores must pass: lib/mcp/mcp-sessions.test.ts runs them on the in-process store,
// lib/mcp/session-script.int.test.ts on Redis (two "instances" sharing it).
import { expect, it } from "vitest";
import { endReasons, newSessionId, type McpSessionStore, type SessionLimits } from "../lib/mcp/mcp-sessions";

export const caseLimits: SessionLimits = { perKey: 3, perProject: 5, max: 8, idleMs: 60_000, activeMs: 10_000 };

const session = (keyId: string, projectId: string, n: number) => ({
  id: newSessionId(keyId, "production"),
  keyId,
  projectId,
  environment: "production",
  createdAt: n,
});

/** `stores()` gives two handles on one store (two instances); each case uses fresh key and project names. */
export function sessionCases(stores: () => Promise<[McpSessionStore, McpSessionStore]>, tag: () => string) {
  const reasons = endReasons(caseLimits);
  const active = caseLimits.activeMs;

  it("a full key ends its longest-idle session for a new one, and that id tells why", async () => {
    const [a, b] = await stores();
    const key = `k${tag()}`;
    const project = `p${tag()}`;
    const s = [1, 2, 3].map((n) => session(key, project, n));
    for (const [i, x] of s.entries()) expect(await (i % 2 ? b : a).open(x, 1000 + i)).toEqual({ ended: [] });
    // The first is used again: the second is now the longest idle.
    const later = 1001 + active + 1;
    expect((await b.touch(s[0]!.id, later)).session).toMatchObject({ keyId: key, environment: "production" });
    const fourth = session(key, project, 4);
    expect(await a.open(fourth, later)).toEqual({ ended: [{ id: s[1]!.id, reason: reasons.perKey }] });
    expect(await b.touch(s[1]!.id, later + 1)).toEqual({ session: null, reason: reasons.perKey });
    expect(reasons.perKey).toMatch(/a key holds at most 3: LECTERN_MCP_SESSIONS_PER_KEY/);
    expect(reasons.perKey).toMatch(/LECTERN_MCP_SESSION_ACTIVE_SECONDS/);
    expect(await a.count({ keyId: key }, later + 2)).toBe(3);
  });

  it("a full key whose sessions are all active refuses a new one, ends none, and says when one turns idle", async () => {
    const [a, b] = await stores();
    const key = `k${tag()}`;
    const project = `p${tag()}`;
    const s = [1, 2, 3].map((n) => session(key, project, n));
    for (const [i, x] of s.entries()) await (i % 2 ? b : a).open(x, 5000 + i);
    // One used `active` ms ago is still active (idle is strictly longer); the oldest turns idle 1 ms later.
    const now = 5000 + active;
    expect(await b.open(session(key, project, 4), now)).toEqual({ refused: { limit: "perKey", retryAfterMs: 1 } });
    for (const [i, x] of s.entries()) expect((await a.touch(x.id, now + i)).session?.id).toBe(x.id);
    expect(await a.count({ keyId: key }, now)).toBe(3);
    // Used again just now, they stay active for the whole window: the retry is (nearly) a window away.
    expect(await a.open(session(key, project, 5), now + 10)).toEqual({
      refused: { limit: "perKey", retryAfterMs: active - 9 },
    });
    // Once one is idle, the next one opens in its place.
    const fifth = session(key, project, 6);
    expect(await b.open(fifth, now + active + 1)).toEqual({ ended: [{ id: s[0]!.id, reason: reasons.perKey }] });
    expect((await a.touch(fifth.id, now + active + 2)).session?.id).toBe(fifth.id);
  });

  it("a full project ends its own longest-idle session, not another project's; all active, it refuses", async () => {
    const [a, b] = await stores();
    const project = `p${tag()}`;
    const other = `p${tag()}`;
    const theirs = session(`k${tag()}`, other, 0);
    await b.open(theirs, 100);
    const keys = [1, 2, 3].map(() => `k${tag()}`);
    const mine = [0, 1, 2, 3, 4].map((n) => session(keys[n % 3]!, project, n));
    for (const [i, x] of mine.entries()) await a.open(x, 200 + i);
    expect(await b.open(session(keys[0]!, project, 8), 300)).toEqual({
      refused: { limit: "perProject", retryAfterMs: 200 + active + 1 - 300 },
    });
    const later = 204 + active + 1;
    // All of mine idle now except the one used again: the longest idle ends.
    await a.touch(mine[0]!.id, later);
    const ended = await b.open(session(keys[0]!, project, 9), later);
    expect(ended).toEqual({ ended: [{ id: mine[1]!.id, reason: reasons.perProject }] });
    expect(reasons.perProject).toMatch(/LECTERN_MCP_SESSIONS_PER_PROJECT/);
    expect((await a.touch(theirs.id, later + 1)).session?.id).toBe(theirs.id);
    expect(await a.count({ projectId: project }, later + 2)).toBe(5);
  });

  it("past the total, the longest-idle session anywhere ends; with every one active, a new one is refused", async () => {
    const [a, b] = await stores();
    // Sessions of other cases count too on a shared store: start from an empty one (tag namespaces it).
    const big = `p${tag()}`;
    const small = `p${tag()}`;
    const smallOnes = [0, 1, 2].map((n) => session(`k${tag()}`, small, n));
    for (const [i, x] of smallOnes.entries()) await b.open(x, 1 + i); // used before every big one
    const bigOnes = [0, 1, 2, 3, 4].map((n) => session(`k${tag()}`, big, n));
    for (const [i, x] of bigOnes.entries()) await a.open(x, 10 + i);
    expect(await a.count("all", 20)).toBe(8);
    expect(await b.open(session(`k${tag()}`, `p${tag()}`, 0), 21)).toEqual({
      refused: { limit: "max", retryAfterMs: 1 + active + 1 - 21 },
    });
    const later = 14 + active + 1;
    await a.touch(smallOnes[0]!.id, later);
    const newcomer = session(`k${tag()}`, `p${tag()}`, 0);
    expect(await b.open(newcomer, later)).toEqual({ ended: [{ id: smallOnes[1]!.id, reason: reasons.max }] });
    expect(reasons.max).toMatch(/LECTERN_MCP_SESSIONS_MAX/);
    expect((await a.touch(smallOnes[0]!.id, later + 1)).session).not.toBeNull();
    expect(await a.count("all", later + 2)).toBe(8);
  });

  it("a session no request used for the idle time ends; a used one lives on; DELETE ends one at once", async () => {
    const [a, b] = await stores();
    const key = `k${tag()}`;
    const project = `p${tag()}`;
    const [x, y, z] = [1, 2, 3].map((n) => session(key, project, n));
    await a.open(x!, 0);
    await a.open(y!, 0);
    await a.open(z!, 0);
    expect((await b.touch(y!.id, 50_000)).session).not.toBeNull();
    expect(await a.touch(x!.id, 70_000)).toEqual({ session: null, reason: reasons.idle });
    expect((await a.touch(y!.id, 100_000)).session).not.toBeNull();
    expect(await b.end(y!.id, reasons.deleted)).toBe(true);
    expect(await a.touch(y!.id, 100_001)).toEqual({ session: null, reason: reasons.deleted });
    expect(await a.end(y!.id, reasons.deleted)).toBe(false);
    expect(await a.touch("never-made", 1)).toEqual({ session: null, reason: null });
    expect(await b.count({ keyId: key }, 100_002)).toBe(0);
  });
}
