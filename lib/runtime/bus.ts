// The invalidation bus: after a change commits, drop this instance's cache entries at once (so the
// call that made the change returns only when its own instance serves the new version), bump the
// shared epoch (every instance's L2 misses), then broadcast on Pub/Sub (every instance's L1 drops
// the project) and to local SSE listeners.
import { randomBytes } from "node:crypto";
import type { EventSink, PromptChanged } from "../announcements";
import type { SharedStore } from "./shared-store";

/** The channel of an installation's invalidations (lib/server/wiring/runtime-wiring.ts passes its installation id). */
export const busChannel = (installation: string) => `lectern:${installation}:bus`;

/**
 * `n` numbers an origin's messages. A linked process hears each of its neighbour's messages twice, once through
 * the link and once through Pub/Sub, and applies it once: applied again, late, a copy dropped the L1 entry a read
 * had just filled. A message without `n` (from a process of an earlier release) is applied each time it comes.
 */
type Message = { origin: string; n?: number } & (
  { kind: "prompt"; event: PromptChanged } | { kind: "keys" } | { kind: "flush" }
);
/** How many (origin, n) a bus remembers having applied: a copy comes within moments of the first. */
const REMEMBERED = 1024;
type Listener = (e: PromptChanged) => void;
/** Told to listeners of every project (they listen on projectId ""): changes may have been missed. */
const resetEvent: PromptChanged = { projectId: "", prompt: "", environment: null, version: 0, action: "reset" };

export interface Invalidatable {
  invalidateLocal(scope: string): void;
  invalidateAllLocal(): void;
  invalidateShared(scope: string): Promise<number | null>;
  invalidateAllShared(): Promise<number | null>;
}

export class InvalidationBus implements EventSink {
  readonly instanceId = randomBytes(6).toString("hex");
  private listeners = new Map<string, Set<Listener>>();
  private unsubscribe: (() => Promise<void>) | undefined;
  private linked: ((raw: string) => void) | undefined;
  private sent = 0;
  /** `origin:n` of the messages applied last, oldest first. */
  private readonly applied = new Set<string>();
  // One handler for the bus's lifetime: subscribing again after an outage does not add a second one.
  private readonly onMessage = (raw: string) => this.receive(raw);

  constructor(
    private readonly store: SharedStore,
    private readonly caches: { prompts: Invalidatable; keys: Invalidatable },
    private readonly onError: (what: string, e: unknown) => void = () => {},
    private readonly channel = "lectern:bus",
  ) {}

  /** Subscribes once; later calls (after an outage) only retry a subscription that never succeeded. */
  async start() {
    if (this.unsubscribe) return;
    this.unsubscribe = await this.store.subscribe(this.channel, this.onMessage);
  }

  async stop() {
    await this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /**
   * Another process of the same instance (`npm start` runs Next in a process of its own) hears every
   * message this bus sends, directly and in order, whatever the store: no message depends on Pub/Sub
   * to reach the process beside it. It feeds what it sends back through `receiveLinked`.
   */
  link(send: (raw: string) => void) {
    this.linked = send;
  }

  /** A message from the linked process (Pub/Sub brings it a second time, which is not applied again). */
  receiveLinked(raw: string) {
    this.receive(raw);
  }

  private receive(raw: string) {
    let m: Message;
    try {
      m = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (m.origin === this.instanceId) return; // applied locally when published
    if (typeof m.n === "number") {
      const id = `${m.origin}:${m.n}`;
      if (this.applied.has(id)) return; // its other copy (the link's or Pub/Sub's) came first
      this.applied.add(id);
      if (this.applied.size > REMEMBERED) this.applied.delete(this.applied.values().next().value as string);
    }
    if (m.kind === "keys") this.caches.keys.invalidateAllLocal();
    else if (m.kind === "flush") {
      this.caches.keys.invalidateAllLocal();
      this.caches.prompts.invalidateAllLocal();
      this.notify(resetEvent);
    } else {
      this.caches.prompts.invalidateLocal(m.event.projectId);
      this.notify(m.event);
    }
  }

  private notify(e: PromptChanged) {
    for (const l of this.listeners.get(e.projectId) ?? []) {
      try {
        l(e);
      } catch {
        // a broken listener must not stop the others
      }
    }
  }

  /** EventSink: called by lib/registry and lib/release after a change has committed. */
  async publish(event: PromptChanged): Promise<void> {
    this.caches.prompts.invalidateLocal(event.projectId);
    this.notify(event);
    await this.announce(
      { origin: this.instanceId, kind: "prompt", event },
      () => this.caches.prompts.invalidateShared(event.projectId),
      "publish invalidation",
    );
  }

  /** API keys changed (revoked): every instance drops its key cache. */
  async keysChanged(): Promise<void> {
    this.caches.keys.invalidateAllLocal();
    await this.announce(
      { origin: this.instanceId, kind: "keys" },
      () => this.caches.keys.invalidateShared("all"),
      "publish key revocation",
    );
  }

  /**
   * After a period in which invalidations may have been lost (the store did not answer): this
   * instance drops its L1, every L2 entry written before is retired (the global generation), and
   * every other instance is told to drop its L1. SSE clients are told to refetch (`reset`).
   */
  async recover(): Promise<void> {
    this.caches.keys.invalidateAllLocal();
    this.caches.prompts.invalidateAllLocal();
    this.notify(resetEvent);
    const retire = () =>
      Promise.all([this.caches.prompts.invalidateAllShared(), this.caches.keys.invalidateAllShared()]);
    await this.announce(
      { origin: this.instanceId, kind: "flush" },
      retire,
      "retire shared cache entries after an outage",
    );
  }

  /**
   * Retires the shared entries (`bump`), then tells the linked process and, through the store, every
   * other instance. The change is committed either way: a failure is logged; other instances converge
   * within the L1 TTL, and an instance whose connection to the store comes back drops its whole L1.
   */
  private async announce(m: Message, bump: () => Promise<unknown>, what: string) {
    let bumped = true;
    try {
      await bump();
    } catch (e) {
      bumped = false;
      this.onError(what, e);
    }
    const raw = JSON.stringify({ ...m, n: ++this.sent });
    // After the bump, so the linked process, having dropped its L1, cannot read the old entry back from
    // L2; and whether or not the store answered: the process beside this one needs no store to hear it.
    try {
      this.linked?.(raw);
    } catch (e) {
      this.onError(`${what} (to the linked process)`, e);
    }
    if (!bumped) return; // a recovery (when the store answers again) retires everything instead
    try {
      await this.store.publish(this.channel, raw);
    } catch (e) {
      this.onError(what, e);
    }
  }

  /** For SSE: calls `listener` for every change in a project; returns an unsubscribe function. */
  listen(projectId: string, listener: Listener): () => void {
    const set = this.listeners.get(projectId) ?? new Set();
    set.add(listener);
    this.listeners.set(projectId, set);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(projectId);
    };
  }
}
