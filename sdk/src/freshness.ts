// Keeping what is cached current: stale-while-revalidate with the ETag, backing off while refreshes
// fail, and invalidating what an announced change (push, or a poll's resync) may have changed.
import type { Entry, PromptCache } from "./cache";
import { LecternNotFoundError } from "./errors";
import { fetchResolved, pinOf, type Transport } from "./http";
import { asPublic } from "./prompt";
import type { PromptChanged } from "./updates";

const maxRetryDelayMs = 30_000;

/** After n consecutive failures, wait this long before asking the server about that prompt again. */
export const retryDelay = (failures: number) => Math.min(maxRetryDelayMs, 1_000 * 2 ** Math.min(failures - 1, 5));

/** What the parts of a client share: its cache, how it reaches the server, and its clock. */
export interface CacheContext {
  readonly cache: PromptCache;
  readonly transport: Transport;
  readonly ttl: number;
  readonly now: () => number;
  readonly reportError: (e: Error) => void;
  /** Push or polling starts once something is cached (and never after close). */
  readonly startUpdates: () => void;
}

export class Freshness {
  /** Bumped by every announced change; a miss that spans a bump revalidates what it stored. */
  changes = 0;

  constructor(private readonly c: CacheContext) {}

  revalidate(entry: Entry): void {
    if (entry.inflight) return;
    this.c.startUpdates();
    entry.inflight = this.refresh(entry).finally(() => {
      entry.inflight = undefined;
      if (entry.again) {
        entry.again = false;
        if (this.c.cache.get(entry.key.environment, entry.key.name, pinOf(entry.key), entry.key.subject) === entry)
          this.revalidate(entry);
      }
    });
  }

  private async refresh(entry: Entry): Promise<void> {
    const { cache, now, ttl } = this.c;
    try {
      const r = await fetchResolved(this.c.transport, entry.key, entry.etag);
      entry.failures = 0;
      if (r.status === 200) {
        cache.set(entry.key, r.body, r.etag, now() + ttl, "cache");
        return;
      }
      entry.freshUntil = now() + ttl;
      if (entry.prompt.source !== "cache") {
        entry.prompt = entry.prompt.as("cache");
        entry.promise = Promise.resolve(asPublic(entry.prompt));
      }
    } catch (e) {
      // The server no longer serves it (deleted, archived, undeployed): neither should we.
      if (e instanceof LecternNotFoundError) cache.delete(entry);
      else {
        // Keep serving what we have (stale-if-error), and back off instead of retrying on every call.
        entry.failures++;
        entry.freshUntil = now() + Math.min(ttl, retryDelay(entry.failures));
      }
      this.c.reportError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  invalidate(entry: Entry): void {
    entry.freshUntil = 0;
    if (entry.inflight) entry.again = true;
    else this.revalidate(entry);
  }

  onChange(c: PromptChanged): void {
    this.changes++;
    const { cache } = this.c;
    if (c.environment === null) {
      // A new version changes no environment; a prompt pinned to that very version could care (it may
      // have been deleted), and so could one including `{{> name|label=latest}}` or `{{> name|version=N}}`,
      // and one asked for by a label of the prompt (`latest`, or the version label that moved).
      const pins = [`${c.name}|label=latest`, `${c.name}|version=${c.version}`];
      if (c.label !== undefined) pins.push(`${c.name}|label=${c.label}`);
      const byLabel = (e: Entry) =>
        e.key.name === c.name &&
        e.key.label !== undefined &&
        (c.label === undefined || e.key.label === c.label || e.key.label === "latest");
      for (const e of [...cache.entries()])
        if (
          (e.key.name === c.name && e.key.version === c.version) ||
          byLabel(e) ||
          e.partials.some((p) => pins.includes(p))
        )
          this.invalidate(e);
      return;
    }
    const stale = new Set<Entry>();
    for (const e of cache.entries(c.environment))
      if (e.key.name === c.name || e.partials.includes(c.name)) stale.add(e);
    // A partial pinned to this environment (`{{> name|label=staging}}`) changes prompts of every environment.
    const pinned = `${c.name}|label=${c.environment}`;
    for (const e of cache.entries()) if (e.partials.includes(pinned)) stale.add(e);
    for (const e of stale) this.invalidate(e);
  }

  resync(): void {
    this.changes++;
    for (const e of [...this.c.cache.entries()]) this.invalidate(e);
  }
}
