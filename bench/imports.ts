// `npm run bench:imports` (`-- --quick` for short rounds): the management API beside prompt file imports. One
// instance of the production build on PostgreSQL + Redis at 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL
// override). The victim reads `GET /api/v1/project` (a route Next answers, in the process that reads imports) at a
// steady 20 requests/s over 2 connections; beside it, six clients import at once, in bursts (each once a period):
// a Dotprompt file of `"{{x}} "` × 33,000 (198 KB, refused: past the reading budget), and a file at the budget
// (1,000 tags, read whole); then the same six in a flood (each again as soon as answered), which any endpoint
// hammered so costs the process. Prints the victim's p50/p99/max beside each (the median round by p99 of 3
// alternating rounds) and what the imports were answered, with their slowest answer; asserts nothing.
import { monitorEventLoopDelay } from "node:perf_hooks";
import autocannon from "autocannon";
import { readFile } from "../lib/registry/formats/files";
import { api } from "../test/cluster/harness";
import { benchAdminKey as adminKey, benchOneServer } from "./one-server";
import type { Row } from "./report";

const quick = process.argv.includes("--quick");
const seconds = quick ? 5 : 15;
const dotprompt = (tags: number) => `---\nname: bench/imported\n---\n${"{{x}} ".repeat(tags)}`;

type Latency = { p50Ms: number; p99Ms: number; maxMs: number; rps: number; non2xx: number };
type Imports = { answered: Record<string, number>; slowestMs: number; count: number };

async function victim(base: string): Promise<Latency> {
  const r = await autocannon({
    url: `${base}/api/v1/project`,
    connections: 2,
    overallRate: 20,
    duration: seconds,
    headers: { authorization: `Bearer ${adminKey}` },
  });
  return {
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    rps: r.requests.average,
    non2xx: r.non2xx,
  };
}

/**
 * Six clients importing `source` until `stop`, each once every `periodMs` (so six at once, as in a burst) or,
 * without one, each again as soon as it is answered (a flood); what they were answered.
 */
async function importers(base: string, source: string, stop: AbortSignal, periodMs?: number): Promise<Imports> {
  const got: Imports = { answered: {}, slowestMs: 0, count: 0 };
  const start = performance.now();
  const one = async () => {
    while (!stop.aborted) {
      if (periodMs) {
        const wait = periodMs - ((performance.now() - start) % periodMs);
        await new Promise((r) => setTimeout(r, wait));
        if (stop.aborted) break;
      }
      const sent = performance.now();
      const res = await fetch(`${base}/api/v1/prompts/import`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ format: "dotprompt", source }),
      }).catch(() => undefined);
      await res?.arrayBuffer();
      const key = String(res?.status ?? "error");
      got.answered[key] = (got.answered[key] ?? 0) + 1;
      got.slowestMs = Math.max(got.slowestMs, Math.round(performance.now() - sent));
      got.count++;
      // A 429 (the waiting line is full) says to come back: do, after a breath.
      if (res?.status === 429) await new Promise((r) => setTimeout(r, 200));
    }
  };
  await Promise.all(Array.from({ length: 6 }, one));
  return got;
}

/** In this process: the longest the event loop waits while six files are read at once (what reading holds it for). */
async function loopDelay(tags: number): Promise<{ p99Ms: number; maxMs: number; totalMs: number }> {
  await readFile("dotprompt", dotprompt(tags), () => undefined).catch(() => undefined); // warm
  const h = monitorEventLoopDelay({ resolution: 5 });
  const t = performance.now();
  h.enable();
  await Promise.all(
    Array.from({ length: 6 }, () => readFile("dotprompt", dotprompt(tags), () => undefined).catch(() => undefined)),
  );
  h.disable();
  const ms = (ns: number) => Math.round(ns / 1e6);
  return { p99Ms: ms(h.percentile(99)), maxMs: ms(h.max), totalMs: Math.round(performance.now() - t) };
}

benchOneServer("imports", {}, async (server) => {
  const inProcess: Row[] = [];
  const loops: Record<string, unknown> = {};
  for (const tags of [33_000, 1_000]) {
    const d = (loops[tags] = await loopDelay(tags)) as Awaited<ReturnType<typeof loopDelay>>;
    inProcess.push([
      `in process: six Dotprompt files of ${tags.toLocaleString("en-US")} tags read at once (${tags > 1_000 ? "refused" : "read whole"})`,
      `${d.totalMs} ms for the six`,
      `event loop delay p99 ${d.p99Ms} ms · max ${d.maxMs} ms`,
      "max < 250 ms",
    ]);
  }
  const first = await api(server, "POST", "/api/v1/prompts/import", adminKey, {
    format: "dotprompt",
    source: dotprompt(1_000),
  });
  if (first.status !== 201) throw new Error(`setup: ${first.status} ${JSON.stringify(first.body)}`);
  const scenarios = [
    { what: "GET /api/v1/project at 20/s, alone", source: undefined, target: "—" },
    {
      what: '… while six import "{{x}} " × 33,000 (198 KB) at once, every second',
      source: dotprompt(33_000),
      periodMs: 1_000,
      target: "p99 < 250 ms",
    },
    {
      what: "… while six import a file at the budget (1,000 tags) at once, every 2 s",
      source: dotprompt(1_000),
      periodMs: 2_000,
      target: "p99 < 250 ms",
    },
    {
      what: "… while six import a file at the budget, each again as soon as answered (a flood)",
      source: dotprompt(1_000),
      target: "—",
    },
  ];
  const rounds = quick ? 1 : 3;
  const measured = scenarios.map(() => [] as { latency: Latency; imports?: Imports }[]);
  for (let round = 0; round < rounds; round++)
    for (const [i, s] of scenarios.entries()) {
      if (!s.source) {
        measured[i]!.push({ latency: await victim(server.url) });
        continue;
      }
      const stop = new AbortController();
      const running = importers(server.url, s.source, stop.signal, s.periodMs);
      await new Promise((r) => setTimeout(r, 500)); // the imports under way before the first measured request
      const latency = await victim(server.url);
      stop.abort();
      measured[i]!.push({ latency, imports: await running });
    }
  const rows: Row[] = scenarios.map((s, i) => {
    const all = measured[i]!;
    const median = [...all].sort((a, b) => a.latency.p99Ms - b.latency.p99Ms)[Math.floor(all.length / 2)]!;
    const l = median.latency;
    const imports = median.imports
      ? ` (imports: ${Object.entries(median.imports.answered)
          .map(([st, n]) => `${n}×${st}`)
          .join(" ")}, slowest ${median.imports.slowestMs} ms)`
      : "";
    return [
      `${s.what}${imports}`,
      `${Math.round(l.rps)} req/s${l.non2xx ? `, ${l.non2xx} not 2xx` : ""}`,
      `p50 ${l.p50Ms} ms · p99 ${l.p99Ms} ms · max ${l.maxMs} ms (p99 of the rounds: ${all.map((r) => r.latency.p99Ms).join(", ")} ms)`,
      s.target,
    ];
  });
  return { rows: [...inProcess, ...rows], results: { seconds, loops, measured } };
});
