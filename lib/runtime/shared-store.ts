// The shared store behind the L2 cache and the invalidation bus: Redis when configured, else an in-process
// implementation with the same behaviour for a single instance (CONTRIBUTING.md, "Cache behind an interface").

export interface SharedStore {
  readonly kind: "redis" | "upstash" | "memory";
  get(key: string): Promise<string | null>;
  /**
   * Reads two counters — the global generation and the scope's epoch — and, in the same round trip,
   * the value stored under prefix + "<gen>.<epoch>" + suffix (a counter counts as "0" while unset):
   * the L2 lookup of an epoch-versioned key. Returns "<gen>.<epoch>" as `epoch`.
   */
  getVersioned(
    counterKeys: [string, string],
    prefix: string,
    suffix: string,
  ): Promise<{ epoch: string; value: string | null }>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  incr(key: string): Promise<number>;
  publish(channel: string, message: string): Promise<void>;
  /** Calls `handler` for each message; returns an unsubscribe function. */
  subscribe(channel: string, handler: (message: string) => void): Promise<() => Promise<void>>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Runs a Lua script atomically (Redis and Upstash): what several instances must decide together, such
   * as which MCP session ends to make room (lib/mcp/session-script.ts). The in-process store has none:
   * its callers keep the same state in memory instead.
   */
  eval?(script: string, keys: string[], args: string[]): Promise<unknown>;
}

export class MemoryStore implements SharedStore {
  readonly kind = "memory" as const;
  private data = new Map<string, { value: string; expires: number }>();
  private handlers = new Map<string, Set<(m: string) => void>>();

  constructor(private now: () => number = Date.now) {}

  async get(key: string) {
    const e = this.data.get(key);
    if (!e) return null;
    if (e.expires <= this.now()) {
      this.data.delete(key);
      return null;
    }
    return e.value;
  }
  async set(key: string, value: string, ttlSeconds: number) {
    this.data.set(key, { value, expires: this.now() + ttlSeconds * 1000 });
  }
  async getVersioned(counterKeys: [string, string], prefix: string, suffix: string) {
    const epoch = `${(await this.get(counterKeys[0])) ?? "0"}.${(await this.get(counterKeys[1])) ?? "0"}`;
    return { epoch, value: await this.get(prefix + epoch + suffix) };
  }
  async del(key: string) {
    this.data.delete(key);
  }
  async incr(key: string) {
    const n = Number((await this.get(key)) ?? "0") + 1;
    this.data.set(key, { value: String(n), expires: Number.POSITIVE_INFINITY });
    return n;
  }
  async publish(channel: string, message: string) {
    for (const h of this.handlers.get(channel) ?? []) queueMicrotask(() => h(message));
  }
  async subscribe(channel: string, handler: (m: string) => void) {
    const set = this.handlers.get(channel) ?? new Set();
    set.add(handler);
    this.handlers.set(channel, set);
    return async () => {
      set.delete(handler);
    };
  }
  async ping() {}
  async close() {
    this.data.clear();
    this.handlers.clear();
  }
}
