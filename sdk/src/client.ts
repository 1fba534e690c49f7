// createClient: the options, getPrompt's cache lookups (a subject served from an answer shared by all
// subjects where it may be), prefetch, track and close. The warm path of getPrompt is four map lookups,
// a clock read and an already-resolved promise. A miss is in misses.ts, staying current in freshness.ts,
// snapshots in snapshot.ts.
import { PromptCache, type Entry } from "./cache";
import { LecternError } from "./errors";
import { Freshness, type CacheContext } from "./freshness";
import { getBundle } from "./bundle";
import { getSkill } from "./skill";
import { fetchBatch, normaliseBaseUrl, pinOf, type ResolveKey, type Transport } from "./http";
import { Misses } from "./misses";
import { loadSnapshot, takeSnapshot } from "./snapshot";
import { fetchStream, nodeHttp, nodeStream } from "./stream";
import { Tracker } from "./track";
import type {
  Bundle,
  ClientOptions,
  GetBundleOptions,
  GetPromptOptions,
  GetSkillOptions,
  LecternClient,
  PrefetchResult,
  Prompt,
  PromptFor,
  PromptName,
  ResolveResponse,
  Skill,
  Snapshot,
  TrackEvent,
} from "./types";
import { Updates } from "./updates";

const noOptions: GetPromptOptions = Object.freeze({});

function defaultOnError(now: () => number): (e: Error) => void {
  // One line per distinct problem per minute: an outage should not flood the log.
  const seen = new Map<string, number>();
  return (e) => {
    const t = now();
    if ((seen.get(e.message) ?? -Infinity) > t - 60_000) return;
    if (seen.size > 100) seen.clear();
    seen.set(e.message, t);
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
  private readonly freshness: Freshness;
  private readonly misses: Misses;
  private closed = false;
  private readonly offline: boolean;
  private readonly tracker: Tracker;
  private readonly trackExposures: boolean;
  /** Exposures already recorded (experiment, phase, subject), so a busy subject is recorded once. */
  private readonly exposed = new Set<string>();

  constructor(o: ClientOptions) {
    // Offline, baseUrl and apiKey may be empty: code whose settings are unset runs on its fallbacks.
    const offline = o.offline === true;
    if (!offline && (typeof o.baseUrl !== "string" || !/^https?:\/\//.test(o.baseUrl)))
      throw new LecternError("baseUrl must be an http(s) URL", { code: "invalid_input" });
    if (!offline && (typeof o.apiKey !== "string" || o.apiKey === ""))
      throw new LecternError("apiKey is required", { code: "invalid_input" });
    this.offline = offline;
    const baseUrl = offline ? "http://lectern.invalid" : normaliseBaseUrl(o.baseUrl);
    this.environment = o.environment ?? "production";
    this.ttl = positive("cacheTtlMs", o.cacheTtlMs, 60_000);
    if (o.now !== undefined && typeof o.now !== "function")
      throw new LecternError("now must be a function returning milliseconds", { code: "invalid_input" });
    this.now = o.now ?? Date.now;
    const timeoutMs = positive("timeoutMs", o.timeoutMs, 5_000);
    if (timeoutMs === 0) throw new LecternError("timeoutMs must be greater than 0", { code: "invalid_input" });
    const fetchImpl = o.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
    this.transport = { baseUrl, apiKey: offline ? "" : o.apiKey, timeoutMs, fetch: fetchImpl, offline };
    this.cache = new PromptCache(Math.max(1, o.maxSubjectsPerPrompt ?? 1_000));
    const userOnError = o.onError ?? defaultOnError(this.now);
    this.reportError = (e) => {
      try {
        userOnError(e);
      } catch {
        /* a throwing handler must not break the client */
      }
    };
    const context: CacheContext = {
      cache: this.cache,
      transport: this.transport,
      ttl: this.ttl,
      now: this.now,
      reportError: this.reportError,
      startUpdates: () => {
        if (!this.closed) this.updates.start();
      },
    };
    this.freshness = new Freshness(context);
    this.misses = new Misses(context, this.freshness);
    const node = o.fetch ? undefined : nodeHttp();
    this.updates = new Updates({
      url: `${baseUrl}/api/v1/events`,
      apiKey: this.transport.apiKey,
      open: node ? nodeStream(node) : fetchStream(fetchImpl),
      push: !offline && (o.push ?? true),
      pollIntervalMs: offline ? 0 : positive("pollIntervalMs", o.pollIntervalMs, 30_000),
      connectTimeoutMs: timeoutMs,
      now: this.now,
      onChange: (c) => this.freshness.onChange(c),
      onResync: () => this.freshness.resync(),
      onError: this.reportError,
    });
    this.tracker = new Tracker(this.transport, {
      flushIntervalMs: positive("flushIntervalMs", o.flushIntervalMs, 1_000),
      onError: this.reportError,
      now: this.now,
    });
    this.trackExposures = o.trackExposures ?? true;
    if (o.bootstrap) loadSnapshot(this.cache, o.bootstrap);
  }

  track(event: TrackEvent): void {
    // Offline there is nowhere to send events: they are dropped rather than retried forever.
    if (this.offline) return;
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
    const { version, label } = o;
    if (label !== undefined && (typeof label !== "string" || version !== undefined))
      return Promise.reject(
        new LecternError("label must be a string, and cannot be given with version", { code: "invalid_input" }),
      );
    const pin = label === undefined ? version : pinOf(o);
    const own = this.cache.get(environment, name, pin, o.subject);
    if (own !== undefined) {
      if (this.now() >= own.freshUntil) this.freshness.revalidate(own);
      return own.promise;
    }
    const key = (subject: string | undefined): ResolveKey =>
      label === undefined ? { environment, name, version, subject } : { environment, name, version, label, subject };
    if (o.subject === undefined) return this.misses.load(key(undefined), o.fallback);
    const subject = o.subject;
    // One answer without the subject serves every subject when it says it may (no experiment), or
    // when it carries the experiment's variants (the client assigns, as the server would).
    const shared = this.cache.get(environment, name, pin, undefined);
    if (shared !== undefined) return this.fromShared(shared, subject) ?? this.misses.load(key(subject), o.fallback);
    if (pin !== undefined) return this.misses.load(key(subject), o.fallback);
    return this.misses.load(key(undefined), o.fallback).then((p) => {
      const s = this.cache.get(environment, name, undefined, undefined);
      // Not reached (a fallback was served), or the same answer for everyone: what load returned (source "network").
      if (!s || s.response.subjectDependent === false) return p;
      return this.fromShared(s, subject) ?? this.misses.load(key(subject), o.fallback);
    });
  }

  /** The prompt for a subject from an answer shared by all subjects, or undefined when it must be asked per subject (a bandit). */
  private fromShared(shared: Entry, subject: string): Promise<Prompt> | undefined {
    if (shared.response.subjectDependent === false) {
      if (this.now() >= shared.freshUntil) this.freshness.revalidate(shared);
      return shared.promise;
    }
    const local = shared.local;
    if (!local) return undefined;
    if (this.now() >= shared.freshUntil) this.freshness.revalidate(shared);
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
    const seen = this.freshness.changes;
    const r = await fetchBatch(this.transport, environment, names);
    const loaded: string[] = [];
    for (const { etag, ...response } of r.prompts) {
      const key: ResolveKey = { environment, name: response.name, version: undefined, subject: undefined };
      const entry = this.cache.set(key, response as ResolveResponse, etag, this.now() + this.ttl, "network");
      if (this.freshness.changes !== seen) this.freshness.invalidate(entry);
      loaded.push(response.name);
    }
    if (!this.closed && loaded.length) this.updates.start();
    return {
      loaded,
      errors: r.errors.map((e) => ({ name: e.name, code: e.error.code, message: e.error.message })),
      truncated: r.truncated === true,
    };
  }

  /**
   * Every prompt of a bundle as the environment serves it, at one consistent release: all members from
   * the same state of the release log, never a mix of an old and a new release. With a subject, its side of
   * the bundle's guarded rollout. Read from the server each time (never cached: bundle.ts).
   */
  getBundle(name: string, options?: GetBundleOptions): Promise<Bundle> {
    return getBundle(this.transport, this.environment, name, options);
  }

  /** A skill's files as the environment serves it (skill.ts). Read from the server each time. */
  getSkill(name: string, options?: GetSkillOptions): Promise<Skill> {
    return getSkill(this.transport, this.environment, name, options);
  }

  snapshot(): Snapshot {
    return takeSnapshot(this.cache, this.now);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.updates.close();
    await this.tracker.flush();
    await Promise.allSettled([...this.cache.entries()].map((e) => e.inflight));
  }
}

export function createClient(options: ClientOptions): LecternClient {
  return new Client(options);
}
