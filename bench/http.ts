// HTTP throughput and latency with autocannon: the resolve route (L1 hit) against an empty route.
import autocannon from "autocannon";

export type HttpResult = { rps: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number };

export async function load(url: string, headers: Record<string, string>, seconds: number, connections: number): Promise<HttpResult> {
  const r = await autocannon({ url, headers, duration: seconds, connections, pipelining: 1 });
  return { rps: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

/** Alternates the two targets so drift in machine speed hits both equally; keeps the best round of each. */
export async function compare(base: string, key: string, resolvePath: string, rounds: number, seconds: number, connections: number) {
  const ping: HttpResult[] = [];
  const resolve: HttpResult[] = [];
  await load(`${base}/api/ping`, {}, 2, connections); // warm-up
  await load(`${base}${resolvePath}`, { authorization: `Bearer ${key}` }, 2, connections);
  for (let i = 0; i < rounds; i++) {
    ping.push(await load(`${base}/api/ping`, {}, seconds, connections));
    resolve.push(await load(`${base}${resolvePath}`, { authorization: `Bearer ${key}` }, seconds, connections));
  }
  const median = (xs: HttpResult[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)]!;
  const p = median(ping);
  const r = median(resolve);
  return { ping: p, resolve: r, ratio: r.rps / p.rps };
}
