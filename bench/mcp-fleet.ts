// A fleet of MCP agents on one key, in real time: 25 clients of the official TypeScript SDK
// (which does not initialize again after a 404), each with its notification stream open, each calling prompts/get
// every second for a minute, against one `npm start` of the production build with the default session caps.
// Prints the calls made and failed, and the latency of the calls. The rules themselves are tested without waiting
// in lib/server/http/mcp/mcp-fleet.int.test.ts; this is the same fleet on the wall clock.
//   npm run build && npx tsx bench/mcp-fleet.ts            (-- --quick: 10 clients for 10 s)
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { benchAdminKey, benchOneServer, seedBenchPrompt } from "./one-server";
import { ms, type Row } from "./report";

const quick = process.argv.includes("--quick");
const CLIENTS = quick ? 10 : 25;
const SECONDS = quick ? 10 : 60;

benchOneServer("mcp-fleet", {}, async (server) => {
  const key = await seedBenchPrompt(server, benchAdminKey, {
    keyName: "fleet",
    prompt: { name: "fleet", type: "text", template: "Be {{mood}}.", variables: [{ name: "mood" }] },
  });

  const clients: Client[] = [];
  for (let i = 0; i < CLIENTS; i++) {
    const client = new Client({ name: `agent-${i}`, version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    clients.push(client);
  }
  const latencies: number[] = [];
  const failures: string[] = [];
  const start = Date.now();
  // Each client's calls are a second apart (its own clock), the clients spread over the second.
  await Promise.all(
    clients.map(async (client, i) => {
      const offset = (i * 1000) / CLIENTS;
      for (let n = 0; n < SECONDS; n++) {
        const due = start + offset + n * 1000;
        while (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
        const t0 = performance.now();
        try {
          await client.getPrompt({ name: "fleet", arguments: { mood: "calm" } });
          latencies.push(performance.now() - t0);
        } catch (e) {
          failures.push(`agent-${i} second ${n}: ${(e as Error).message}`);
        }
      }
    }),
  );
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const calls = CLIENTS * SECONDS;
  const rows: Row[] = [
    [
      `MCP fleet: ${CLIENTS} SDK clients on one key, prompts/get every second for ${SECONDS} s`,
      `${calls - failures.length} of ${calls} answered; ${ms(at(0.5))}`,
      `${failures.length} failed; p99 ${ms(at(0.99))}`,
      "0 failed",
    ],
  ];
  return { rows, results: { clients: CLIENTS, seconds: SECONDS, calls, failures: failures.slice(0, 20) } };
});
