// The in-process cache: environment → name → pin (a version, ":label", or 0 = live) → subject ("" = none) → entry.
// Nested maps rather than one string key so that a warm lookup builds no key string at all.
import { pinOf, type ResolveKey } from "./http";
import { localExperiment, type LocalExperiment } from "./experiment";
import { asPublic, deepFreeze, promptFromResponse, type PromptImpl } from "./prompt";
import type { Prompt, PromptSource, ResolveResponse } from "./types";

export interface Entry {
  readonly key: ResolveKey;
  response: ResolveResponse;
  etag: string | null;
  /** Date.now() until which the entry is served without revalidating. */
  freshUntil: number;
  /** What cache hits return, and the already-resolved promise getPrompt hands out for it. */
  prompt: PromptImpl;
  promise: Promise<Prompt>;
  /** Names of the partials the response expanded: a change to one of them changes this prompt. */
  partials: string[];
  /** A revalidation in flight (one per entry at most). */
  inflight?: Promise<void>;
  /** A change was announced while a revalidation was in flight, which may have read the old state. */
  again: boolean;
  /** Consecutive failed revalidations, for backing off. */
  failures: number;
  /** A running experiment this answer lets the client assign subjects for. */
  local?: LocalExperiment;
}

type BySubject = Map<string, Entry>;
type ByVersion = Map<number | string, BySubject>;

export class PromptCache {
  private readonly tree = new Map<string, Map<string, ByVersion>>();
  private count = 0;

  constructor(private readonly maxSubjects: number) {}

  get size(): number {
    return this.count;
  }

  /** `pin`: a version, a label's pin (pinOf), or undefined for what the environment serves. */
  get(
    environment: string,
    name: string,
    pin: number | string | undefined,
    subject: string | undefined,
  ): Entry | undefined {
    return this.tree
      .get(environment)
      ?.get(name)
      ?.get(pin ?? 0)
      ?.get(subject ?? "");
  }

  /** Any entry for the prompt, whatever the subject: an outage fallback that beats a hard-coded one. */
  anySubject(environment: string, name: string, pin: number | string | undefined): Entry | undefined {
    const bySubject = this.tree
      .get(environment)
      ?.get(name)
      ?.get(pin ?? 0);
    return bySubject?.values().next().value;
  }

  /** Stores a fresh response (replacing what the key held) and returns its entry. */
  set(
    key: ResolveKey,
    response: ResolveResponse,
    etag: string | null,
    freshUntil: number,
    source: PromptSource,
  ): Entry {
    deepFreeze(response);
    const prompt = promptFromResponse(response, source === "network" ? "cache" : source);
    const existing = this.get(key.environment, key.name, pinOf(key), key.subject);
    if (existing) {
      existing.response = response;
      existing.etag = etag;
      existing.freshUntil = freshUntil;
      existing.prompt = prompt;
      existing.promise = Promise.resolve(asPublic(prompt));
      existing.partials = Object.keys(response.partials ?? {});
      existing.local = localExperiment(response, source === "network" ? "cache" : source);
      return existing;
    }
    const entry: Entry = {
      key,
      response,
      etag,
      freshUntil,
      prompt,
      promise: Promise.resolve(asPublic(prompt)),
      partials: Object.keys(response.partials ?? {}),
      again: false,
      failures: 0,
      local: localExperiment(response, source === "network" ? "cache" : source),
    };
    let byName = this.tree.get(key.environment);
    if (!byName) this.tree.set(key.environment, (byName = new Map()));
    let byVersion = byName.get(key.name);
    if (!byVersion) byName.set(key.name, (byVersion = new Map()));
    let bySubject = byVersion.get(pinOf(key) ?? 0);
    if (!bySubject) byVersion.set(pinOf(key) ?? 0, (bySubject = new Map()));
    bySubject.set(key.subject ?? "", entry);
    this.count++;
    // Subjects can be unbounded (one per user): drop the oldest beyond the limit.
    if (bySubject.size > this.maxSubjects) {
      const oldest = bySubject.keys().next().value;
      if (oldest !== undefined) {
        bySubject.delete(oldest);
        this.count--;
      }
    }
    return entry;
  }

  delete(entry: Entry): void {
    const { environment, name, subject } = entry.key;
    const pin = pinOf(entry.key) ?? 0;
    const byName = this.tree.get(environment);
    const byVersion = byName?.get(name);
    const bySubject = byVersion?.get(pin);
    if (bySubject?.get(subject ?? "") !== entry) return;
    bySubject.delete(subject ?? "");
    this.count--;
    if (bySubject.size === 0) byVersion!.delete(pin);
    if (byVersion!.size === 0) byName!.delete(name);
    if (byName!.size === 0) this.tree.delete(environment);
  }

  *entries(environment?: string): IterableIterator<Entry> {
    const envs =
      environment === undefined ? [...this.tree.values()] : [this.tree.get(environment)].filter((m) => m !== undefined);
    for (const byName of envs)
      for (const byVersion of byName.values()) for (const bySubject of byVersion.values()) yield* bySubject.values();
  }

  hasEnvironment(environment: string): boolean {
    return this.tree.has(environment);
  }
}
