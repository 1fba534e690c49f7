// MCP prompts/get beside resolve, over HTTP on the same instance and the same prompt (an L1 hit for both): POST
// /api/v1/prompts/resolve (rendered, as prompts/get renders) and POST /api/mcp `prompts/get` in one session.
// Rounds alternate so drift in machine speed hits both; the median round of each is kept.
import autocannon from "autocannon";
import { cpuUs } from "./procs";
import type { Report } from "./report";
import type { Servers } from "./run-http";

export type Result = {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  serverCpuUsPerRequest: number | null;
};

/** Sends `body` for `seconds` at 32 connections: throughput, latency, and the server's CPU per request. */
export async function hit(
  url: string,
  method: "GET" | "POST",
  headers: Record<string, string>,
  body: string | undefined,
  seconds: number,
  pid?: number,
) {
  const before = cpuUs(pid, true);
  const r = await autocannon({ url, method, headers, body, duration: seconds, connections: 32 });
  const after = cpuUs(pid, true);
  return {
    rps: r.requests.average,
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    non2xx: r.non2xx + r.errors,
    serverCpuUsPerRequest:
      before !== null && after !== null && r.requests.total ? (after - before) / r.requests.total : null,
  } satisfies Result;
}

/** `hit` with POST. */
export const post = (url: string, headers: Record<string, string>, body: string, seconds: number, pid?: number) =>
  hit(url, "POST", headers, body, seconds, pid);

/** Rounds of `a` then `b` (drift in machine speed hits both), and the median round of each. */
export async function alternate(a: () => Promise<Result>, b: () => Promise<Result>, rounds: number) {
  const as: Result[] = [];
  const bs: Result[] = [];
  for (let i = 0; i < rounds; i++) {
    as.push(await a());
    bs.push(await b());
  }
  const median = (xs: Result[]) => [...xs].sort((x, y) => x.rps - y.rps)[Math.floor(xs.length / 2)]!;
  return [median(as), median(bs)] as const;
}

/** One MCP session on `url`'s server for `runtimeKey`: its id and the headers every call in it sends. */
export async function mcpSession(url: string, runtimeKey: string) {
  const json = { authorization: `Bearer ${runtimeKey}`, "content-type": "application/json" };
  const mcp = { ...json, accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" };
  const init = await fetch(`${url}/api/mcp`, {
    method: "POST",
    headers: mcp,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench", version: "1" } },
    }),
  });
  const session = init.headers.get("mcp-session-id");
  if (!session) throw new Error(`MCP initialize failed: ${init.status} ${await init.text()}`);
  return { json, mcp, session };
}

export async function mcpBeside({ results, rows }: Report, { a, runtimeKey, quick }: Servers) {
  const { json, mcp, session } = await mcpSession(a.url, runtimeKey);
  const resolveBody = JSON.stringify({ name: "bench-prompt", variables: { name: "Ana" } });
  const getBody = JSON.stringify({
    jsonrpc: "2.0",
    id: 2,
    method: "prompts/get",
    params: { name: "bench-prompt", arguments: { name: "Ana" } },
  });
  const seconds = quick ? 3 : 8;
  const resolve = () => post(`${a.url}/api/v1/prompts/resolve`, json, resolveBody, seconds, a.pid);
  const get = () => post(`${a.url}/api/mcp`, { ...mcp, "mcp-session-id": session }, getBody, seconds, a.pid);
  await post(`${a.url}/api/v1/prompts/resolve`, json, resolveBody, 2); // warm-up
  await post(`${a.url}/api/mcp`, { ...mcp, "mcp-session-id": session }, getBody, 2);
  const [resolved, got] = await alternate(resolve, get, quick ? 1 : 3);
  const out = { resolve: resolved, mcpGet: got };
  results.mcp = out;
  const cpu = (x: number | null) => (x === null ? "n/a" : `${x.toFixed(0)} µs CPU`);
  rows.push([
    "HTTP resolve POST (rendered), L1 hit",
    `${Math.round(out.resolve.rps)} req/s`,
    `p50 ${out.resolve.p50Ms} ms · p99 ${out.resolve.p99Ms} ms · ${cpu(out.resolve.serverCpuUsPerRequest)}`,
    `non-2xx ${out.resolve.non2xx}`,
  ]);
  rows.push([
    "MCP prompts/get (same prompt, one session), L1 hit",
    `${Math.round(out.mcpGet.rps)} req/s`,
    `p50 ${out.mcpGet.p50Ms} ms · p99 ${out.mcpGet.p99Ms} ms · ${cpu(out.mcpGet.serverCpuUsPerRequest)}`,
    `ratio ${(out.mcpGet.rps / out.resolve.rps).toFixed(2)} of resolve · non-2xx ${out.mcpGet.non2xx}`,
  ]);
}
