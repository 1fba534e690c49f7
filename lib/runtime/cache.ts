// Two-layer cache for resolved prompts (and API-key lookups):
//   L1 — in-process LRU with a TTL, per server instance;
//   L2 — the shared store (Redis) with a longer TTL, when configured.
//
// The race this closes: a request reads the database just before a deployment commits, and writes
// the old version into the cache just after the invalidation for that deployment was processed.
// Both layers are keyed by a per-project counter that invalidation bumps *after* commit:
//   L1 keys carry the instance's generation for the project, captured when the lookup starts, so a
//   fill that began before an invalidation lands under a key nobody reads any more;
//   L2 keys carry the project's epoch, read from the shared store on each L2 lookup and INCRed on
//   each change, so an old fill is written under a dead key on every instance at once.
// L2 keys also carry a global generation, bumped when the store answers again after an outage
// (an epoch bump may have been lost meanwhile): every entry written before becomes unreachable.
// Old entries are never deleted one by one; they stop being reachable and age out.
import { LRUCache } from "lru-cache";
import type { SharedStore } from "./shared-store";

export interface CacheOptions {
  l1TtlMs: number;
  l1Max: number;
  l2TtlSeconds: number;
  /** Called once per outage when the shared store fails (then again after it has recovered). */
  onStoreError?: (e: unknown) => void;
  /**
   * While the shared store is failing, no invalidation can reach this instance: L1 entries filled
   * then live at most this long (API keys: a revocation elsewhere must not be ignored for a minute).
   */
  degradedL1TtlMs?: number;
}

export type Layer = "l1" | "l2" | "origin" | "stale";

export class TwoLayerCache<T extends object> {
  private l1: LRUCache<string, T>;
  /** Last value per logical key, kept regardless of invalidation: served only when the origin fails. */
  private lastKnown: LRUCache<string, T>;
  private generations = new Map<string, number>();
  // Added to every scope's generation: invalidateAllLocal drops scopes this instance never invalidated too.
  private allGeneration = 0;
  private storeFailing = false;

  constructor(
    private readonly namespace: string,
    private readonly store: SharedStore | null,
    private readonly opts: CacheOptions,
  ) {
    this.l1 = new LRUCache<string, T>({
      max: opts.l1Max,
      ttl: opts.l1TtlMs > 0 ? opts.l1TtlMs : undefined,
      ttlAutopurge: false,
      // Read the clock at every lookup: lru-cache's default (1 ms) remembers it for a millisecond and sets a
      // timer to forget it, so under load every cache set a timer a millisecond on the resolve path
      // (bench/results/2026-11-28-resolve-profile.md).
      ttlResolution: 0,
    });
    this.lastKnown = new LRUCache<string, T>({ max: opts.l1Max });
  }

  private generation(scope: string) {
    return this.allGeneration + (this.generations.get(scope) ?? 0);
  }

  private epochKey(scope: string) {
    return `lectern:${this.namespace}:epoch:${scope}`;
  }

  private get generationKey() {
    return `lectern:${this.namespace}:generation`;
  }

  /** Drops everything cached for a scope (a project) on this instance. */
  invalidateLocal(scope: string) {
    this.generations.set(scope, (this.generations.get(scope) ?? 0) + 1);
  }

  /** Drops every scope on this instance (e.g. after the shared store reconnects: messages may have been missed). */
  invalidateAllLocal() {
    // Every scope's generation moves, a scope never invalidated here included: a fill in flight lands nowhere.
    this.allGeneration++;
    this.l1.clear();
    this.lastKnown.clear();
  }

  /** Bumps the shared epoch so every instance's L2 lookups miss. Call after the change has committed. */
  async invalidateShared(scope: string): Promise<number | null> {
    if (!this.store || this.store.kind === "memory") return null;
    return this.store.incr(this.epochKey(scope));
  }

  /** Retires every L2 entry of every scope (after an outage in which an epoch bump may have been lost). */
  async invalidateAllShared(): Promise<number | null> {
    if (!this.store || this.store.kind === "memory") return null;
    return this.store.incr(this.generationKey);
  }

  /** The shared store is known to be down (from its own health signal): fills get the degraded TTL. */
  markStoreDown() {
    this.storeFailing = true;
  }

  private fail(e: unknown) {
    if (!this.storeFailing) this.opts.onStoreError?.(e);
    this.storeFailing = true;
  }

  /** L1 only; the hot path (no await). */
  peek(scope: string, key: string): T | undefined {
    return this.l1.get(`${scope}:${this.generation(scope)}:${key}`);
  }

  async get(scope: string, key: string, load: () => Promise<T>): Promise<{ value: T; layer: Layer }> {
    const gen = this.generation(scope);
    const l1Key = `${scope}:${gen}:${key}`;
    const hit = this.l1.get(l1Key);
    if (hit) return { value: hit, layer: "l1" };

    let l2Key: string | null = null;
    if (this.store && this.store.kind !== "memory") {
      try {
        const prefix = `lectern:${this.namespace}:${scope}:`;
        const { epoch, value: raw } = await this.store.getVersioned(
          [this.generationKey, this.epochKey(scope)],
          prefix,
          `:${key}`,
        );
        l2Key = `${prefix}${epoch}:${key}`;
        this.storeFailing = false;
        if (raw) {
          const value = JSON.parse(raw) as T;
          this.fill(scope, gen, key, value);
          return { value, layer: "l2" };
        }
      } catch (e) {
        this.fail(e);
        l2Key = null;
      }
    }

    let value: T;
    try {
      value = await load();
    } catch (e) {
      const stale = this.lastKnown.get(`${scope}:${key}`);
      if (stale && isUnavailable(e)) return { value: stale, layer: "stale" };
      throw e;
    }
    this.fill(scope, gen, key, value);
    if (l2Key && this.store) {
      try {
        await this.store.set(l2Key, JSON.stringify(value), this.opts.l2TtlSeconds);
      } catch (e) {
        this.fail(e);
      }
    }
    return { value, layer: "origin" };
  }

  private fill(scope: string, gen: number, key: string, value: T) {
    this.lastKnown.set(`${scope}:${key}`, value);
    // A fill that started before an invalidation is dropped: its generation is no longer current.
    if (gen !== this.generation(scope)) return;
    const degraded = this.storeFailing && this.opts.degradedL1TtlMs !== undefined;
    this.l1.set(`${scope}:${gen}:${key}`, value, degraded ? { ttl: this.opts.degradedL1TtlMs } : undefined);
  }
}

/** Errors that mean "the database could not be reached", for stale-if-error. */
export function isUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, i = 0; cur && i < 5; i++) {
    const code = (cur as { code?: unknown }).code;
    if (
      typeof code === "string" &&
      /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EPIPE|57P0[1-3]|08\d\d\d)$/.test(code)
    )
      return true;
    const msg = (cur as { message?: unknown }).message;
    if (
      typeof msg === "string" &&
      /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|PGlite is closed/i.test(msg)
    )
      return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
