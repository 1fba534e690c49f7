import "server-only";
import { createClient, type RedisClientType } from "redis";
import { MemoryStore, type SharedStore } from "@/lib/runtime/shared-store";
import { RedisStore } from "@/lib/runtime/redis-store";
import { env } from "./env";
import { log } from "./log";
import { processStart } from "./singleton";

// Redis (official client, TCP) or Upstash (REST) when configured; else the in-process store.
// A Redis failure is logged once and retried in the background; callers fall through to the database.

async function start(): Promise<SharedStore> {
  const config = env();
  if (config.REDIS_URL) {
    const client = createClient({
      url: config.REDIS_URL,
      socket: { connectTimeout: 2000, reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 2000) },
      // Fail fast while disconnected instead of queueing commands until Redis returns.
      disableOfflineQueue: true,
      // And while connected but not answering (paused, overloaded): no request waits longer than this.
      commandOptions: { timeout: config.REDIS_COMMAND_TIMEOUT_MS },
    }) as RedisClientType;
    const store = new RedisStore(client, config.REDIS_URL, log, {
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      breakerMs: config.REDIS_RETRY_AFTER_MS,
    });
    try {
      // Connected but not answering (paused) must not hold up startup: the client keeps trying.
      await Promise.race([
        client.connect(),
        new Promise((_, reject) => setTimeout(() => reject(new Error("no answer within 2000 ms")), 2000).unref()),
      ]);
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

/** The process's shared store (processStart: one for every bundle; a failed start is tried again). */
export function getSharedStore(): Promise<SharedStore> {
  return processStart("sharedStore", start);
}
