// The lane batch answers are made on: one slice per turn of the event loop, and what arrives on a socket meanwhile
// is handled between two slices, not after all of them (docs/decisions/bounded-work.md). Order is asserted, never time.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { WorkLane } from "./work-lane";

/** Keeps the thread busy for about `ms` (a slice of a batch answer). */
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

describe("WorkLane", () => {
  it("gives each waiter its own turn, in order", async () => {
    const lane = new WorkLane();
    const order: number[] = [];
    await Promise.all([1, 2, 3].map(async (i) => (await lane.turn(), order.push(i))));
    expect(order).toEqual([1, 2, 3]);
    expect(lane.queued).toBe(0);
  });

  it("answers a request that arrives while 100 slices wait, long before they are done", async () => {
    const lane = new WorkLane();
    let slices = 0;
    const server = createServer((_req, res) => res.end(String(slices)));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      await (await fetch(url)).text(); // the connection machinery warmed up
      const work = Array.from({ length: 100 }, async () => {
        await lane.turn();
        busy(1);
        slices++;
      });
      const answeredAfter = Number(await (await fetch(url)).text());
      await Promise.all(work);
      expect(slices).toBe(100);
      // Without the lane, all 100 slices would run before the request is read (it answered 100).
      expect(answeredAfter).toBeLessThan(50);
    } finally {
      server.close();
    }
  }, 60_000);
});
