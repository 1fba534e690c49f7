// MCP as agents use it, beside rendered resolve in the same run: a new session per call (initialize,
// prompts/get, DELETE: what a client that never keeps its session pays), and 200 concurrent agent sessions each
// calling prompts/get once a second while resolve is loaded — resolve's p99 with and without them, in alternating
// rounds so drift in the (shared) machine's speed hits both.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { alternate, post, type Result } from "./mcp";
import { GET, INIT } from "./mcp-messages";
import { ms, type Report } from "./report";
import type { Servers } from "./run-http";

const MCP_HEADERS = { accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" };

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

type Mcp = { call(method: string, body?: string, session?: string): Promise<{ status: number; session?: string }> };

/** Calls over Node's fetch (keep-alive connections, as many as there are calls at once). */
function mcpClient(url: string, key: string): Mcp & { close(): Promise<void> } {
  return {
    async call(method, body, session) {
      const r = await fetch(`${url}/api/mcp`, {
        method,
        headers: {
          ...MCP_HEADERS,
          authorization: `Bearer ${key}`,
          ...(body ? { "content-type": "application/json" } : {}),
          ...(session ? { "mcp-session-id": session } : {}),
        },
        body,
      });
      await r.arrayBuffer();
      return { status: r.status, session: r.headers.get("mcp-session-id") ?? undefined };
    },
    close: async () => {},
  };
}

/** `workers` loops of initialize → prompts/get → DELETE for `seconds`: sequences a second, and their latency. */
async function sessionPerCall(url: string, key: string, seconds: number, workers: number) {
  const client = mcpClient(url, key);
  const latencies: number[] = [];
  let failed = 0;
  const end = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < end) {
        const t0 = performance.now();
        const init = await client.call("POST", INIT);
        const got = init.session ? await client.call("POST", GET, init.session) : init;
        const ended = init.session ? await client.call("DELETE", undefined, init.session) : init;
        if (init.status !== 200 || got.status !== 200 || ended.status !== 200) failed++;
        else latencies.push(performance.now() - t0);
      }
    }),
  );
  await client.close();
  return { perSecond: latencies.length / seconds, p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99), failed };
}

/**
 * `count` sessions (over as many keys as the per-key cap of 100 needs), each calling prompts/get once a second, in a
 * process of their own (bench/mcp-agents-child.ts): their clients' work must not slow the load generator beside them.
 */
async function agentFleet(s: Servers, count: number) {
  const keys: string[] = [];
  for (let i = 0; i < Math.ceil(count / 100); i++) {
    const r = await fetch(`${s.a.url}/api/v1/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ name: `bench-agents-${i}-${Date.now()}`, scope: "runtime" }),
    });
    keys.push(((await r.json()) as { key: string }).key);
  }
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "bench/mcp-agents-child.ts", s.a.url, keys.join(","), String(count)],
    { stdio: ["pipe", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) throw new Error("the agents' process ended");
    return JSON.parse(value as string) as Record<string, number>;
  };
  await next(); // ready: every session initialized
  return {
    /** Runs every agent for `seconds`; resolves with their calls' numbers once they stopped. */
    run: async (seconds: number) => {
      child.stdin!.write(`go ${seconds}\n`);
      return (await next()) as { calls: number; failed: number; p50Ms: number; p99Ms: number };
    },
    close: async () => {
      child.stdin!.write("end\n");
      await new Promise((r) => child.once("exit", r));
    },
  };
}

/** Throws unless prompts/get in a new session answers the prompt rendered (a JSON-RPC error is a 200 too). */
async function assertServed(url: string, key: string) {
  const headers = { ...MCP_HEADERS, authorization: `Bearer ${key}`, "content-type": "application/json" };
  const init = await fetch(`${url}/api/mcp`, { method: "POST", headers, body: INIT });
  const session = init.headers.get("mcp-session-id")!;
  const got = await fetch(`${url}/api/mcp`, {
    method: "POST",
    headers: { ...headers, "mcp-session-id": session },
    body: GET,
  });
  const text = await got.text();
  if (!text.includes('"text":"Hello Ana"')) throw new Error(`MCP prompts/get did not serve the prompt: ${text}`);
  await fetch(`${url}/api/mcp`, { method: "DELETE", headers: { ...headers, "mcp-session-id": session } });
}

export async function mcpAgents({ results, rows }: Report, s: Servers) {
  const { a, runtimeKey, quick } = s;
  await assertServed(a.url, runtimeKey);
  const seconds = quick ? 3 : 8;
  const json = { authorization: `Bearer ${runtimeKey}`, "content-type": "application/json" };
  const resolveBody = JSON.stringify({ name: "bench-prompt", variables: { name: "Ana" } });
  const resolve = () => post(`${a.url}/api/v1/prompts/resolve`, json, resolveBody, seconds, a.pid);

  // A new session per call, beside resolve in alternating rounds.
  let perCall: Awaited<ReturnType<typeof sessionPerCall>> | undefined;
  const perCallRound = async (): Promise<Result> => {
    perCall = await sessionPerCall(a.url, runtimeKey, seconds, 32);
    return {
      rps: perCall.perSecond,
      p50Ms: perCall.p50Ms,
      p99Ms: perCall.p99Ms,
      non2xx: perCall.failed,
      serverCpuUsPerRequest: null,
    };
  };
  const [resolved, sequences] = await alternate(resolve, perCallRound, quick ? 1 : 3);

  // 200 agents once a second while resolve is loaded: resolve alone, then with the agents, in alternating rounds.
  const fleet = await agentFleet(s, 200);
  const agentRuns: Awaited<ReturnType<typeof fleet.run>>[] = [];
  const withAgents = async () => {
    const agentsDone = fleet.run(seconds);
    const r = await resolve();
    agentRuns.push(await agentsDone);
    return r;
  };
  const [alone, loaded] = await alternate(resolve, withAgents, quick ? 1 : 3);
  await fleet.close();
  const agents = agentRuns.sort((x, y) => x.p99Ms - y.p99Ms)[Math.floor(agentRuns.length / 2)]!;

  results.mcpAgents = {
    resolve: resolved,
    sessionPerCall: sequences,
    resolveAlone: alone,
    resolveWithAgents: loaded,
    agents,
  };
  rows.push([
    "MCP new session per call (initialize + prompts/get + DELETE), 32 loops",
    `${Math.round(sequences.rps)} sessions/s`,
    `p50 ${ms(sequences.p50Ms)} · p99 ${ms(sequences.p99Ms)}`,
    `ratio ${(sequences.rps / resolved.rps).toFixed(2)} of resolve's ${Math.round(resolved.rps)} req/s (p99 ${resolved.p99Ms} ms) · failed ${sequences.non2xx}`,
  ]);
  rows.push([
    "resolve POST while 200 MCP agent sessions call prompts/get 1/s",
    `${Math.round(loaded.rps)} req/s (alone ${Math.round(alone.rps)})`,
    `p99 ${loaded.p99Ms} ms (alone ${alone.p99Ms} ms)`,
    `p99 ratio ${(loaded.p99Ms / alone.p99Ms).toFixed(2)} · agents: ${agents.calls} calls, p99 ${ms(agents.p99Ms)}, failed ${agents.failed}`,
  ]);
}
