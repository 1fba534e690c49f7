// The prompts feature of the MCP server: prompts/list, prompts/get (on the resolve path) and completion of their
// arguments, and `notifications/prompts/list_changed` when what the environment serves of them changes.
import { GetPromptRequestSchema, ListPromptsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { completePromptArgument } from "./completion";
import { getMcpPrompt, peekMcpPrompt } from "./prompt-get";
import { listMcpPrompts } from "./mcp-prompts";
import { mcpError, request, type McpFeature } from "./feature";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/**
 * prompts/get's params when GetPromptRequestSchema surely reads them as they are: a name, and arguments (if any)
 * all text; null for anything else (the schema then says what is wrong).
 */
function plainGetParams(params: unknown): { name: string; arguments: Record<string, string> } | null {
  if (!isRecord(params) || typeof params.name !== "string") return null;
  const args = params.arguments;
  if (args === undefined) return { name: params.name, arguments: {} };
  if (!isRecord(args) || Object.hasOwn(args, "__proto__")) return null;
  for (const k in args) if (typeof args[k] !== "string") return null;
  return { name: params.name, arguments: args as Record<string, string> };
}

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
    request(
      GetPromptRequestSchema,
      async (ctx, req) => {
        try {
          const { runtime, db, principal, environment } = ctx;
          return await getMcpPrompt(runtime, db, principal, environment, req.params.name, req.params.arguments ?? {});
        } catch (e) {
          throw mcpError(ctx.fail(e));
        }
      },
      (ctx, params) => {
        const p = plainGetParams(params);
        return p ? peekMcpPrompt(ctx.runtime, ctx.principal, ctx.environment, p.name, p.arguments) : undefined;
      },
    ),
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
