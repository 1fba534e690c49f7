// The agents of bench/mcp-agents.ts in a process of their own (so their clients' work does not slow the load
// generator measuring resolve beside them): `count` MCP sessions over the keys given (100 a key, the per-key cap),
// each calling prompts/get once a second, spread over the second, while told to. Lines on stdin: `go <seconds>`
// runs the agents that long and prints their numbers as one JSON line; `end` ends every session and exits.
//   npx tsx bench/mcp-agents-child.ts <url> <key,key,…> <count>
import http from "node:http";
import { createInterface } from "node:readline";
import { GET, INIT } from "./mcp-messages";
import { runToExit } from "./run-main";

const [url, keyList, countArg] = process.argv.slice(2);
const keys = keyList!.split(",");
const count = Number(countArg);
const agent = new http.Agent({ keepAlive: true, maxSockets: count });
const base = new URL(url!);

function call(key: string, method: string, body?: string, session?: string) {
  return new Promise<{ status: number; session?: string; text: string }>((resolve, reject) => {
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: "/api/mcp",
        method,
        agent,
        headers: {
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": "2025-11-25",
          authorization: `Bearer ${key}`,
          ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}),
          ...(session ? { "mcp-session-id": session } : {}),
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          const id = res.headers["mcp-session-id"];
          resolve({ status: res.statusCode ?? 0, session: typeof id === "string" ? id : undefined, text });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? NaN;

async function main() {
  const sessions: { key: string; id: string }[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys[Math.floor(i / 100)]!;
    const r = await call(key, "POST", INIT);
    if (!r.session) throw new Error(`initialize: ${r.status} ${r.text}`);
    sessions.push({ key, id: r.session });
  }
  console.log(JSON.stringify({ ready: sessions.length }));
  for await (const line of createInterface({ input: process.stdin })) {
    const [cmd, arg] = line.trim().split(" ");
    if (cmd === "end") break;
    const seconds = Number(arg);
    const latencies: number[] = [];
    let failed = 0;
    const t = Date.now();
    await Promise.all(
      sessions.map(async ({ key, id }, i) => {
        for (let n = 0; n < seconds; n++) {
          const wait = t + (i * 1000) / count + n * 1000 - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const t0 = performance.now();
          const r = await call(key, "POST", GET, id).catch(() => ({ status: 0, text: "" }));
          if (r.status === 200 && r.text.includes('"result"')) latencies.push(performance.now() - t0);
          else failed++;
        }
      }),
    );
    console.log(
      JSON.stringify({ calls: latencies.length, failed, p50Ms: pct(latencies, 0.5), p99Ms: pct(latencies, 0.99) }),
    );
  }
  for (const { key, id } of sessions) await call(key, "DELETE", undefined, id).catch(() => {});
  agent.destroy();
}

runToExit(main);
