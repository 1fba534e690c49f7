// The session rules as cases both stores must pass: lib/mcp/sessions.test.ts runs them on the in-process store,
// lib/mcp/session-script.int.test.ts on Redis (two "instances" sharing it).
import { expect, it } from "vitest";
import { endReasons, newSessionId, type McpSessionStore, type SessionLimits } from "../lib/mcp/sessions";

export const caseLimits: SessionLimits = { perKey: 3, perProject: 5, max: 8, idleMs: 60_000 };

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

  it("a key past its limit ends its least recently used session, and that id tells why", async () => {
    const [a, b] = await stores();
    const key = `k${tag()}`;
    const project = `p${tag()}`;
    const s = [1, 2, 3].map((n) => session(key, project, n));
    for (const [i, x] of s.entries()) expect(await (i % 2 ? b : a).open(x, 1000 + i)).toEqual([]);
    // The first is used again: the second is now the least recently used.
    expect((await b.touch(s[0]!.id, 2000)).session).toMatchObject({ keyId: key, environment: "production" });
    const fourth = session(key, project, 4);
    expect(await a.open(fourth, 2001)).toEqual([{ id: s[1]!.id, reason: reasons.perKey }]);
    expect(await b.touch(s[1]!.id, 2002)).toEqual({ session: null, reason: reasons.perKey });
    expect(reasons.perKey).toMatch(/LECTERN_MCP_SESSIONS_PER_KEY/);
    expect(await a.count({ keyId: key }, 2003)).toBe(3);
    // A client that never ends its sessions connects again and again: never refused.
    for (let n = 5; n < 55; n++) await (n % 2 ? a : b).open(session(key, project, n), 3000 + n);
    expect(await b.count({ keyId: key }, 4000)).toBe(3);
  });

  it("a project past its share ends its own least recently used session, not another project's", async () => {
    const [a, b] = await stores();
    const project = `p${tag()}`;
    const other = `p${tag()}`;
    const theirs = session(`k${tag()}`, other, 0);
    await b.open(theirs, 100);
    const keys = [1, 2, 3].map(() => `k${tag()}`);
    const mine = [0, 1, 2, 3, 4].map((n) => session(keys[n % 3]!, project, n));
    for (const [i, x] of mine.entries()) await a.open(x, 200 + i);
    const ended = await b.open(session(keys[0]!, project, 9), 300);
    expect(ended).toEqual([{ id: mine[0]!.id, reason: reasons.perProject }]);
    expect(reasons.perProject).toMatch(/LECTERN_MCP_SESSIONS_PER_PROJECT/);
    expect((await a.touch(theirs.id, 301)).session?.id).toBe(theirs.id);
    expect(await a.count({ projectId: project }, 302)).toBe(5);
  });

  it("past the total, the project holding the most gives up its least recently used session", async () => {
    const [a, b] = await stores();
    // Sessions of other cases count too on a shared store: start from an empty one (tag namespaces it).
    const big = `p${tag()}`;
    const small = `p${tag()}`;
    const bigOnes = [0, 1, 2, 3, 4].map((n) => session(`k${tag()}`, big, n));
    for (const [i, x] of bigOnes.entries()) await a.open(x, 10 + i);
    const smallOnes = [0, 1, 2].map((n) => session(`k${tag()}`, small, n));
    for (const [i, x] of smallOnes.entries()) await b.open(x, 1 + i); // used before every big one
    expect(await a.count("all", 20)).toBe(8);
    const newcomer = session(`k${tag()}`, `p${tag()}`, 0);
    expect(await b.open(newcomer, 21)).toEqual([{ id: bigOnes[0]!.id, reason: reasons.max }]);
    expect(reasons.max).toMatch(/LECTERN_MCP_SESSIONS_MAX/);
    expect((await a.touch(smallOnes[0]!.id, 22)).session).not.toBeNull();
    expect(await a.count("all", 23)).toBe(8);
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
