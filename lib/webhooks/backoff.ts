// When a failed delivery is tried again: 30 s, then doubling up to 6 h between attempts, for 24 h
// after the delivery was created, with one last attempt at the end of the window.

export const DELIVERY_TIMEOUT_MS = 10_000;
export const RETRY_WINDOW_MS = 24 * 3600 * 1000;
export const FIRST_RETRY_SECONDS = 30;
export const MAX_RETRY_SECONDS = 6 * 3600;

/** Seconds to wait after the n-th failed attempt (n ≥ 1). */
export function retryDelaySeconds(failedAttempts: number): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1)
    throw new Error("failedAttempts must be a whole number ≥ 1");
  return Math.min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** Math.min(failedAttempts - 1, 30));
}

/** The next attempt after `failedAttempts` failures, or null when the 24-hour window is used up. */
export function nextAttemptAt(createdAt: Date, failedAttempts: number, now: Date): Date | null {
  const deadline = createdAt.getTime() + RETRY_WINDOW_MS;
  if (now.getTime() >= deadline) return null;
  const next = now.getTime() + retryDelaySeconds(failedAttempts) * 1000;
  return new Date(Math.min(next, deadline));
}
