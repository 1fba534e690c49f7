// The prompts feature of the MCP server: prompts/list, prompts/get (on the resolve path) and completion of their
// arguments, and `notifications/prompts/list_changed` when what the environment serves of them changes.
import { GetPromptRequestSchema, ListPromptsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { completePromptArgument } from "./completion";
import { getMcpPrompt, listMcpPrompts } from "./mcp-prompts";
import { mcpError, request, type McpFeature } from "./feature";

export const promptsFeature: McpFeature = {
  capabilities: { prompts: { listChanged: true } },
  requests: [
    request(ListPromptsRequestSchema, async (ctx, req) => {
      try {
        return await listMcpPrompts(ctx.runtime, ctx.db, ctx.principal, ctx.environment, req.params?.cursor);
      } catch (e) {
        throw mcpError(ctx.fail(e));
      }
    }),
    request(GetPromptRequestSchema, async (ctx, req) => {
      try {
        const { runtime, db, principal, environment } = ctx;
        return await getMcpPrompt(runtime, db, principal, environment, req.params.name, req.params.arguments ?? {});
      } catch (e) {
        throw mcpError(ctx.fail(e));
      }
    }),
  ],
  async complete(ctx, ref, argument, context) {
    if (ref.type !== "ref/prompt") return null;
    return completePromptArgument(ctx.runtime, ctx.db, ctx.principal, ctx.environment, ref.name, argument, context);
  },
  // Skills are resources, not prompts: a change to skills alone leaves prompts/list as it was.
  async changed(server, change) {
    if (change.prompts) await server.sendPromptListChanged();
  },
};
