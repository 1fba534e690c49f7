// This instance's copy of MCP sessions (mcp-local-sessions.ts): the store is read once per session and after the
// active window, uses are written behind at most once a second (the newest), an ending told by any instance drops
// the copy at once, another key's session and a store that does not answer are the SDK path's to answer.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { defaultSessionLimits, endReasons, MemorySessionStore, type McpSession } from "@/lib/mcp/mcp-sessions";
import type { McpMessage, McpWiring } from "../../wiring/mcp-wiring";
import { LocalSessions } from "./mcp-local-sessions";

vi.mock("server-only", () => ({}));

const limits = { ...defaultSessionLimits, activeMs: 60_000 };
const T0 = Date.parse("2026-11-28T12:00:00Z");
const session: McpSession = { id: "s1", keyId: "k1", projectId: "p", environment: "production", createdAt: T0 };

function setUp() {
  const store = new MemorySessionStore(limits);
  const touches: number[] = [];
  const touch = store.touch.bind(store);
  store.touch = (id, now) => {
    touches.push(now);
    return touch(id, now);
  };
  const handlers = new Set<(m: McpMessage) => void>();
  const wiring: McpWiring = {
    sessions: store,
    limits,
    reasons: endReasons(limits),
    tell: async (m) => handlers.forEach((h) => h(m)),
    hear: (h) => (handlers.add(h), () => void handlers.delete(h)),
  };
  return { store, touches, wiring, local: new LocalSessions(wiring) };
}

beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout"] }));
afterEach(() => vi.useRealTimers());

describe("LocalSessions", () => {
  it("reads the store once, then writes uses behind: at most once a second, the newest", async () => {
    const { store, touches, local } = setUp();
    await store.open(session, T0);
    expect(await local.use("s1", "k1", T0)).toEqual(session);
    expect(touches).toEqual([T0]);
    for (let ms = 1; ms < 1000; ms += 100) expect(await local.use("s1", "k1", T0 + ms)).toEqual(session);
    expect(touches).toEqual([T0]); // the second's uses wait for the tick
    await vi.advanceTimersByTimeAsync(1000);
    expect(touches).toEqual([T0, T0 + 901]);
    expect(await local.use("s1", "k1", T0 + 2000)).toEqual(session); // a second after the last write: written now
    expect(touches).toEqual([T0, T0 + 901, T0 + 2000]);
  });

  it("drops a session any instance says ended, and then answers from the store (null: the SDK path says why)", async () => {
    const { store, wiring, local, touches } = setUp();
    await store.open(session, T0);
    await local.use("s1", "k1", T0);
    await store.end("s1", "its client ended it (DELETE)");
    await wiring.tell({ kind: "ended", id: "s1", reason: "its client ended it (DELETE)" });
    expect(await local.use("s1", "k1", T0 + 10)).toBeNull();
    expect(touches).toEqual([T0, T0 + 10]);
    expect(local.size).toBe(0);
  });

  it("drops a session a write behind finds gone", async () => {
    const { store, local } = setUp();
    await store.open(session, T0);
    await local.use("s1", "k1", T0);
    await store.end("s1", "gone");
    await local.use("s1", "k1", T0 + 1000); // served from the copy; the write finds it gone
    await vi.advanceTimersByTimeAsync(0);
    expect(local.size).toBe(0);
    expect(await local.use("s1", "k1", T0 + 1001)).toBeNull();
  });

  it("reads the store again once the copy is older than the active window", async () => {
    const { store, local, touches } = setUp();
    await store.open(session, T0);
    await local.use("s1", "k1", T0);
    expect(await local.use("s1", "k1", T0 + limits.activeMs + 1)).toEqual(session);
    expect(touches).toEqual([T0, T0 + limits.activeMs + 1]);
  });

  it("leaves another key's session, an unknown one and a store that does not answer to the SDK path", async () => {
    const { store, local } = setUp();
    await store.open(session, T0);
    expect(await local.use("s1", "k2", T0)).toBeNull();
    expect(await local.use("s1", "k2", T0 + 1)).toBeNull(); // the copy is the key's, not k2's
    expect(await local.use("nope", "k1", T0)).toBeNull();
    store.touch = () => Promise.reject(new Error("down"));
    expect(await local.use("s2", "k1", T0)).toBeNull();
  });
});
