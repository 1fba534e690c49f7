// A counting semaphore with a FIFO queue: at most `limit` holders at once, waiters served in arrival
// order so no caller starves. Used as the per-connection concurrency limit.

export class Semaphore {
  readonly limit: number;
  #inUse = 0;
  #queue: Array<{ grant: () => void }> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`Semaphore limit must be a whole number ≥ 1, got ${limit}`);
    this.limit = limit;
  }

  /** Permits currently held. */
  get inUse(): number {
    return this.#inUse;
  }

  /** Callers waiting for a permit. */
  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Resolves with a release function once a permit is free. Calling release more than once is harmless.
   * If `signal` aborts while waiting, the waiter leaves the queue and the promise rejects with the
   * signal's reason.
   */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#inUse < this.limit && this.#queue.length === 0) {
      this.#inUse++;
      return Promise.resolve(this.#releaser());
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve(this.#releaser());
        },
      };
      const onAbort = () => {
        const i = this.#queue.indexOf(waiter);
        if (i >= 0) this.#queue.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  /** Runs fn while holding a permit. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      // Hand the permit straight to the next waiter, so inUse never dips and a newcomer cannot jump the queue.
      if (next) next.grant();
      else this.#inUse--;
    };
  }
}
