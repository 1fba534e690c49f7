// Event ingest over HTTP: metric events through POST /api/v1/events in batches of 500.
import { randomUUID } from "node:crypto";
import { summarize } from "./stats";

/** Metric events through POST /api/v1/events in batches of 500, `concurrency` batches in flight. */
export async function ingest(base: string, key: string, prompt: string, batches: number, concurrency = 4) {
  const batch = () =>
    JSON.stringify({
      events: Array.from({ length: 500 }, (_, i) => ({
        id: randomUUID(),
        type: "metric",
        name: "score",
        value: i % 7,
        prompt,
        version: 1,
        subject: `s-${i}`,
      })),
    });
  const { seconds, batchMs } = await inFlight(batches, concurrency, batch, async (body) => {
    const res = await fetch(`${base}/api/v1/events`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body,
    });
    const text = await res.text();
    if (res.status !== 202) throw new Error(`ingest failed: ${res.status} ${text}`);
  });
  return { events: batches * 500, seconds, eventsPerSecond: (batches * 500) / seconds, batchMs };
}

/**
 * Sends `count` batches, `concurrency` in flight: each made by `make` (untimed), then timed while `send` sends it.
 * Returns the seconds in all and the summary of the batches' latencies in ms.
 */
export async function inFlight<B>(
  count: number,
  concurrency: number,
  make: (i: number) => B,
  send: (body: B) => Promise<void>,
) {
  const latencies: number[] = [];
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const body = make(next++);
        const t0 = performance.now();
        await send(body);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  return { seconds: (performance.now() - t) / 1000, batchMs: summarize(latencies) };
}
