// The shared store on Redis over TCP (the official client). A second connection is opened for
// Pub/Sub on first subscribe.
//
// Failure handling: every command has a short timeout, so a Redis that is connected but not
// answering (paused, overloaded) costs a request at most that long — enforced here, because the
// client's own command timeout stops at the write (a written command waits for its reply forever);
// after a
// failure the store fails fast for `breakerMs` (no request waits on a Redis known to be sick), then
// tries again. Whenever Redis was unreachable or unanswering, invalidations may have been lost, so
// when it answers again the onRecovered hooks run (lib/server/wiring/runtime-wiring.ts drops L1 and retires every
// L2 entry written before).
import { createHash } from "node:crypto";
import type { RedisClientType } from "redis";
import type { SharedStore } from "./shared-store";

// Epochs and value in one round trip (the value's key depends on them). Scripts run atomically.
// KEYS: the global generation, then the scope's epoch; the value lives at prefix .. gen.epoch .. suffix.
export const VERSIONED_GET = `local g = redis.call("GET", KEYS[1]) or "0"
local e = redis.call("GET", KEYS[2]) or "0"
local v = g .. "." .. e
return {v, redis.call("GET", ARGV[1] .. v .. ARGV[2])}`;

export class StoreUnavailableError extends Error {
  readonly code = "ESTOREUNAVAILABLE";
  constructor(message: string) {
    super(message);
    this.name = "StoreUnavailableError";
  }
}

type Log = { info(m: string): void; warn(m: string): void };

export class RedisStore implements SharedStore {
  readonly kind = "redis" as const;
  private unhealthy = false;
  private openUntil = 0;
  private sub: RedisClientType | undefined;
  private recoveredHandlers: (() => void)[] = [];
  private downHandlers: (() => void)[] = [];
  private probe: NodeJS.Timeout | undefined;
  private shas = new Map<string, string>();

  constructor(
    private client: RedisClientType,
    private url: string,
    private log: Log = { info: () => {}, warn: () => {} },
    private readonly opts: { commandTimeoutMs?: number; breakerMs?: number; now?: () => number } = {},
  ) {
    client.on("error", (e: Error) => this.markDown(e));
    client.on("ready", () => this.markUp());
  }

  /** Called when Redis answers again after a period in which messages may have been lost. */
  onReconnect(handler: () => void) {
    this.recoveredHandlers.push(handler);
  }
  /** Called once when Redis stops answering (error, disconnect or timeout). */
  onDown(handler: () => void) {
    this.downHandlers.push(handler);
  }
  get healthy() {
    return !this.unhealthy;
  }

  private now() {
    return this.opts.now?.() ?? Date.now();
  }

  private markDown(e: unknown) {
    const breakerMs = this.opts.breakerMs ?? 1000;
    this.openUntil = this.now() + breakerMs;
    if (this.unhealthy) return;
    this.unhealthy = true;
    this.log.warn(`redis not answering, serving from memory and the database until it does: ${(e as Error).message}`);
    for (const h of this.downHandlers) h();
    // Probe, so recovery (and the retiring of what was cached meanwhile) does not wait for traffic.
    this.probe = setInterval(() => void this.ping().catch(() => {}), breakerMs);
    this.probe.unref();
  }

  private markUp() {
    if (!this.unhealthy) return;
    this.unhealthy = false;
    this.openUntil = 0;
    clearInterval(this.probe);
    this.log.info("redis answering again");
    for (const h of this.recoveredHandlers) h();
  }

  /** Runs one command: fails fast while the breaker is open; a failure opens it; a success after failures closes it. */
  private async run<T>(command: () => Promise<T>): Promise<T> {
    if (this.unhealthy && this.now() < this.openUntil)
      throw new StoreUnavailableError("redis is not answering (retrying shortly)");
    const ms = this.opts.commandTimeoutMs ?? 500;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        command(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreUnavailableError(`redis did not answer within ${ms} ms`)), ms);
        }),
      ]);
      this.markUp();
      return result;
    } catch (e) {
      this.markDown(e);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async get(key: string) {
    return this.run(() => this.client.get(key));
  }
  async getVersioned(counterKeys: [string, string], prefix: string, suffix: string) {
    const [version, value] = await this.run(
      () =>
        this.client.eval(VERSIONED_GET, { keys: counterKeys, arguments: [prefix, suffix] }) as Promise<
          [string, string | null]
        >,
    );
    return { epoch: version, value: value ?? null };
  }
  async set(key: string, value: string, ttlSeconds: number) {
    await this.run(() => this.client.set(key, value, { EX: ttlSeconds }));
  }
  async del(key: string) {
    await this.run(() => this.client.del(key));
  }
  async incr(key: string) {
    return this.run(() => this.client.incr(key));
  }
  /** By its SHA-1 (the script is sent once per connection), falling back to EVAL when Redis does not know it yet. */
  async eval(script: string, keys: string[], args: string[]) {
    let sha = this.shas.get(script);
    if (!sha) this.shas.set(script, (sha = createHash("sha1").update(script).digest("hex")));
    const known = sha;
    // A script's own error is Redis answering, not Redis being sick: it must not open the breaker.
    const call = async () => {
      try {
        return await this.client.evalSha(known, { keys, arguments: args });
      } catch (e) {
        if (!/NOSCRIPT/.test((e as Error).message)) throw e;
        return await this.client.eval(script, { keys, arguments: args });
      }
    };
    const answered = await this.run(async (): Promise<{ value: unknown } | { error: Error }> => {
      try {
        return { value: await call() };
      } catch (e) {
        if ((e as Error).constructor?.name === "SimpleError") return { error: e as Error };
        throw e;
      }
    });
    if ("error" in answered) throw answered.error;
    return answered.value;
  }
  async publish(channel: string, message: string) {
    await this.run(() => this.client.publish(channel, message));
  }
  async subscribe(channel: string, handler: (m: string) => void) {
    if (!this.sub) {
      this.sub = this.client.duplicate();
      this.sub.on("error", () => {});
      void this.sub.connect().catch(() => {});
    }
    // Not through run(): a subscription is not a request, but it must not hang startup either.
    const sub = this.sub;
    await Promise.race([
      sub.subscribe(channel, handler),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new StoreUnavailableError("redis did not confirm the subscription")), 2000).unref(),
      ),
    ]);
    return async () => {
      await this.sub?.unsubscribe(channel, handler);
    };
  }
  async ping() {
    await this.run(() => this.client.ping());
  }
  async close() {
    clearInterval(this.probe);
    await Promise.allSettled([this.client.quit(), this.sub?.quit()]);
  }
  toString() {
    return `redis ${this.url.replace(/\/\/[^@]*@/, "//***@")}`;
  }
}
