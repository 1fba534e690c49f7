// The steady resolve load the attack benches measure beside an attack: 500 requests/s over 4 connections, a
// different subject each (bench/run-attack.ts, bench/slow-clients.ts).
import autocannon from "autocannon";

export type Latency = { p50Ms: number; p99Ms: number; maxMs: number; non2xx: number; rps: number };

/** Resolves `prompt` with `key` for `seconds`; `statuses`, when given, counts the answers by status. */
export async function steadyResolves(
  base: string,
  key: string,
  prompt: string,
  seconds: number,
  statuses?: Record<string, number>,
): Promise<Latency> {
  let n = 0;
  const r = await autocannon({
    url: base,
    connections: 4,
    overallRate: 500,
    duration: seconds,
    headers: { authorization: `Bearer ${key}` },
    requests: [
      {
        method: "GET",
        setupRequest: (req) => ({ ...req, path: `/api/v1/prompts/resolve?name=${prompt}&subject=u-${n++ % 10_000}` }),
        ...(statuses && { onResponse: (status: number) => void (statuses[status] = (statuses[status] ?? 0) + 1) }),
      },
    ],
  });
  return {
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    non2xx: r.non2xx,
    rps: r.requests.average,
  };
}
