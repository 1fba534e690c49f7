// The shared store on Redis over TCP (the official client). A second connection is opened for
// Pub/Sub on first subscribe. Failures are reported once per outage; recovery calls onReconnect hooks.
import type { RedisClientType } from "redis";
import type { SharedStore } from "./shared-store";

// Epoch and value in one round trip (the value's key depends on the epoch). Scripts run atomically.
export const VERSIONED_GET = `local e = redis.call("GET", KEYS[1]) or "0"
return {e, redis.call("GET", ARGV[1] .. e .. ARGV[2])}`;

export class RedisStore implements SharedStore {
  readonly kind = "redis" as const;
  private down = false;
  private sub: RedisClientType | undefined;
  private readyHandlers: (() => void)[] = [];

  constructor(
    private client: RedisClientType,
    private url: string,
    private log: { info(m: string): void; warn(m: string): void } = { info: () => {}, warn: () => {} },
  ) {
    client.on("error", (e: Error) => {
      if (!this.down) this.log.warn(`redis unreachable, serving from memory and the database until it returns: ${e.message}`);
      this.down = true;
    });
    client.on("ready", () => {
      if (this.down) {
        this.log.info("redis reachable again");
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
  async getVersioned(counterKey: string, prefix: string, suffix: string) {
    const [epoch, value] = (await this.client.eval(VERSIONED_GET, { keys: [counterKey], arguments: [prefix, suffix] })) as [string, string | null];
    return { epoch, value: value ?? null };
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
