import { describe, expect, it } from "vitest";
import { nextAttemptAt, retryDelaySeconds, RETRY_WINDOW_MS } from "./backoff";

describe("retry schedule", () => {
  it.each([
    [1, 30],
    [2, 60],
    [3, 120],
    [4, 240],
    [5, 480],
    [8, 3840],
    [10, 15360],
    [11, 21600],
    [12, 21600],
    [40, 21600],
  ])("after %i failed attempts wait %i s", (n, s) => {
    expect(retryDelaySeconds(n)).toBe(s);
  });

  it("rejects a nonsensical attempt count", () => {
    expect(() => retryDelaySeconds(0)).toThrow();
  });

  it("retries for 24 hours after creation, with a last attempt at the end of the window", () => {
    const created = new Date("2026-11-20T00:00:00Z");
    let now = created;
    const attempts: Date[] = [now];
    for (let n = 1; ; n++) {
      const next = nextAttemptAt(created, n, now);
      if (!next) break;
      expect(next.getTime()).toBeGreaterThan(now.getTime());
      attempts.push(next);
      now = next;
    }
    expect(attempts.at(-1)!.getTime() - created.getTime()).toBe(RETRY_WINDOW_MS);
    expect(attempts.length).toBe(14);
    expect(attempts.slice(0, 4).map((d) => (d.getTime() - created.getTime()) / 1000)).toEqual([0, 30, 90, 210]);
  });

  it("gives up once the window has passed", () => {
    const created = new Date("2026-11-20T00:00:00Z");
    expect(nextAttemptAt(created, 3, new Date(created.getTime() + RETRY_WINDOW_MS))).toBeNull();
    expect(nextAttemptAt(created, 3, new Date(created.getTime() + RETRY_WINDOW_MS - 1000))?.getTime()).toBe(
      created.getTime() + RETRY_WINDOW_MS,
    );
  });
});
