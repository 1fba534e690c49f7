// SSE fan-out: thousands of event-stream connections held on one instance, and how fast a deployment
// reaches all of them.
import { request, type IncomingMessage } from "node:http";
import { rssMiB } from "./procs";
import { summarize } from "./stats";

/**
 * `n` SSE connections held on one instance: RSS before/after, heartbeats seen, and how long a
 * deployment takes to reach every client, from the moment the call is sent (the change is published
 * before the call returns, so clients often hear of it first), over `trials` changes.
 */
export async function sse(
  base: string,
  key: string,
  admin: { key: string; prompt: string },
  pid: number | undefined,
  n: number,
  trials: number,
  holdMs: number,
) {
  const rssBefore = rssMiB(pid);
  const clients: { res: IncomingMessage; buf: string; heartbeats: number; onFrame?: (f: string) => void }[] = [];
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        `${base}/api/v1/events`,
        { headers: { authorization: `Bearer ${key}` }, agent: false },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`SSE ${res.statusCode}`));
          const c = { res, buf: "", heartbeats: 0, onFrame: undefined as ((f: string) => void) | undefined };
          clients.push(c);
          res.setEncoding("utf8");
          res.on("data", (d: string) => {
            c.buf += d;
            const parts = c.buf.split("\n\n");
            c.buf = parts.pop()!;
            for (const f of parts) {
              if (f.startsWith(": heartbeat")) c.heartbeats++;
              c.onFrame?.(f);
              if (f.includes(": connected")) resolve();
            }
          });
        },
      );
      req.on("error", reject);
      req.end();
    });
  for (let i = 0; i < n; i += 100) await Promise.all(Array.from({ length: Math.min(100, n - i) }, open));
  const rssOpen = rssMiB(pid);
  await new Promise((r) => setTimeout(r, holdMs));
  const withHeartbeat = clients.filter((c) => c.heartbeats > 0).length;
  const perClient: number[] = [];
  const allMs: number[] = [];
  for (let t = 0; t < trials; t++) {
    const target = t % 2 === 0 ? 2 : 1;
    const sent = performance.now();
    const seen = clients.map(
      (c) =>
        new Promise<number>((resolve) => {
          c.onFrame = (f) => {
            if (
              f.includes("event: prompt.changed") &&
              f.includes(`"name":"${admin.prompt}"`) &&
              f.includes(`"version":${target}`)
            )
              resolve(performance.now());
          };
        }),
    );
    // A deployment each way, never a rollback: a rolled-back version goes live again only when a person confirms
    // it (docs/decisions/rolled-back-versions.md), and this is automation.
    const res = await fetch(`${base}/api/v1/prompts/${admin.prompt}/deployments`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.key}`, "content-type": "application/json" },
      body: JSON.stringify({ environment: "production", version: target }),
    });
    if (res.status !== 201) throw new Error(`deploy failed: ${res.status} ${await res.text()}`);
    const times = await Promise.race([
      Promise.all(seen),
      new Promise<never>((_, rej) =>
        setTimeout(() => rej(new Error("a change did not reach every SSE client within 30 s")), 30_000),
      ),
    ]);
    for (const x of times) perClient.push(x - sent);
    allMs.push(Math.max(...times) - sent);
  }
  const rssAfter = rssMiB(pid);
  for (const c of clients) c.res.destroy();
  return {
    connections: clients.length,
    withHeartbeat,
    holdSeconds: holdMs / 1000,
    rssBeforeMiB: rssBefore,
    rssOpenMiB: rssOpen,
    rssAfterMiB: rssAfter,
    perClientMs: summarize(perClient),
    allClientsMs: summarize(allMs),
  };
}
