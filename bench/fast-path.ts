// The runtime fast path (docs/runtime.md): resolve on an L1 hit against bare node:http returning the same
// bytes, the same while Next renders pages, and memory over many requests. Event ingest is in
// ingest.ts, 2,000 SSE connections in sse.ts.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { freePort } from "../test/cluster/harness";
import { hasWrk, load, medianBy, type Load } from "./load-tool";
import { rssMiB } from "./procs";

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
