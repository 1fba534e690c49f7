import "server-only";
import { createClient, type RedisClientType } from "redis";
import { MemoryStore, type SharedStore } from "@/lib/runtime/shared-store";
import { RedisStore } from "@/lib/runtime/redis-store";
import { env } from "./env";
import { log } from "./log";

// Redis (official client, TCP) or Upstash (REST) when configured; else the in-process store.
// A Redis failure is logged once and retried in the background; callers fall through to the database.

const KEY = Symbol.for("lectern.sharedStore");
type Holder = { [KEY]?: Promise<SharedStore> };

async function start(): Promise<SharedStore> {
  const config = env();
  if (config.REDIS_URL) {
    const client = createClient({
      url: config.REDIS_URL,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
      // Fail fast while disconnected instead of queueing commands until Redis returns.
      disableOfflineQueue: true,
    }) as RedisClientType;
    const store = new RedisStore(client, config.REDIS_URL, log);
    try {
      await client.connect();
    } catch (e) {
      log.warn(`redis unreachable at startup: ${(e as Error).message}`);
    }
    return store;
  }
  if (config.UPSTASH_REDIS_REST_URL && config.UPSTASH_REDIS_REST_TOKEN) {
    const { UpstashStore } = await import("./upstash");
    return new UpstashStore(config.UPSTASH_REDIS_REST_URL, config.UPSTASH_REDIS_REST_TOKEN);
  }
  return new MemoryStore();
}

export function getSharedStore(): Promise<SharedStore> {
  const g = globalThis as Holder;
  g[KEY] ??= start();
  return g[KEY]!;
}
