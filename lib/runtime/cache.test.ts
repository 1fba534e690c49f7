import { describe, expect, it } from "vitest";
import { TwoLayerCache, isUnavailable } from "./cache";

const opts = { l1TtlMs: 60_000, l1Max: 100, l2TtlSeconds: 300 };

describe("TwoLayerCache, L1", () => {
  it("loads once, then serves from L1; invalidation of the scope forces a reload", async () => {
    const c = new TwoLayerCache<{ v: number }>("t", null, opts);
    let loads = 0;
    const load = async () => ({ v: ++loads });
    expect(await c.get("p1", "k", load)).toEqual({ value: { v: 1 }, layer: "origin" });
    expect(await c.get("p1", "k", load)).toEqual({ value: { v: 1 }, layer: "l1" });
    expect(c.peek("p1", "k")).toEqual({ v: 1 });
    c.invalidateLocal("p2"); // another project: no effect
    expect((await c.get("p1", "k", load)).layer).toBe("l1");
    c.invalidateLocal("p1");
    expect(c.peek("p1", "k")).toBeUndefined();
    expect(await c.get("p1", "k", load)).toEqual({ value: { v: 2 }, layer: "origin" });
  });

  it("drops a fill that started before an invalidation (the read-then-invalidate race)", async () => {
    const c = new TwoLayerCache<{ v: string }>("t", null, opts);
    let release!: () => void;
    const slow = c.get("p", "k", () => new Promise((r) => (release = () => r({ v: "old" }))));
    c.invalidateLocal("p"); // the change commits and is announced while the old read is in flight
    release();
    expect((await slow).value).toEqual({ v: "old" }); // that caller still gets what it read
    expect(c.peek("p", "k")).toBeUndefined(); // but it is not cached
    expect((await c.get("p", "k", async () => ({ v: "new" }))).value).toEqual({ v: "new" });
  });

  it("serves the last known value, marked stale, only when the origin is unreachable", async () => {
    const c = new TwoLayerCache<{ v: number }>("t", null, opts);
    await c.get("p", "k", async () => ({ v: 1 }));
    c.invalidateLocal("p");
    const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(await c.get("p", "k", () => Promise.reject(down))).toEqual({ value: { v: 1 }, layer: "stale" });
    await expect(c.get("p", "k", () => Promise.reject(new Error("not_found")))).rejects.toThrow("not_found");
    await expect(c.get("p", "other", () => Promise.reject(down))).rejects.toThrow("ECONNREFUSED");
  });

  it("drops a fill that started before invalidateAllLocal, in a scope never invalidated before", async () => {
    // A recovery after an outage (the bus's flush) drops every scope: one this instance never saw a change of
    // included, or a read in flight across the flush would cache what it read before it.
    const c = new TwoLayerCache<{ v: string }>("t", null, opts);
    let release!: () => void;
    const slow = c.get("fresh", "k", () => new Promise((r) => (release = () => r({ v: "old" }))));
    c.invalidateAllLocal();
    release();
    expect((await slow).value).toEqual({ v: "old" });
    expect(c.peek("fresh", "k")).toBeUndefined();
    expect((await c.get("fresh", "k", async () => ({ v: "new" }))).value).toEqual({ v: "new" });
  });

  it("invalidateAllLocal forgets every scope and the stale copies", async () => {
    const c = new TwoLayerCache<{ v: number }>("t", null, opts);
    await c.get("a", "k", async () => ({ v: 1 }));
    await c.get("b", "k", async () => ({ v: 1 }));
    c.invalidateAllLocal();
    expect(c.peek("a", "k")).toBeUndefined();
    expect(c.peek("b", "k")).toBeUndefined();
    const down = Object.assign(new Error("x"), { code: "ECONNREFUSED" });
    await expect(c.get("a", "k", () => Promise.reject(down))).rejects.toThrow();
  });
});

describe("isUnavailable", () => {
  it.each([
    [{ code: "ECONNREFUSED" }, true],
    [{ code: "57P01" }, true],
    [{ message: "Connection terminated unexpectedly" }, true],
    [{ cause: { code: "ETIMEDOUT" } }, true],
    [{ code: "23505" }, false],
    [new Error("boom"), false],
  ])("%j → %s", (e, expected) => expect(isUnavailable(e)).toBe(expected));
});
