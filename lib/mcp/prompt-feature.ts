// The prompts feature of the MCP server: prompts/list, prompts/get (on the resolve path) and completion of their
// arguments, and `notifications/prompts/list_changed` when what the environment serves of them changes.
import { GetPromptRequestSchema, ListPromptsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { completePromptArgument } from "./completion";
import { getMcpPrompt, listMcpPrompts } from "./prompts";
import { mcpError, onRequest, type McpFeature } from "./feature";

export const promptsFeature: McpFeature = {
  capabilities: { prompts: { listChanged: true } },
  register(server, ctx) {
    const { runtime, db, principal, environment } = ctx;
    onRequest(server, ListPromptsRequestSchema, async (req) => {
      try {
        return await listMcpPrompts(runtime, db, principal, environment, req.params?.cursor);
      } catch (e) {
        throw mcpError(ctx.fail(e));
      }
    });
    onRequest(server, GetPromptRequestSchema, async (req) => {
      try {
        return await getMcpPrompt(runtime, db, principal, environment, req.params.name, req.params.arguments ?? {});
      } catch (e) {
        throw mcpError(ctx.fail(e));
      }
    });
  },
  async complete(ctx, ref, argument, context) {
    if (ref.type !== "ref/prompt") return null;
    return completePromptArgument(ctx.runtime, ctx.db, ctx.principal, ctx.environment, ref.name, argument, context);
  },
  // Skills are resources, not prompts: a change to skills alone leaves prompts/list as it was.
  async changed(server, change) {
    if (change.prompts) await server.sendPromptListChanged();
  },
};
