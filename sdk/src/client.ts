// createClient: the cache with stale-while-revalidate, deduplicated requests, fallbacks, snapshots,
// and the wiring to push updates. The warm path of getPrompt is four map lookups, a clock read and
// an already-resolved promise.
import { PromptCache, type Entry } from "./cache";
import { isTransient, LecternError, LecternNotFoundError } from "./errors";
import { fetchBatch, fetchResolved, looksResolved, normaliseBaseUrl, type ResolveKey, type Transport } from "./http";
import { asPublic, promptFromFallback, type PromptImpl } from "./prompt";
import { fetchStream, nodeHttp, nodeStream } from "./stream";
import { Tracker } from "./track";
import type {
  ClientOptions,
  Fallback,
  GetPromptOptions,
  LecternClient,
  PrefetchResult,
  Prompt,
  PromptFor,
  PromptName,
  ResolveResponse,
  Snapshot,
  TrackEvent,
} from "./types";
import { Updates, type PromptChanged } from "./updates";

const snapshotFormat = "lectern.snapshot/1";
const noOptions: GetPromptOptions = Object.freeze({});
const maxRetryDelayMs = 30_000;

/** After n consecutive failures, wait this long before asking the server about that prompt again. */
const retryDelay = (failures: number) => Math.min(maxRetryDelayMs, 1_000 * 2 ** Math.min(failures - 1, 5));

interface Failure {
  until: number;
  count: number;
  error: unknown;
  fallback?: { input: Fallback; prompt: PromptImpl };
}

function defaultOnError(): (e: Error) => void {
  // One line per distinct problem per minute: an outage should not flood the log.
  const seen = new Map<string, number>();
  return (e) => {
    const now = Date.now();
    if ((seen.get(e.message) ?? -Infinity) > now - 60_000) return;
    if (seen.size > 100) seen.clear();
    seen.set(e.message, now);
    console.warn(`[lectern] ${e.message}`);
  };
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new LecternError(`${name} must be a number ≥ 0`, { code: "invalid_input" });
  return value;
}

class Client implements LecternClient {
  private readonly environment: string;
  private readonly ttl: number;
  private readonly now: () => number;
  private readonly transport: Transport;
  private readonly cache: PromptCache;
  private readonly updates: Updates;
  private readonly reportError: (e: Error) => void;
  private readonly misses = new Map<string, Promise<PromptImpl>>();
  private readonly failures = new Map<string, Failure>();
  /** Bumped by every announced change; a miss that spans a bump revalidates what it stored. */
  private changes = 0;
  private closed = false;
  private readonly tracker: Tracker;
  private readonly trackExposures: boolean;
  /** Exposures already recorded (experiment, phase, subject), so a busy subject is recorded once. */
  private readonly exposed = new Set<string>();

  constructor(o: ClientOptions) {
    if (typeof o.baseUrl !== "string" || !/^https?:\/\//.test(o.baseUrl))
      throw new LecternError("baseUrl must be an http(s) URL", { code: "invalid_input" });
    if (typeof o.apiKey !== "string" || o.apiKey === "")
      throw new LecternError("apiKey is required", { code: "invalid_input" });
    const baseUrl = normaliseBaseUrl(o.baseUrl);
    this.environment = o.environment ?? "production";
    this.ttl = positive("cacheTtlMs", o.cacheTtlMs, 60_000);
    if (o.now !== undefined && typeof o.now !== "function")
      throw new LecternError("now must be a function returning milliseconds", { code: "invalid_input" });
    this.now = o.now ?? Date.now;
    const timeoutMs = positive("timeoutMs", o.timeoutMs, 5_000);
    if (timeoutMs === 0) throw new LecternError("timeoutMs must be greater than 0", { code: "invalid_input" });
    const fetchImpl = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    this.transport = { baseUrl, apiKey: o.apiKey, timeoutMs, fetch: fetchImpl };
    this.cache = new PromptCache(Math.max(1, o.maxSubjectsPerPrompt ?? 1_000));
    const userOnError = o.onError ?? defaultOnError();
    this.reportError = (e) => {
      try {
        userOnError(e);
      } catch {
        /* a throwing handler must not break the client */
      }
    };
    const node = o.fetch ? undefined : nodeHttp();
    this.updates = new Updates({
      url: `${baseUrl}/api/v1/events`,
      apiKey: o.apiKey,
      open: node ? nodeStream(node) : fetchStream(fetchImpl),
      push: o.push ?? true,
      pollIntervalMs: positive("pollIntervalMs", o.pollIntervalMs, 30_000),
      connectTimeoutMs: timeoutMs,
      onChange: (c) => this.onChange(c),
      onResync: () => this.resync(),
      onError: this.reportError,
    });
    this.tracker = new Tracker(this.transport, {
      flushIntervalMs: positive("flushIntervalMs", o.flushIntervalMs, 1_000),
      onError: this.reportError,
    });
    this.trackExposures = o.trackExposures ?? true;
    // Node: send what is queued before the process exits on its own (edge runtimes have no process).
    const proc = (globalThis as { process?: { once?: (e: string, h: () => void) => void } }).process;
    proc?.once?.("beforeExit", () => void this.tracker.flush());
    if (o.bootstrap) this.loadSnapshot(o.bootstrap);
  }

  track(event: TrackEvent): void {
    this.tracker.track(event);
  }

  flush(): Promise<void> {
    return this.tracker.flush();
  }

  // The generic signature types names and variables from PromptRegistry; at run time every name takes one path.
  getPrompt<N extends PromptName>(name: N, options?: GetPromptOptions): Promise<PromptFor<N>>;
  getPrompt(name: string, options?: GetPromptOptions): Promise<Prompt> {
    const o = options ?? noOptions;
    const environment = o.environment ?? this.environment;
    const own = this.cache.get(environment, name, o.version, o.subject);
    if (own !== undefined) {
      if (this.now() >= own.freshUntil) this.revalidate(own);
      return own.promise;
    }
    if (o.subject === undefined)
      return this.load({ environment, name, version: o.version, subject: undefined }, o.fallback);
    const subject = o.subject;
    // One answer without the subject serves every subject when it says it may (no experiment), or
    // when it carries the experiment's variants (the client assigns, as the server would).
    const shared = this.cache.get(environment, name, o.version, undefined);
    if (shared !== undefined)
      return (
        this.fromShared(shared, subject) ?? this.load({ environment, name, version: o.version, subject }, o.fallback)
      );
    if (o.version !== undefined) return this.load({ environment, name, version: o.version, subject }, o.fallback);
    return this.load({ environment, name, version: undefined, subject: undefined }, o.fallback).then((p) => {
      const s = this.cache.get(environment, name, undefined, undefined);
      // Not reached (a fallback was served), or the same answer for everyone: what load returned (source "network").
      if (!s || s.response.subjectDependent === false) return p;
      return this.fromShared(s, subject) ?? this.load({ environment, name, version: undefined, subject }, o.fallback);
    });
  }

  /** The prompt for a subject from an answer shared by all subjects, or undefined when it must be asked per subject (a bandit). */
  private fromShared(shared: Entry, subject: string): Promise<Prompt> | undefined {
    if (shared.response.subjectDependent === false) {
      if (this.now() >= shared.freshUntil) this.revalidate(shared);
      return shared.promise;
    }
    const local = shared.local;
    if (!local) return undefined;
    if (this.now() >= shared.freshUntil) this.revalidate(shared);
    const arm = local.choose(subject);
    if (!arm) return shared.promise;
    if (this.trackExposures) this.expose(arm.prompt, arm.experiment, subject);
    return arm.promise;
  }

  private expose(
    p: { name: string; version: number; environment: string },
    e: { id: string; variant: string; phase?: number },
    subject: string,
  ): void {
    const key = `${e.id}\u0000${e.phase ?? 0}\u0000${subject}`;
    if (this.exposed.has(key)) return;
    if (this.exposed.size >= 50_000) this.exposed.clear();
    this.exposed.add(key);
    this.tracker.track({
      type: "exposure",
      prompt: p.name,
      version: p.version,
      environment: p.environment,
      subject,
      experimentId: e.id,
      variant: e.variant,
      phase: e.phase,
    });
  }

  async prefetch(names?: readonly string[], options?: { environment?: string }): Promise<PrefetchResult> {
    if (names !== undefined && (!Array.isArray(names) || names.some((n) => typeof n !== "string")))
      throw new LecternError("prefetch takes a list of prompt names", { code: "invalid_input" });
    if (names?.length === 0) return { loaded: [], errors: [], truncated: false };
    const environment = options?.environment ?? this.environment;
    const seen = this.changes;
    const r = await fetchBatch(this.transport, environment, names);
    const loaded: string[] = [];
    for (const { etag, ...response } of r.prompts) {
      const key: ResolveKey = { environment, name: response.name, version: undefined, subject: undefined };
      const entry = this.cache.set(key, response as ResolveResponse, etag, this.now() + this.ttl, "network");
      if (this.changes !== seen) this.invalidate(entry);
      loaded.push(response.name);
    }
    if (!this.closed && loaded.length) this.updates.start();
    return {
      loaded,
      errors: r.errors.map((e) => ({ name: e.name, code: e.error.code, message: e.error.message })),
      truncated: r.truncated === true,
    };
  }

  snapshot(): Snapshot {
    const entries = [...this.cache.entries()].map((e) => ({
      environment: e.key.environment,
      name: e.key.name,
      version: e.key.version ?? null,
      subject: e.key.subject ?? null,
      etag: e.etag,
      response: e.response,
    }));
    // Through JSON, so what the caller gets is exactly what survives being saved to a file.
    return JSON.parse(
      JSON.stringify({ format: snapshotFormat, createdAt: new Date().toISOString(), entries }),
    ) as Snapshot;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.updates.close();
    await this.tracker.flush();
    await Promise.allSettled([...this.cache.entries()].map((e) => e.inflight));
  }

  private async load(key: ResolveKey, fallback: Fallback | undefined): Promise<Prompt> {
    const id = JSON.stringify([key.environment, key.name, key.version, key.subject]);
    const failure = this.failures.get(id);
    try {
      // Right after a failure, answer from the fallback at once instead of waiting on the server again.
      if (failure && this.now() < failure.until) throw failure.error;
      let pending = this.misses.get(id);
      if (!pending) {
        pending = this.fetchMiss(key).finally(() => this.misses.delete(id));
        this.misses.set(id, pending);
      }
      const prompt = await pending;
      this.failures.delete(id);
      return asPublic(prompt);
    } catch (e) {
      if (!isTransient(e)) throw e;
      const f = this.failures.get(id) ?? { until: 0, count: 0, error: e };
      if (f.until <= this.now()) {
        f.count++;
        f.until = this.now() + retryDelay(f.count);
        f.error = e;
        if (this.failures.size > 10_000) this.failures.clear(); // one per prompt and subject tried during an outage
        this.failures.set(id, f);
      }
      // A cached answer for another subject (e.g. from a bootstrap snapshot) beats a hard-coded text.
      const other = this.cache.anySubject(key.environment, key.name, key.version);
      if (other) {
        this.reportError(e as Error);
        return other.promise;
      }
      if (fallback === undefined) throw e;
      this.reportError(
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
    const seen = this.changes;
    const r = await fetchResolved(this.transport, key);
    if (r.status === 304)
      throw new LecternError("Lectern answered 304 to a request without If-None-Match", {
        code: "invalid_response",
        status: 304,
      });
    const shared = r.body.subjectDependent === false && key.subject !== undefined;
    const entry = this.cache.set(
      shared ? { ...key, subject: undefined } : key,
      r.body,
      r.etag,
      this.now() + this.ttl,
      "network",
    );
    if (!this.closed) this.updates.start();
    // A change announced while this request was in flight may not be in what it read.
    if (this.changes !== seen) this.invalidate(entry);
    return entry.prompt.as("network");
  }

  private revalidate(entry: Entry): void {
    if (entry.inflight) return;
    if (!this.closed) this.updates.start();
    entry.inflight = this.refresh(entry).finally(() => {
      entry.inflight = undefined;
      if (entry.again) {
        entry.again = false;
        if (this.cache.get(entry.key.environment, entry.key.name, entry.key.version, entry.key.subject) === entry)
          this.revalidate(entry);
      }
    });
  }

  private async refresh(entry: Entry): Promise<void> {
    try {
      const r = await fetchResolved(this.transport, entry.key, entry.etag);
      entry.failures = 0;
      if (r.status === 200) {
        this.cache.set(entry.key, r.body, r.etag, this.now() + this.ttl, "cache");
        return;
      }
      entry.freshUntil = this.now() + this.ttl;
      if (entry.prompt.source !== "cache") {
        entry.prompt = entry.prompt.as("cache");
        entry.promise = Promise.resolve(asPublic(entry.prompt));
      }
    } catch (e) {
      // The server no longer serves it (deleted, archived, undeployed): neither should we.
      if (e instanceof LecternNotFoundError) this.cache.delete(entry);
      else {
        // Keep serving what we have (stale-if-error), and back off instead of retrying on every call.
        entry.failures++;
        entry.freshUntil = this.now() + Math.min(this.ttl, retryDelay(entry.failures));
      }
      this.reportError(e instanceof Error ? e : new Error(String(e)));
    }
  }

  private invalidate(entry: Entry): void {
    entry.freshUntil = 0;
    if (entry.inflight) entry.again = true;
    else this.revalidate(entry);
  }

  private onChange(c: PromptChanged): void {
    this.changes++;
    if (c.environment === null) {
      // A new version changes no environment; a prompt pinned to that very version could care (it may
      // have been deleted), and so could one including `{{> name|label=latest}}` or `{{> name|version=N}}`.
      const pins = [`${c.name}|label=latest`, `${c.name}|version=${c.version}`];
      for (const e of [...this.cache.entries()])
        if ((e.key.name === c.name && e.key.version === c.version) || e.partials.some((p) => pins.includes(p)))
          this.invalidate(e);
      return;
    }
    const stale = new Set<Entry>();
    for (const e of this.cache.entries(c.environment))
      if (e.key.name === c.name || e.partials.includes(c.name)) stale.add(e);
    // A partial pinned to this environment (`{{> name|label=staging}}`) changes prompts of every environment.
    const pinned = `${c.name}|label=${c.environment}`;
    for (const e of this.cache.entries()) if (e.partials.includes(pinned)) stale.add(e);
    for (const e of stale) this.invalidate(e);
  }

  private resync(): void {
    this.changes++;
    for (const e of [...this.cache.entries()]) this.invalidate(e);
  }

  private loadSnapshot(s: Snapshot): void {
    if (s?.format !== snapshotFormat || !Array.isArray(s.entries))
      throw new LecternError(`bootstrap must be a snapshot from lectern.snapshot() (format "${snapshotFormat}")`, {
        code: "invalid_input",
      });
    for (const e of s.entries) {
      if (!looksResolved(e?.response) || typeof e.environment !== "string" || typeof e.name !== "string")
        throw new LecternError("bootstrap holds an entry that is not a resolved prompt", {
          code: "invalid_input",
          details: { name: e?.name },
        });
      const response = JSON.parse(JSON.stringify(e.response)) as ResolveResponse;
      const key: ResolveKey = {
        environment: e.environment,
        name: e.name,
        version: e.version ?? undefined,
        subject: e.subject ?? undefined,
      };
      // Stale from the start: served at once, revalidated (with its ETag) on first use.
      this.cache.set(key, response, e.etag, 0, "bootstrap");
    }
  }
}

export function createClient(options: ClientOptions): LecternClient {
  return new Client(options);
}
