// The MCP rows of `npm run bench` alone (bench/mcp.ts, bench/mcp-agents.ts), against one `npm start` of the
// production build: rendered resolve, MCP prompts/get in one session, a new session per call, and 200 agent
// sessions beside loaded resolve — every ratio taken within this one run.
//   npm run build && npx tsx bench/mcp-run.ts            (-- --quick: one round of 3 s each)
import { mcpAgents } from "./mcp-agents";
import { mcpBeside } from "./mcp";
import { benchAdminKey, benchOneServer } from "./one-server";
import type { Report } from "./report";

const quick = process.argv.includes("--quick");

benchOneServer("mcp", { LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000" }, async (a) => {
  const admin = async (path: string, body: unknown) => {
    const r = await fetch(`${a.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${benchAdminKey}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as Record<string, unknown>;
  };
  await admin("/api/v1/prompts", {
    name: "bench-prompt",
    type: "text",
    template: "Hello {{name}}",
    variables: [{ name: "name" }],
  });
  await admin("/api/v1/prompts/bench-prompt/deployments", { environment: "production", version: 1 });
  const runtimeKey = (await admin("/api/v1/api-keys", { name: "bench", scope: "runtime" })).key as string;
  const report: Report = { results: {}, rows: [] };
  const servers = { a, b: a, env: {}, adminKey: benchAdminKey, runtimeKey, quick };
  await mcpBeside(report, servers);
  await mcpAgents(report, servers);
  return report;
});
