// The tools Lectern's MCP server offers an assistant (docs/mcp.md): the work people do from one — find a prompt,
// read a version and what changed, read what releasing it needs, write a new version. Each is the operation the
// API runs, under the key's scope and role: each tool names the REST `operations` it serves (their endpoints'
// declarations, lib/server/http/endpoints) and declares their `permission` — the most any of them needs, held equal
// by tool-operations.test.ts in lib/server/http/mcp — which the dispatcher below checks
// once before the tool runs (tools/list offers a key only the tools its actor may run, a runtime key none; a call of
// another is refused with 403 in words). None deploys: a new version is released through its
// release plan like any other. Arguments that do not fit a tool's input are -32602, in words naming each one.
import { CallToolRequestSchema, ListToolsRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { authorize, can, type Permission } from "../auth/permissions";
import { versionDto } from "../registry/dto";
import { listPromptRows } from "../registry/prompt-list";
import { getPrompt } from "../registry/prompts";
import { createVersion, getVersion, getPromptVersionDiff } from "../registry/versions";
import { promptNameSchema } from "../registry/names";
import { versionNumber } from "../number-params";
import type { DomainContext } from "../context";
import { planByName } from "../release/plan/plan-facts";
import { environmentNameSchema } from "../release/environments";
import { invalidParams, onRequest, readableIssues, type McpFeature } from "./feature";

/** What a tool runs with: the key's project context. */
export type ToolContext = DomainContext;

export const mcpTools = {
  search_prompts: {
    operations: ["listPrompts"],
    permission: "prompt.read",
    description:
      "Find prompts by a word in their name, description or latest version's text (case-insensitive). Answers each prompt's name, description, tags and latest version.",
    input: {
      query: z.string().min(1).max(200).describe("A word or phrase to look for"),
      limit: z.number().int().min(1).max(50).optional().describe("At most this many (default 20)"),
    },
    async run(ctx: ToolContext, a: { query: string; limit?: number }) {
      // The prompt library's search (REST's GET /prompts?search=), in name order.
      const { items } = await listPromptRows(ctx.db, ctx.projectId, { search: a.query, limit: a.limit ?? 20 });
      return items.map((p) => ({
        name: p.name,
        description: p.description,
        tags: p.tags,
        latestVersion: p.latestVersion,
      }));
    },
  },
  get_version: {
    operations: ["getPromptVersion", "getPromptVersionDiff"],
    permission: "prompt.read",
    description:
      "Read a version of a prompt (default: its latest) and the diff from the version before it, or from `against`.",
    input: {
      name: promptNameSchema.describe("The prompt's name"),
      version: versionNumber().optional().describe("A version number (default: the latest)"),
      against: versionNumber().optional().describe("Diff from this version (default: the one before)"),
    },
    async run(ctx: ToolContext, a: { name: string; version?: number; against?: number }) {
      const prompt = await getPrompt(ctx.db, ctx.projectId, a.name);
      const n = a.version ?? prompt.latestVersion;
      const version = await getVersion(ctx.db, prompt, n);
      const { from, diff } = await getPromptVersionDiff(ctx.db, ctx.projectId, a.name, String(n), a.against);
      return { version: versionDto(version), diffFrom: from, diff };
    },
  },
  get_release_plan: {
    operations: ["getVersionReleasePlan"],
    permission: "prompt.read",
    description:
      "What releasing a version to an environment needs (review, evaluation gate, shadow, live elsewhere first…): each step, met or missing, and why.",
    input: {
      name: promptNameSchema.describe("The prompt's name"),
      environment: environmentNameSchema.describe("The environment to release to, e.g. production"),
      version: versionNumber().describe("The version to release"),
    },
    async run(ctx: ToolContext, a: { name: string; environment: string; version: number }) {
      return planByName(ctx.db, ctx.projectId, a.name, a.environment, a.version);
    },
  },
  create_version: {
    operations: ["getPromptVersion", "createVersion"],
    permission: "version.create",
    description:
      "Write a new version of a prompt (a text template, or chat messages), based on `baseVersion`. It is not deployed anywhere: releasing it goes through its release plan.",
    input: {
      name: promptNameSchema.describe("The prompt's name"),
      template: z
        .union([z.string(), z.array(z.record(z.string(), z.unknown()))])
        .describe('The text template, or the chat messages [{"role", "content"}]'),
      baseVersion: versionNumber().describe("The version this one was written from (a newer one in between is a 409)"),
      message: z.string().max(500).optional().describe("What changed and why"),
    },
    async run(ctx: ToolContext, a: { name: string; template: unknown; baseVersion: number; message?: string }) {
      const prompt = await getPrompt(ctx.db, ctx.projectId, a.name);
      const base = await getVersion(ctx.db, prompt, a.baseVersion);
      const { version, warnings } = await createVersion(ctx, a.name, {
        ...(base.content as Record<string, unknown>),
        template: a.template,
        baseVersion: a.baseVersion,
        ...(a.message ? { commitMessage: a.message } : {}),
      });
      return { version: versionDto(version), warnings, deployed: false };
    },
  },
} as const;

export type McpToolName = keyof typeof mcpTools;

/** The tools `actor` may run, by name. */
const toolsFor = (actor: ToolContext["actor"]) =>
  Object.entries(mcpTools).filter(([, t]) => can(actor, t.permission as Permission));

/**
 * The tools feature: tools/list offers the key's tools only; arguments that do not fit are -32602 (naming each);
 * a refusal of the operation itself is the tool's error in words (isError), never a stack.
 */
export const toolsFeature: McpFeature = {
  capabilities: { tools: {} },
  register(server, ctx) {
    onRequest(server, ListToolsRequestSchema, async () => ({
      tools: toolsFor(ctx.actor).map(([name, t]) => ({
        name,
        description: t.description,
        inputSchema: z.toJSONSchema(z.object(t.input)) as { type: "object" },
      })),
    }));
    onRequest(server, CallToolRequestSchema, async (req) => {
      const tool = mcpTools[req.params.name as McpToolName] as (typeof mcpTools)[McpToolName] | undefined;
      if (!tool || !Object.hasOwn(mcpTools, req.params.name))
        throw invalidParams(
          `No tool named ${JSON.stringify(req.params.name)} (tools/list names the ones this key may use).`,
          {
            tool: req.params.name,
          },
        );
      const args = req.params.arguments ?? {};
      const parsed = z.object(tool.input).safeParse(args);
      if (!parsed.success)
        throw invalidParams(
          `Invalid arguments for ${req.params.name}: ${readableIssues(parsed.error.issues, args, [])}.`,
          {
            tool: req.params.name,
          },
        );
      try {
        const toolCtx: ToolContext = await ctx.domain();
        // The one check of the tool's declared permission (the tools' `run` and the operations they call check none).
        authorize(toolCtx.actor, tool.permission as Permission);
        const result = await (tool.run as (c: ToolContext, a: unknown) => Promise<unknown>)(toolCtx, parsed.data);
        return {
          content: [{ type: "text", text: JSON.stringify(result, null, 2) }],
          structuredContent: { result } as Record<string, unknown>,
        };
      } catch (e) {
        const err = ctx.fail(e);
        return { isError: true, content: [{ type: "text", text: `${err.code}: ${err.message}` }] };
      }
    });
  },
};
