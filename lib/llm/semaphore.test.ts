import { describe, expect, it } from "vitest";
import { Semaphore } from "./semaphore";

const tick = () => new Promise((r) => setImmediate(r));

describe("Semaphore", () => {
  it.each([0, -1, 1.5, Number.NaN])("rejects the limit %s", (limit) => {
    expect(() => new Semaphore(limit)).toThrow(/whole number ≥ 1/);
  });

  it("never lets more than `limit` tasks run at once", async () => {
    const sem = new Semaphore(3);
    let running = 0;
    let max = 0;
    const gates: Array<() => void> = [];
    const tasks = Array.from({ length: 10 }, () =>
      sem.run(async () => {
        running++;
        max = Math.max(max, running);
        await new Promise<void>((r) => gates.push(r));
        running--;
      }),
    );
    // Release one task at a time, checking the invariant after every step.
    for (let done = 0; done < 10; done++) {
      await tick();
      expect(running).toBeLessThanOrEqual(3);
      expect(sem.inUse).toBe(Math.min(3, 10 - done));
      gates.shift()?.();
    }
    await Promise.all(tasks);
    expect(max).toBe(3);
    expect(sem.inUse).toBe(0);
    expect(sem.waiting).toBe(0);
  });

  it("serves waiters in arrival order", async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => sem.acquire().then((r) => (order.push(n), r())));
    expect(sem.waiting).toBe(3);
    release();
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
  });

  it("ignores a second release of the same permit", async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    release();
    release();
    expect(sem.inUse).toBe(0);
    const again = await sem.acquire();
    expect(sem.inUse).toBe(1);
    again();
  });

  it("releases the permit when the task throws", async () => {
    const sem = new Semaphore(1);
    await expect(sem.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(sem.inUse).toBe(0);
  });

  it("drops an aborted waiter from the queue", async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const ac = new AbortController();
    const waiting = sem.acquire(ac.signal);
    expect(sem.waiting).toBe(1);
    ac.abort(new Error("cancelled"));
    await expect(waiting).rejects.toThrow("cancelled");
    expect(sem.waiting).toBe(0);
    release();
    expect(sem.inUse).toBe(0);
  });

  it("rejects at once when the signal is already aborted", async () => {
    const sem = new Semaphore(2);
    await expect(sem.acquire(AbortSignal.abort(new Error("late")))).rejects.toThrow("late");
    expect(sem.inUse).toBe(0);
  });
});
