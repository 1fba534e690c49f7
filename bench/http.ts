// HTTP throughput and latency with autocannon: the resolve route (L1 hit) against an empty route.
import autocannon from "autocannon";
import { cpuUs } from "./procs";

export type HttpResult = {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  serverCpuUsPerRequest: number | null;
};

export async function load(
  url: string,
  headers: Record<string, string>,
  seconds: number,
  connections: number,
  serverPid?: number,
): Promise<HttpResult> {
  // Both processes of the server: the empty route is answered by its Next process.
  const before = cpuUs(serverPid, true);
  const r = await autocannon({ url, headers, duration: seconds, connections, pipelining: 1 });
  const after = cpuUs(serverPid, true);
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
    serverCpuUsPerRequest:
      before !== null && after !== null && r.requests.total ? (after - before) / r.requests.total : null,
  };
}

/** Alternates the two targets so drift in machine speed hits both equally; keeps the best round of each. */
export async function compare(
  base: string,
  key: string,
  resolvePath: string,
  rounds: number,
  seconds: number,
  connections: number,
  serverPid?: number,
) {
  const ping: HttpResult[] = [];
  const resolve: HttpResult[] = [];
  await load(`${base}/api/ping`, {}, 2, connections); // warm-up
  await load(`${base}${resolvePath}`, { authorization: `Bearer ${key}` }, 2, connections);
  for (let i = 0; i < rounds; i++) {
    ping.push(await load(`${base}/api/ping`, {}, seconds, connections, serverPid));
    resolve.push(
      await load(`${base}${resolvePath}`, { authorization: `Bearer ${key}` }, seconds, connections, serverPid),
    );
  }
  const median = (xs: HttpResult[]) => [...xs].sort((a, b) => a.rps - b.rps)[Math.floor(xs.length / 2)]!;
  const p = median(ping);
  const r = median(resolve);
  // On a small machine the load generator shares the cores, so throughput also measures the client;
  // server CPU per request isolates what the server itself spends.
  const cpuRatio =
    p.serverCpuUsPerRequest && r.serverCpuUsPerRequest ? p.serverCpuUsPerRequest / r.serverCpuUsPerRequest : null;
  return { ping: p, resolve: r, ratio: r.rps / p.rps, cpuRatio };
}
