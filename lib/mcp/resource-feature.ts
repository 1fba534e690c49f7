// The resources feature of the MCP server: agent skills as `skill://<name>/<path>` resources (resources.ts), for
// the environment the session serves, MCP's skills extension beside them (skills/list and skills/get, skills.ts,
// declared under `extensions`), and `notifications/resources/list_changed` when the skills it serves change.
import {
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ReadResourceRequestSchema,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { McpRefusal, mcpError, request, type McpFeature } from "./feature";
import { listSkillResources, readSkillResource } from "./resources";
import { SKILLS_EXTENSION, getMcpSkill, listMcpSkills } from "./skills";

const meta = z.record(z.string(), z.unknown()).optional();
/** The extension's requests (the SDK has no schema for them): skills/list is paginated, skills/get names a URI. */
const ListSkillsRequestSchema = z.object({
  method: z.literal("skills/list"),
  params: z.object({ cursor: z.string().optional(), _meta: meta }).loose().optional(),
});
const GetSkillRequestSchema = z.object({
  method: z.literal("skills/get"),
  params: z.object({ uri: z.string(), _meta: meta }).loose(),
});

export const resourcesFeature: McpFeature = {
  // No optional setting of the extension (directoryRead: resources/directory/read is not served).
  capabilities: { resources: { listChanged: true }, extensions: { [SKILLS_EXTENSION]: {} } },
  requests: [
    request(ListResourcesRequestSchema, async (ctx, req) => {
      try {
        return await listSkillResources(ctx.db, ctx.principal, ctx.environment, req.params?.cursor);
      } catch (e) {
        throw mcpError(ctx.fail(e));
      }
    }),
    // Every skill file is listed by its own URI (and a skill is found by its SKILL.md's, skills/get): no templates,
    // but an answer, not -32601, for clients that ask (MCP's Inspector does, on connecting).
    request(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: [] })),
    request(ReadResourceRequestSchema, async (ctx, req) => {
      try {
        return await readSkillResource(ctx.db, ctx.principal, ctx.environment, req.params.uri);
      } catch (e) {
        const err = ctx.fail(e);
        // An unknown resource is the protocol's -32002 (resource not found).
        if (err.status === 404) throw new McpRefusal(-32002, err.message, { uri: req.params.uri });
        throw err.status < 500 ? mcpError(err) : new McpRefusal(ErrorCode.InternalError, err.message);
      }
    }),
    request(ListSkillsRequestSchema, async (ctx, req) => {
      try {
        return await listMcpSkills(ctx.db, ctx.principal, ctx.environment, req.params?.cursor);
      } catch (e) {
        throw mcpError(ctx.fail(e));
      }
    }),
    // A URI that names no served skill is -32602 (the extension's answer), as every refusal of the caller's is.
    request(GetSkillRequestSchema, async (ctx, req) => {
      try {
        return await getMcpSkill(ctx.db, ctx.principal, ctx.environment, req.params.uri);
      } catch (e) {
        throw mcpError(ctx.fail(e));
      }
    }),
  ],
  // Only a change to a skill changes resources (a template prompt's promotion does not).
  async changed(server, change) {
    if (change.skills) await server.sendResourceListChanged();
  },
};
