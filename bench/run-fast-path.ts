// The bench's fast-path section (docs/benchmarks.md, docs/runtime.md): resolve against bare node:http with the same bytes, in the
// three ways an instance can run (Next in its own process, in the same process, not at all), under UI
// load, memory over a million requests, event and OTLP ingest, the ingest budget, and SSE fan-out.
import { api, freePort, ServerProcess } from "../test/cluster/harness";
import { hasWrk, medianBy } from "./load-tool";
import { memoryOver, resolveUnderUiLoad, resolveVsBare, type UiLoad } from "./fast-path";
import { ingest } from "./ingest";
import { ingestBudgetCost } from "./limits";
import { otlpIngest } from "./otlp";
import { rssMiB } from "./procs";
import { ms, type Report } from "./report";
import { vsBareRows } from "./rows";
import type { Servers } from "./run-http";
import { sse } from "./sse";

export async function fastPath({ results, rows }: Report, { a, env, adminKey, runtimeKey, quick }: Servers) {
  // The fast path against bare node:http (same bytes), memory, ingest, SSE fan-out.
  const path = "/api/v1/prompts/resolve?name=bench-prompt";
  if (!hasWrk())
    console.log(
      "wrk is not installed (apt-get install -y wrk): measuring with autocannon, which saturates before the server does",
    );
  const rounds = { rounds: quick ? 1 : 3, seconds: quick ? 4 : 10, connections: 32 };
  const vs = await resolveVsBare(a.url, runtimeKey, path, rounds);
  results.fastPath = vs;
  vsBareRows(rows, "fast path (Next in its own process)", vs);
  // The other two ways to run it: Next in the server's own process (LECTERN_NEXT_PROCESS=same, as on
  // PGlite), and a runtime-only instance (LECTERN_ROLE=runtime: Next is not loaded), as a large
  // install runs its hot path.
  const others: { key: string; label: string; env: Record<string, string> }[] = [
    { key: "fastPathSameProcess", label: "LECTERN_NEXT_PROCESS=same", env: { LECTERN_NEXT_PROCESS: "same" } },
    {
      key: "fastPathRuntimeOnly",
      label: "LECTERN_ROLE=runtime (no Next)",
      env: { LECTERN_ROLE: "runtime", LECTERN_WORKERS: "off", LECTERN_SCHEDULER: "off" },
    },
  ];
  const rss: string[] = [
    `ordinary ${rssMiB(a.pid, true).toFixed(0)} MiB (server ${rssMiB(a.pid).toFixed(0)} + Next ${(rssMiB(a.pid, true) - rssMiB(a.pid)).toFixed(0)})`,
  ];
  for (const o of others) {
    const other = new ServerProcess(await freePort(), { ...env, ...o.env });
    await other.start();
    try {
      // As in use: Next has answered (a page, the health check) before the runtime API is measured.
      await fetch(`${other.url}/login`);
      await fetch(`${other.url}/api/health`);
      await api(other, "GET", path, runtimeKey);
      const r = await resolveVsBare(other.url, runtimeKey, path, rounds);
      results[o.key] = { ...r, rssMiB: rssMiB(other.pid, true) };
      vsBareRows(rows, o.label, r);
      rss.push(`${o.label.split(" ")[0]} ${rssMiB(other.pid, true).toFixed(0)} MiB`);
      // Next busy rendering pages in the same instance: what the runtime API's latency does meanwhile.
      if (o.key === "fastPathSameProcess" && hasWrk()) {
        // Alternating rounds, the median round by p99 of each (one stall does not make the row).
        const runs = { separate: [] as UiLoad[], same: [] as UiLoad[] };
        for (let i = 0; i < rounds.rounds; i++)
          for (const [k, url] of [
            ["separate", a.url],
            ["same", other.url],
          ] as const)
            runs[k].push(await resolveUnderUiLoad(url, runtimeKey, path, rounds.seconds));
        const busy = {
          separate: medianBy(runs.separate, (x) => x.resolve.p99Ms),
          same: medianBy(runs.same, (x) => x.resolve.p99Ms),
        };
        results.underUiLoad = { ...busy, rounds: runs };
        for (const [k, b] of Object.entries(busy))
          rows.push([
            `resolve paced while 8 clients load /login (Next ${k === "same" ? "in the same process" : "in its own process"}; median of ${rounds.rounds})`,
            `${Math.round(b.resolve.rps)} req/s`,
            `p50 ${b.resolve.p50Ms.toFixed(2)} ms · p99 ${b.resolve.p99Ms.toFixed(2)} ms`,
            `pages ${Math.round(b.pagesPerSecond)}/s`,
          ]);
      }
    } finally {
      await other.stop();
    }
  }
  rows.push(["RSS after the rounds above (both processes)", rss[0]!, rss.slice(1).join(" · "), "—"]);
  const mem = await memoryOver(a.url, runtimeKey, path, a.pid, quick ? 100_000 : 1_000_000);
  results.fastPathMemory = mem;
  const later = mem.requests - mem.afterFirstRound.requests;
  rows.push([
    `server RSS over ${mem.requests.toLocaleString("en")} resolves (before → after the first 5 s → end)`,
    `${mem.rssBeforeMiB.toFixed(0)} → ${mem.afterFirstRound.rssMiB.toFixed(0)} → ${mem.rssAfterMiB.toFixed(0)} MiB`,
    `${mem.growthAfterFirstMiB >= 0 ? "+" : ""}${mem.growthAfterFirstMiB.toFixed(1)} MiB over the last ${later.toLocaleString("en")} · ${mem.seconds.toFixed(0)} s`,
    "flat",
  ]);
  const ing = await ingest(a.url, runtimeKey, "bench-prompt", quick ? 40 : 200);
  results.ingest = ing;
  rows.push([
    "event ingest, batches of 500 (202 = durable)",
    `${Math.round(ing.eventsPerSecond)} events/s`,
    `batch p50 ${ing.batchMs.p50.toFixed(0)} ms · p99 ${ing.batchMs.p99.toFixed(0)} ms`,
    "≥ 20,000 events/s",
  ]);
  // A key of its own: the per-key byte budget would otherwise count the event batches above too.
  const otlpKey = (await api(a, "POST", "/api/v1/api-keys", adminKey, { name: "bench-otlp", scope: "runtime" })).body
    .key as string;
  const otlp = await otlpIngest(a.url, otlpKey, "bench-prompt", quick ? 20 : 100);
  results.otlpIngest = otlp;
  rows.push([
    `OTLP ingest, batches of 500 spans (protobuf, gzip ${otlp.gzipKiB.toFixed(0)} KiB; 200 = durable)`,
    `${Math.round(otlp.spansPerSecond)} spans/s`,
    `batch p50 ${otlp.batchMs.p50.toFixed(0)} ms · p99 ${otlp.batchMs.p99.toFixed(0)} ms`,
    "≥ 10,000 spans/s",
  ]);
  const budget = ingestBudgetCost(quick ? 200_000 : 1_000_000);
  results.ingestBudget = budget;
  rows.push([
    "ingest budget check per request (resolve's L1 hit runs none)",
    `${budget.nsPerRequest.toFixed(0)} ns`,
    `${((budget.nsPerRequest / 1e6 / ing.batchMs.p50) * 100).toFixed(4)} % of a batch's p50`,
    "not measurable on resolve",
  ]);
  const streams = await sse(
    a.url,
    runtimeKey,
    { key: adminKey, prompt: "bench-prompt" },
    a.pid,
    2000,
    quick ? 4 : 10,
    16_000,
  );
  results.sse = streams;
  rows.push([
    `${streams.connections} SSE connections, held ${streams.holdSeconds} s (${streams.withHeartbeat} got a heartbeat)`,
    `RSS ${streams.rssBeforeMiB.toFixed(0)} → ${streams.rssOpenMiB.toFixed(0)} MiB`,
    "—",
    "held, RSS reported",
  ]);
  rows.push([
    "change → all 2,000 SSE clients (from sending the call)",
    ms(streams.allClientsMs.p50),
    ms(streams.allClientsMs.p99),
    "p99 reported",
  ]);
}
