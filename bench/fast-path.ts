// The runtime fast path (issue 14): resolve on an L1 hit against bare node:http returning the same
// bytes, memory over many requests, event ingest in batches of 500, and 2,000 SSE connections.
// Uses wrk when installed (a C load generator: autocannon, in JavaScript, saturates first), else autocannon.
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { request, type IncomingMessage } from "node:http";
import autocannon from "autocannon";
import { freePort } from "../test/cluster/harness";
import { rssMiB } from "./procs";
import { summarize } from "./stats";

export type Load = { rps: number; p50Ms: number; p99Ms: number; requests: number; errors: number; tool: string };

export function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (e) {
    // wrk --version exits 1 after printing its version; only a missing binary is ENOENT.
    return (e as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

const msOf = (v: string, unit: string) => Number(v) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[unit]!;

// Each connection waits this many milliseconds before each request (wrk's `delay` hook): a steady
// offered load below saturation, where latency is the server's own and not the queue a closed loop builds.
const PACED_SCRIPT = "/tmp/lectern-bench-paced.lua";
const PACED_LUA =
  "local pause = 0\nfunction init(args) pause = tonumber(args[1]) end\nfunction delay() return pause end\n";

/**
 * `connections` connections for `seconds` seconds, as fast as they go (a closed loop: at saturation,
 * latency is mostly the queue); with `pauseMs`, each connection waits that long before each request (wrk only).
 */
export async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
  wrk: boolean,
  pauseMs?: number,
): Promise<Load> {
  if (wrk) {
    if (pauseMs !== undefined) writeFileSync(PACED_SCRIPT, PACED_LUA);
    const paced = pauseMs === undefined ? [] : ["-s", PACED_SCRIPT];
    const args = [
      "-t1",
      `-c${connections}`,
      `-d${seconds}s`,
      "--latency",
      ...paced,
      ...Object.entries(headers).flatMap(([k, v]) => ["-H", `${k}: ${v}`]),
      url,
      ...(pauseMs === undefined ? [] : ["--", String(pauseMs)]),
    ];
    const out = await new Promise<string>((resolve, reject) => {
      const p = spawn("wrk", args);
      let s = "";
      p.stdout.on("data", (d) => (s += d));
      p.stderr.on("data", (d) => (s += d));
      p.on("exit", (code) => (code === 0 ? resolve(s) : reject(new Error(`wrk failed: ${s}`))));
    });
    const pct = (q: string) => {
      const m = new RegExp(`^\\s+${q}%\\s+([\\d.]+)(us|ms|s)`, "m").exec(out);
      return m ? msOf(m[1]!, m[2]!) : NaN;
    };
    const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
    const sock = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
    return {
      rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
      p50Ms: pct("50"),
      p99Ms: pct("99"),
      requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
      errors: non2xx + (sock ? sock.slice(1).reduce((a, b) => a + Number(b), 0) : 0),
      tool: "wrk -t1",
    };
  }
  if (pauseMs !== undefined) throw new Error("a paced load needs wrk (apt-get install -y wrk)");
  const r = await autocannon({ url, headers, duration: seconds, connections, pipelining: 1 });
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    errors: r.errors + r.non2xx,
    tool: "autocannon",
  };
}

/** The middle one of `xs` ordered by `key` (a round, not a mix of rounds). */
export const medianBy = <T>(xs: T[], key: (x: T) => number): T =>
  [...xs].sort((a, b) => key(a) - key(b))[Math.floor(xs.length / 2)]!;

/** Resolve (L1 hit) vs bare node:http with the same bytes, alternating rounds; the median round of each. */
export async function resolveVsBare(
  base: string,
  key: string,
  path: string,
  opts: { rounds: number; seconds: number; connections: number },
) {
  const wrk = hasWrk();
  const headers = { authorization: `Bearer ${key}` };
  const res = await fetch(base + path, { headers });
  const body = await res.text();
  if (res.status !== 200 || res.headers.get("x-lectern-cache") === null)
    throw new Error(`resolve failed: ${res.status} ${body}`);
  const answerHeaders: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    if (!["date", "connection", "keep-alive", "content-length", "transfer-encoding"].includes(k)) answerHeaders[k] = v;
  });
  const file = `/tmp/lectern-bare-${process.pid}.json`;
  writeFileSync(file, JSON.stringify({ status: 200, headers: answerHeaders, body }));
  const port = await freePort();
  const bare = spawn(process.execPath, ["bench/bare-server.mjs", file, String(port)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((r) => bare.stdout!.once("data", r));
  const bareUrl = `http://127.0.0.1:${port}/`;
  try {
    await load(bareUrl, headers, 2, opts.connections, wrk); // warm-up
    await load(base + path, headers, 2, opts.connections, wrk);
    const lectern: Load[] = [];
    const node: Load[] = [];
    for (let i = 0; i < opts.rounds; i++) {
      node.push(await load(bareUrl, headers, opts.seconds, opts.connections, wrk));
      lectern.push(await load(base + path, headers, opts.seconds, opts.connections, wrk));
    }
    const l = medianBy(lectern, (x) => x.rps);
    const b = medianBy(node, (x) => x.rps);
    // The same connections at a steady rate near the 10,000 req/s floor (3 ms between a connection's
    // requests): the latency a client sees when the instance is busy but not saturated.
    let paced: { lectern: Load; bare: Load; pauseMs: number } | undefined;
    if (wrk) {
      const pauseMs = 3;
      const pl: Load[] = [];
      const pb: Load[] = [];
      for (let i = 0; i < opts.rounds; i++) {
        pb.push(await load(bareUrl, headers, opts.seconds, opts.connections, wrk, pauseMs));
        pl.push(await load(base + path, headers, opts.seconds, opts.connections, wrk, pauseMs));
      }
      paced = { lectern: medianBy(pl, (x) => x.p99Ms), bare: medianBy(pb, (x) => x.p99Ms), pauseMs };
    }
    return { tool: l.tool, lectern: l, bare: b, ratio: l.rps / b.rps, bodyBytes: Buffer.byteLength(body), paced };
  } finally {
    bare.kill();
  }
}

export type UiLoad = { resolve: Load; pagesPerSecond: number };

/**
 * Resolve on an L1 hit, paced as in resolveVsBare, while 8 other clients keep Next rendering the sign-in
 * page on the same instance: whether the runtime API's latency depends on what the UI is doing.
 */
export async function resolveUnderUiLoad(base: string, key: string, path: string, seconds: number): Promise<UiLoad> {
  const pages = load(`${base}/login`, {}, seconds + 2, 8, true);
  await new Promise((r) => setTimeout(r, 1000));
  const resolve = await load(base + path, { authorization: `Bearer ${key}` }, seconds, 32, true, 3);
  const p = await pages;
  if (p.errors) throw new Error(`the page load failed: ${p.errors} errors`);
  return { resolve, pagesPerSecond: p.rps };
}

/**
 * RSS of the server before and while `total` L1-hit resolves are sent, in 5 s rounds: whatever grows after
 * the first round (warm-up: the JIT, the heap settling) would be growth per request.
 */
export async function memoryOver(base: string, key: string, path: string, pid: number | undefined, total: number) {
  const wrk = hasWrk();
  const before = rssMiB(pid);
  const samples: { requests: number; rssMiB: number }[] = [];
  let done = 0;
  const t = performance.now();
  while (done < total) {
    const r = await load(base + path, { authorization: `Bearer ${key}` }, 5, 32, wrk);
    if (!r.requests) throw new Error("no request completed");
    done += r.requests;
    samples.push({ requests: done, rssMiB: rssMiB(pid) });
  }
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  return {
    requests: done,
    seconds: (performance.now() - t) / 1000,
    rssBeforeMiB: before,
    rssAfterMiB: last.rssMiB,
    afterFirstRound: first,
    samples,
    growthAfterFirstMiB: last.rssMiB - first.rssMiB,
  };
}

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
    const res = await fetch(`${base}/api/v1/prompts/${admin.prompt}/${target === 2 ? "deployments" : "rollback"}`, {
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
