// The two MCP messages the agent benches send (mcp-agents.ts and its child process): initialize, then prompts/get.
export const INIT = JSON.stringify({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "bench-agent", version: "1" } },
});
export const GET = JSON.stringify({
  jsonrpc: "2.0",
  id: 2,
  method: "prompts/get",
  params: { name: "bench-prompt", arguments: { name: "Ana" } },
});
