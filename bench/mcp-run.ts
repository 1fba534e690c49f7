// The MCP rows of `npm run bench` alone (bench/mcp.ts, bench/mcp-agents.ts), against one `npm start` of the
// production build: rendered resolve, MCP prompts/get in one session, a new session per call, and 200 agent
// sessions beside loaded resolve — every ratio taken within this one run.
//   npm run build && npx tsx bench/mcp-run.ts            (-- --quick: one round of 3 s each)
import { mcpAgents } from "./mcp-agents";
import { mcpBeside } from "./mcp";
import { benchAdminKey, benchOneServer, seedBenchPrompt } from "./one-server";
import type { Report } from "./report";

const quick = process.argv.includes("--quick");

benchOneServer("mcp", { LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000" }, async (a) => {
  const runtimeKey = await seedBenchPrompt(a, benchAdminKey);
  const report: Report = { results: {}, rows: [] };
  const servers = { a, b: a, env: {}, adminKey: benchAdminKey, runtimeKey, quick };
  await mcpBeside(report, servers);
  await mcpAgents(report, servers);
  return report;
});
