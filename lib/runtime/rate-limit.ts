// Per-key budgets for event ingest: a token bucket per API key that refills at `perMinute` and holds
// at most a minute's worth. A request may spend what is left and go into debt (one batch larger than
// the budget still passes), and the next waits until the debt is paid: the long-run rate is the
// budget, whatever the batch sizes. In memory, per process; bounded by an LRU of keys.
import { LRUCache } from "lru-cache";

export class KeyBudget {
  private readonly buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 100_000 });
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Spends `amount` for `key` and returns 0, or returns the milliseconds until the key may spend again. */
  take(key: string, amount: number): number {
    const b = this.bucket(key);
    if (b.tokens < 1) return Math.ceil((1 - b.tokens) / this.perMs);
    b.tokens -= amount;
    return 0;
  }

  /** Spends `amount` for `key` whatever is left (work already done: what a body inflated to), into debt if need be. */
  charge(key: string, amount: number): void {
    this.bucket(key).tokens -= amount;
  }

  private bucket(key: string) {
    const now = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.perMinute, at: now };
    b.tokens = Math.min(this.perMinute, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    this.buckets.set(key, b);
    return b;
  }
}
