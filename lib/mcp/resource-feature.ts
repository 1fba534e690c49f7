// The resources feature of the MCP server: agent skills as `skill://<name>/<path>` resources (resources.ts), for
// the environment the session serves, and `notifications/resources/list_changed` when what it serves changes.
import { ErrorCode, ListResourcesRequestSchema, ReadResourceRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { McpRefusal, mcpError, onRequest, type McpFeature } from "./feature";
import { listSkillResources, readSkillResource } from "./resources";

export const resourcesFeature: McpFeature = {
  capabilities: { resources: { listChanged: true } },
  register(server, ctx) {
    const { db, principal, environment } = ctx;
    onRequest(server, ListResourcesRequestSchema, async (req) => {
      try {
        return await listSkillResources(db, principal, environment, req.params?.cursor);
      } catch (e) {
        throw mcpError(ctx.fail(e));
      }
    });
    onRequest(server, ReadResourceRequestSchema, async (req) => {
      try {
        return await readSkillResource(db, principal, environment, req.params.uri);
      } catch (e) {
        const err = ctx.fail(e);
        // An unknown resource is the protocol's -32002 (resource not found).
        if (err.status === 404) throw new McpRefusal(-32002, err.message, { uri: req.params.uri });
        throw err.status < 500 ? mcpError(err) : new McpRefusal(ErrorCode.InternalError, err.message);
      }
    });
  },
  async changed(server) {
    await server.sendResourceListChanged();
  },
};
