// Table rows of the resolve-vs-bare comparison (bench/run.ts prints them).
import type { resolveVsBare } from "./fast-path";
import type { Load } from "./load-tool";

/** resolveVsBare's rows: saturated, against bare node:http in the same rounds, then paced. */
export function vsBareRows(
  rows: [string, string, string, string][],
  label: string,
  r: Awaited<ReturnType<typeof resolveVsBare>>,
) {
  const lat = (l: Load) => `p50 ${l.p50Ms.toFixed(2)} ms · p99 ${l.p99Ms.toFixed(2)} ms`;
  rows.push([
    `${label}: resolve, L1 hit (${r.tool}, 32 conns)`,
    `${Math.round(r.lectern.rps)} req/s`,
    lat(r.lectern),
    "≥ 10,000 req/s, p99 ≤ 2 ms",
  ]);
  rows.push([
    `bare node:http, same ${r.bodyBytes} bytes (same rounds)`,
    `${Math.round(r.bare.rps)} req/s`,
    lat(r.bare),
    `ratio ${r.ratio.toFixed(2)} (target ≥ 0.5)`,
  ]);
  pacedRows(rows, label, r.paced);
}

/** The paced rounds of resolveVsBare: latency at a steady rate near the 10,000 req/s floor, both servers. */
function pacedRows(
  rows: [string, string, string, string][],
  label: string,
  paced: { lectern: Load; bare: Load; pauseMs: number } | undefined,
) {
  if (!paced) return;
  const lat = (l: Load) => `p50 ${l.p50Ms.toFixed(2)} ms · p99 ${l.p99Ms.toFixed(2)} ms`;
  rows.push([
    `${label}: resolve, 32 conns paced (${paced.pauseMs} ms between requests)`,
    `${Math.round(paced.lectern.rps)} req/s`,
    lat(paced.lectern),
    "p99 ≤ 2 ms",
  ]);
  rows.push([`bare node:http, same pacing`, `${Math.round(paced.bare.rps)} req/s`, lat(paced.bare), "—"]);
}

/** A row of a load measurement as measured: requests per second, then p50 and p99 in ms. */
export const loadRow = (
  label: string,
  m: { rps: number; p50Ms: number; p99Ms: number },
  note: string,
): [string, string, string, string] => [
  label,
  `${Math.round(m.rps)} req/s`,
  `p50 ${m.p50Ms} ms · p99 ${m.p99Ms} ms`,
  note,
];
