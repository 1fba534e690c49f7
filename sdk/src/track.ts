// track(): metric events queued in memory and sent in batches (POST /api/v1/events), retried with
// backoff on network errors, 429 and 5xx. A batch the server refuses (422) names the bad events: they
// are dropped (and reported), the others are sent again. Timers are unref'd; flush() sends now, and a
// Node process that ends by itself sends what is queued first (exit.ts).
import { LecternError } from "./errors";
import { drained, holdsEvents, type ExitQueue } from "./exit";
import { readBody, unref, withTimeout, type Transport } from "./http";
import type { TrackEvent } from "./types";

/** The most of a refusal the client reads (a 422 lists at most one problem per event of a batch). */
const maxRefusalBytes = 1024 * 1024;

const maxBatch = 500;
const maxQueued = 10_000;
const maxBackoffMs = 60_000;

type Problem = { index: number; field: string; message: string };

const newId = (): string =>
  typeof globalThis.crypto?.randomUUID === "function"
    ? globalThis.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export class Tracker implements ExitQueue {
  private queue: TrackEvent[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** The last flush: the next one runs after it (drain never rejects). */
  private flushing: Promise<void> = Promise.resolve();
  /** Events of batches sent and not yet answered. */
  private inFlight = 0;
  private failures = 0;

  constructor(
    private readonly transport: Transport,
    private readonly opts: { flushIntervalMs: number; onError: (e: Error) => void; now: () => number },
  ) {}

  track(event: TrackEvent): void {
    if (this.queue.length >= maxQueued) {
      this.opts.onError(
        new LecternError(`track(): more than ${maxQueued} events waiting to be sent; dropping the oldest`, {
          code: "queue_full",
        }),
      );
      this.queue.shift();
    }
    this.queue.push({
      ...event,
      id: event.id ?? newId(),
      at: event.at ?? new Date(this.opts.now()).toISOString(),
    } as TrackEvent);
    holdsEvents(this);
    if (this.queue.length >= 100) void this.flush();
    else this.schedule(this.opts.flushIntervalMs);
  }

  private schedule(ms: number) {
    this.timer ??= unref(
      setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, ms),
    );
  }

  /**
   * Sends everything queued (one batch after another); resolves when it was acknowledged, or a send failed
   * (the batch is kept for later). Never rejects. Sends run one at a time: a flush that arrives while one
   * runs waits for it and then sends what is left, so close() resolves only after every event queued before
   * it was answered.
   */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.drain());
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, maxBatch);
      this.inFlight += batch.length;
      const ok = await this.send(batch).then(
        () => true,
        () => false,
      );
      this.inFlight -= batch.length;
      if (!ok) return;
    }
    if (this.pending() === 0) drained(this);
  }

  pending(): number {
    return this.queue.length + this.inFlight;
  }

  report(message: string): void {
    this.opts.onError(new LecternError(message, { code: "events_not_sent" }));
  }

  private async send(batch: TrackEvent[]): Promise<void> {
    const t = this.transport;
    try {
      // One deadline for the answer and its body; no redirect (the key is for baseUrl's origin alone).
      const { res, text } = await withTimeout(t.timeoutMs, "sending events", async (signal) => {
        const res = await t.fetch(`${t.baseUrl}/api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${t.apiKey}`, "content-type": "application/json" },
          body: JSON.stringify({ events: batch }),
          signal,
          redirect: "error",
        });
        return { res, text: await readBody(res, signal, "sending events", maxRefusalBytes) };
      });
      if (res.status === 202) {
        this.failures = 0;
        return;
      }
      type Refusal = { error?: { message?: string; details?: { problems?: Problem[] } } } | null;
      const body = ((): Refusal => {
        try {
          return JSON.parse(text) as Refusal;
        } catch {
          return null;
        }
      })();
      if (res.status === 422 && body?.error?.details?.problems) {
        const bad = new Set(body.error.details.problems.map((p) => p.index));
        this.opts.onError(
          new LecternError(`Lectern refused ${bad.size} event(s): ${body.error.message}`, {
            code: "invalid_events",
            details: { problems: body.error.details.problems },
          }),
        );
        const rest = batch.filter((_, i) => !bad.has(i));
        if (rest.length && bad.size) {
          this.queue.unshift(...rest);
          holdsEvents(this);
        }
        return;
      }
      if (res.status === 429 || res.status >= 500)
        throw new LecternError(`Lectern answered ${res.status} to events`, { code: "unavailable", status: res.status });
      this.opts.onError(
        new LecternError(`Lectern refused the events (${res.status}): ${body?.error?.message ?? ""}`, {
          code: "events_refused",
          status: res.status,
        }),
      );
    } catch (e) {
      // Kept for a later attempt, in order, with backoff.
      this.queue.unshift(...batch);
      holdsEvents(this);
      this.failures++;
      this.opts.onError(e instanceof Error ? e : new Error(String(e)));
      this.schedule(Math.min(maxBackoffMs, 1_000 * 2 ** Math.min(this.failures - 1, 6)));
      throw e;
    }
  }
}
