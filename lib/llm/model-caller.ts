// A ModelCaller is one connection made ready to call: its AI SDK providers (built once), its
// concurrency limiter, its price overrides, and the clock and random source its retries use. Keep one
// caller per connection for the life of the process: the concurrency limit is only shared by calls
// that go through the same caller.
import { setTimeout as sleep } from "node:timers/promises";
import type { EmbeddingModel, LanguageModel } from "ai";
import { createProviders, noEmbeddings, parseConnection, type Connection, type ConnectionInput } from "./connection";
import { createImageFetcher, type ImageFetcher } from "./image-fetch";
import type { PriceTable } from "./pricing";
import { classifyError, defaultRetryPolicy, retryDelay, type ClassifiedError, type RetryPolicy } from "./retry";
import { Semaphore } from "./semaphore";

export interface Clock {
  /** Milliseconds on a monotonic scale, for durations. */
  now(): number;
  /** Waits between retries; must reject when the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: async (ms, signal) => {
    await sleep(ms, undefined, { signal });
  },
};

export interface ModelCallerOptions {
  /** The project's price overrides (see pricing.ts); defaults apply to every other model. */
  prices?: PriceTable;
  clock?: Clock;
  /** A number in [0, 1); only used for backoff jitter. */
  random?: () => number;
  /** Backoff tuning; the number of retries comes from the connection. */
  retry?: Partial<Omit<RetryPolicy, "maxRetries">>;
  /** The fetch the providers use (the resolver passes one that refuses private addresses and redirects). */
  fetch?: typeof globalThis.fetch;
  /**
   * How the images of a call are fetched. The resolver passes one under the project connections' address
   * rule; without one, image URLs may reach public addresses only.
   */
  images?: ImageFetcher;
}

export interface ModelCaller {
  readonly connection: Connection;
  readonly limiter: Semaphore;
  readonly prices: PriceTable;
  readonly clock: Clock;
  readonly random: () => number;
  readonly retry: RetryPolicy;
  readonly images: ImageFetcher;
  languageModel(modelId: string): LanguageModel;
  /** Throws unprocessable when the connection's provider offers no embeddings. */
  embeddingModel(modelId: string): EmbeddingModel;
}

/** Validates the connection (AppError invalid_input naming the field) and prepares it for calls. */
export function createModelCaller(
  connection: ConnectionInput | Connection,
  options: ModelCallerOptions = {},
): ModelCaller {
  const conn = parseConnection(connection);
  const providers = createProviders(conn, options.fetch);
  const models = new Map<string, LanguageModel>();
  const embedders = new Map<string, EmbeddingModel>();
  return {
    connection: conn,
    limiter: new Semaphore(conn.concurrency),
    prices: options.prices ?? {},
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    retry: { ...defaultRetryPolicy, ...options.retry, maxRetries: conn.maxRetries },
    images: options.images ?? createImageFetcher({ allowPrivate: false }),
    languageModel(modelId) {
      let m = models.get(modelId);
      if (!m) models.set(modelId, (m = providers.language(modelId)));
      return m;
    },
    embeddingModel(modelId) {
      if (!providers.embedding) throw noEmbeddings(conn);
      let m = embedders.get(modelId);
      if (!m) embedders.set(modelId, (m = providers.embedding(modelId)));
      return m;
    },
  };
}

export interface AttemptOutcome<T> {
  value?: T;
  error?: ClassifiedError;
  attempts: number;
  /** Duration of the last attempt. */
  latencyMs: number;
  /** Start of the last attempt on the caller's clock (for ttft). */
  lastAttemptStart: number;
  totalMs: number;
}

class TimeoutSignal extends Error {
  constructor() {
    super("timeout");
    this.name = "TimeoutError";
  }
}

/**
 * Runs `attempt` under the caller's concurrency limit, with a per-attempt timeout, retrying retryable
 * failures after the policy's backoff (or the provider's Retry-After). The permit is held across
 * backoffs on purpose: a rate-limited connection should slow down, not admit more calls. Never throws.
 */
export async function withRetries<T>(
  caller: ModelCaller,
  opts: { timeoutMs?: number; abortSignal?: AbortSignal },
  attempt: (signal: AbortSignal, startedAt: number) => Promise<T>,
): Promise<AttemptOutcome<T>> {
  const { clock } = caller;
  const start = clock.now();
  const timeoutMs = opts.timeoutMs ?? caller.connection.timeoutMs;
  const user = opts.abortSignal;
  const done = (o: Omit<AttemptOutcome<T>, "totalMs">): AttemptOutcome<T> => ({ ...o, totalMs: clock.now() - start });
  const aborted = (): ClassifiedError =>
    classifyError(user?.reason, { aborted: true, timedOut: false, nowMs: Date.now() });

  let release: () => void;
  try {
    release = await caller.limiter.acquire(user);
  } catch {
    return done({ error: aborted(), attempts: 0, latencyMs: 0, lastAttemptStart: start });
  }
  try {
    for (let retry = 0; ; retry++) {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new TimeoutSignal());
      }, timeoutMs);
      const onAbort = () => controller.abort(user?.reason);
      user?.addEventListener("abort", onAbort, { once: true });
      if (user?.aborted) onAbort();
      const attemptStart = clock.now();
      let error: ClassifiedError;
      try {
        const value = await attempt(controller.signal, attemptStart);
        return done({
          value,
          attempts: retry + 1,
          latencyMs: clock.now() - attemptStart,
          lastAttemptStart: attemptStart,
        });
      } catch (e) {
        error = classifyError(e, { timedOut, aborted: user?.aborted ?? false, nowMs: Date.now() });
      } finally {
        clearTimeout(timer);
        user?.removeEventListener("abort", onAbort);
      }
      const latencyMs = clock.now() - attemptStart;
      const delay = retryDelay(error, retry, caller.retry, caller.random);
      if (delay === null) return done({ error, attempts: retry + 1, latencyMs, lastAttemptStart: attemptStart });
      try {
        await clock.sleep(delay, user);
      } catch {
        return done({ error: aborted(), attempts: retry + 1, latencyMs, lastAttemptStart: attemptStart });
      }
    }
  } finally {
    release();
  }
}
