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
  const latencies: number[] = [];
  let next = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < batches) {
        next++;
        const body = batch();
        const t0 = performance.now();
        const res = await fetch(`${base}/api/v1/events`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body,
        });
        const text = await res.text();
        if (res.status !== 202) throw new Error(`ingest failed: ${res.status} ${text}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - t) / 1000;
  return { events: batches * 500, seconds, eventsPerSecond: (batches * 500) / seconds, batchMs: summarize(latencies) };
}
