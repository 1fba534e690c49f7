import "server-only";
import { createClient, type RedisClientType } from "redis";
import { MemoryStore, type SharedStore } from "@/lib/runtime/shared-store";
import { env } from "./env";
import { log } from "./log";

// Redis (official client, TCP) or Upstash (REST) when configured; else the in-process store.
// A Redis failure is logged once and retried in the background; callers fall through to the database.

class RedisStore implements SharedStore {
  readonly kind = "redis" as const;
  private down = false;
  private sub: RedisClientType | undefined;
  private readyHandlers: (() => void)[] = [];

  constructor(private client: RedisClientType, private url: string) {
    client.on("error", (e: Error) => {
      if (!this.down) log.warn(`redis unreachable, serving from memory and the database until it returns: ${e.message}`);
      this.down = true;
    });
    client.on("ready", () => {
      if (this.down) {
        log.info("redis reachable again");
        for (const h of this.readyHandlers) h();
      }
      this.down = false;
    });
  }
  /** Called when the connection comes back after an outage (Pub/Sub messages may have been missed). */
  onReconnect(handler: () => void) {
    this.readyHandlers.push(handler);
  }
  async get(key: string) {
    return this.client.get(key);
  }
  async set(key: string, value: string, ttlSeconds: number) {
    await this.client.set(key, value, { EX: ttlSeconds });
  }
  async del(key: string) {
    await this.client.del(key);
  }
  async incr(key: string) {
    return this.client.incr(key);
  }
  async publish(channel: string, message: string) {
    await this.client.publish(channel, message);
  }
  async subscribe(channel: string, handler: (m: string) => void) {
    if (!this.sub) {
      this.sub = this.client.duplicate();
      this.sub.on("error", () => {});
      await this.sub.connect();
    }
    await this.sub.subscribe(channel, handler);
    return async () => {
      await this.sub?.unsubscribe(channel, handler);
    };
  }
  async ping() {
    await this.client.ping();
  }
  async close() {
    await Promise.allSettled([this.client.quit(), this.sub?.quit()]);
  }
  toString() {
    return `redis ${this.url.replace(/\/\/[^@]*@/, "//***@")}`;
  }
}

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
    const store = new RedisStore(client, config.REDIS_URL);
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
