// The shared layer against a real Redis (TEST_REDIS_URL; run by the int:postgres tier).
import { createClient, type RedisClientType } from "redis";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testRedisUrl } from "../../test/db";
import { TwoLayerCache } from "./cache";
import type { SharedStore } from "./shared-store";
import { RedisStore } from "./redis-store";

const url = testRedisUrl;
let client: RedisClientType;
let store: SharedStore;

beforeAll(async () => {
  if (!url) return;
  client = createClient({ url }) as RedisClientType;
  await client.connect();
  store = new RedisStore(client, url);
});
afterAll(async () => client?.quit());

describe.skipIf(!url)("TwoLayerCache with Redis", () => {
  const opts = { l1TtlMs: 60_000, l1Max: 100, l2TtlSeconds: 30 };

  it("a second instance hits L2; bumping the epoch makes every instance miss", async () => {
    const ns = `t${randomBytes(4).toString("hex")}`;
    const a = new TwoLayerCache<{ v: number }>(ns, store, opts);
    const b = new TwoLayerCache<{ v: number }>(ns, store, opts);
    expect((await a.get("p", "k", async () => ({ v: 1 }))).layer).toBe("origin");
    expect(await b.get("p", "k", async () => ({ v: 99 }))).toEqual({ value: { v: 1 }, layer: "l2" });
    await a.invalidateShared("p");
    b.invalidateLocal("p");
    expect(await b.get("p", "k", async () => ({ v: 2 }))).toEqual({ value: { v: 2 }, layer: "origin" });
  });

  it("a fill that read before the epoch bump lands under a dead key", async () => {
    const ns = `t${randomBytes(4).toString("hex")}`;
    const a = new TwoLayerCache<{ v: string }>(ns, store, opts);
    const b = new TwoLayerCache<{ v: string }>(ns, store, opts);
    let release!: () => void;
    const slow = a.get("p", "k", () => new Promise((r) => (release = () => r({ v: "old" }))));
    await new Promise((r) => setTimeout(r, 20)); // a has read the epoch and is loading
    await b.invalidateShared("p"); // the change commits; epoch bumped
    release();
    await slow;
    expect((await b.get("p", "k", async () => ({ v: "new" }))).value).toEqual({ v: "new" });
  });

  it("keeps working from L1 and the origin when Redis fails, and says so once", async () => {
    const errors: unknown[] = [];
    const down = () => Promise.reject(new Error("redis down"));
    const broken: SharedStore = Object.assign(Object.create(store) as SharedStore, {
      get: down,
      getVersioned: down,
      set: down,
      incr: down,
    });
    const c = new TwoLayerCache<{ v: number }>("x", broken, { ...opts, onStoreError: (e) => errors.push(e) });
    expect((await c.get("p", "k", async () => ({ v: 1 }))).layer).toBe("origin");
    c.invalidateLocal("p");
    expect((await c.get("p", "k", async () => ({ v: 2 }))).value).toEqual({ v: 2 });
    expect(errors).toHaveLength(1);
  });
});
