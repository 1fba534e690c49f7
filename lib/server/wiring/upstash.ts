import "server-only";
import { Redis } from "@upstash/redis";
import type { SharedStore } from "@/lib/runtime/shared-store";
import { VERSIONED_GET } from "@/lib/runtime/redis-store";

// Upstash over REST, for serverless hosts. REST has no long-lived subscription, so subscribers poll
// a per-channel list of messages (bounded) once a second.
export class UpstashStore implements SharedStore {
  readonly kind = "upstash" as const;
  private client: Redis;

  constructor(url: string, token: string) {
    this.client = new Redis({ url, token, automaticDeserialization: false });
  }
  async get(key: string) {
    return (await this.client.get<string>(key)) ?? null;
  }
  async getVersioned(counterKeys: [string, string], prefix: string, suffix: string) {
    const [epoch, value] = (await this.client.eval(VERSIONED_GET, counterKeys, [prefix, suffix])) as [
      string,
      string | null,
    ];
    return { epoch: String(epoch), value: value ?? null };
  }
  async set(key: string, value: string, ttlSeconds: number) {
    await this.client.set(key, value, { ex: ttlSeconds });
  }
  async del(key: string) {
    await this.client.del(key);
  }
  async incr(key: string) {
    return this.client.incr(key);
  }
  async eval(script: string, keys: string[], args: string[]) {
    return this.client.eval(script, keys, args);
  }
  async publish(channel: string, message: string) {
    const seq = await this.client.incr(`${channel}:seq`);
    await this.client.set(`${channel}:msg:${seq}`, message, { ex: 300 });
    await this.client.publish(channel, message);
  }
  async subscribe(channel: string, handler: (m: string) => void) {
    let last = Number((await this.client.get<string>(`${channel}:seq`)) ?? 0);
    let stopped = false;
    const tick = async () => {
      if (stopped) return;
      try {
        const seq = Number((await this.client.get<string>(`${channel}:seq`)) ?? 0);
        for (let i = last + 1; i <= seq; i++) {
          const m = await this.client.get<string>(`${channel}:msg:${i}`);
          if (m) handler(m);
        }
        last = seq;
      } catch {
        // transient: try again on the next tick
      }
      if (!stopped) setTimeout(() => void tick(), 1000);
    };
    setTimeout(() => void tick(), 1000);
    return async () => {
      stopped = true;
    };
  }
  async ping() {
    await this.client.ping();
  }
  async close() {}
}
