// One MCP server (the official SDK's `Server`) for one request of one session: what the key may see of one
// environment, made of features — prompts, tools, and whatever a later module adds (resources of agent skills) —
// each declaring its capability and registering its handlers. lib/server/http/mcp/mcp.ts makes one per request, so
// any instance can answer any request of any session.
import { Server } from "@modelcontextprotocol/sdk/server/index.js";
import type { ServerCapabilities } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import type { Db } from "../../db/client";
import { completionRequest } from "./request-table";
import { onRequest, type McpChange, type McpContext, type McpFeature } from "./feature";
import { promptsFeature } from "./prompt-feature";
import { resourcesFeature } from "./resource-feature";
import { skillPrompts } from "./skills";
import { toolsFeature } from "./tools";

/** Every feature a session gets: prompts, agent skills as resources, tools. A new one is added here. */
export const mcpFeatures: readonly McpFeature[] = [promptsFeature, resourcesFeature, toolsFeature];

// The SDK makes a JSON Schema validator (a new Ajv) per server unless given one: about 1 ms per request, for
// validating elicitation answers this server never asks for. One for the process.
const validator = new AjvJsonSchemaValidator();

export function mcpServer(ctx: McpContext, features: readonly McpFeature[] = mcpFeatures): Server {
  const completion = completionRequest(features);
  const capabilities: ServerCapabilities = Object.assign(
    {},
    ...features.map((f) => f.capabilities),
    completion ? { completions: {} } : {},
  );
  const server = new Server(
    { name: "lectern", version: "1.0.0" },
    {
      capabilities,
      jsonSchemaValidator: validator,
      instructions: `Prompts of project ${ctx.principal.projectSlug} as ${ctx.environment} serves them. prompts/get takes the prompt's variables, and "environment" and "subject" (experiments and guarded rollouts assign by subject).`,
    },
  );
  for (const f of features) {
    for (const r of f.requests ?? []) onRequest(server, r.schema, (req) => r.handle(ctx, req));
    f.register?.(server, ctx);
  }
  if (completion) onRequest(server, completion.schema, (req) => completion.handle(ctx, req));
  return server;
}

/**
 * Tells a session's client that what its environment serves changed, once per feature whose list `change` may
 * have changed (changeOf says which).
 */
export async function announceChange(
  server: Server,
  change: McpChange,
  features: readonly McpFeature[] = mcpFeatures,
): Promise<void> {
  for (const f of features) await f.changed?.(server, change);
}

/**
 * Which lists a change to the prompts named may have changed: a skill's, resources (skills/list); any other's,
 * prompts. `null` (a reset: changes may have been missed) is both.
 */
export async function changeOf(db: Db, projectId: string, prompts: readonly string[] | null): Promise<McpChange> {
  if (prompts === null) return { prompts: true, skills: true };
  const skills = await skillPrompts(db, projectId, prompts);
  return { prompts: prompts.some((n) => !skills.has(n)), skills: skills.size > 0 };
}

export type { McpChange, McpContext, McpFeature } from "./feature";
