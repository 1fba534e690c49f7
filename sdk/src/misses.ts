// A cache miss: one request per key however many callers wait for it; during an outage, an answer at
// once (a cached subject's, or the fallback) and the server asked again only after a backoff.
import { isTransient, LecternError } from "./errors";
import { type Freshness, retryDelay, type CacheContext } from "./freshness";
import { fetchResolved, pinOf, type ResolveKey } from "./http";
import { asPublic, promptFromFallback, type PromptImpl } from "./prompt";
import type { Fallback, Prompt } from "./types";

interface Failure {
  until: number;
  count: number;
  error: unknown;
  fallback?: { input: Fallback; prompt: PromptImpl };
}

export class Misses {
  private readonly pending = new Map<string, Promise<PromptImpl>>();
  private readonly failures = new Map<string, Failure>();

  constructor(
    private readonly c: CacheContext,
    private readonly freshness: Freshness,
  ) {}

  async load(key: ResolveKey, fallback: Fallback | undefined): Promise<Prompt> {
    const { now } = this.c;
    const id = JSON.stringify([key.environment, key.name, pinOf(key), key.subject]);
    const failure = this.failures.get(id);
    try {
      // Right after a failure, answer from the fallback at once instead of waiting on the server again.
      if (failure && now() < failure.until) throw failure.error;
      let pending = this.pending.get(id);
      if (!pending) {
        pending = this.fetchMiss(key).finally(() => this.pending.delete(id));
        this.pending.set(id, pending);
      }
      const prompt = await pending;
      this.failures.delete(id);
      return asPublic(prompt);
    } catch (e) {
      if (!isTransient(e)) throw e;
      const f = this.failures.get(id) ?? { until: 0, count: 0, error: e };
      if (f.until <= now()) {
        f.count++;
        f.until = now() + retryDelay(f.count);
        f.error = e;
        if (this.failures.size > 10_000) this.failures.clear(); // one per prompt and subject tried during an outage
        this.failures.set(id, f);
      }
      // A cached answer for another subject (e.g. from a bootstrap snapshot) beats a hard-coded text.
      const other = this.c.cache.anySubject(key.environment, key.name, pinOf(key));
      if (other) {
        this.c.reportError(e as Error);
        return other.promise;
      }
      if (fallback === undefined) throw e;
      this.c.reportError(
        new LecternError(`Serving the fallback of ${key.name}: ${(e as Error).message}`, {
          code: "fallback",
          cause: e,
        }),
      );
      if (f.fallback?.input !== fallback)
        f.fallback = { input: fallback, prompt: promptFromFallback(key.name, key.environment, fallback) };
      return asPublic(f.fallback.prompt);
    }
  }

  private async fetchMiss(key: ResolveKey): Promise<PromptImpl> {
    const seen = this.freshness.changes;
    const r = await fetchResolved(this.c.transport, key);
    if (r.status === 304)
      throw new LecternError("Lectern answered 304 to a request without If-None-Match", {
        code: "invalid_response",
        status: 304,
      });
    const shared = r.body.subjectDependent === false && key.subject !== undefined;
    const entry = this.c.cache.set(
      shared ? { ...key, subject: undefined } : key,
      r.body,
      r.etag,
      this.c.now() + this.c.ttl,
      "network",
    );
    this.c.startUpdates();
    // A change announced while this request was in flight may not be in what it read.
    if (this.freshness.changes !== seen) this.freshness.invalidate(entry);
    return entry.prompt.as("network");
  }
}
