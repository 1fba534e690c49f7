// Prompts over the Model Context Protocol (docs/mcp.md): what an environment serves, as MCP prompts (prompts/list),
// and the arguments each takes: its typed variables and its partials' (name, description, required) and its chat
// placeholders. prompts/get, resolve rendered with those arguments, is prompt-get.ts.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { assertEnvironmentAllowed } from "../auth/api-keys";
import { AppError } from "../errors";
import type { ResolveRuntime } from "../runtime/answer";
import type { ResolvedPrompt } from "../runtime/load";
import { resolvePrompt } from "../runtime/resolve";
import { decodeCursor, encodeCursor } from "./cursor";

export type McpPrincipal = { projectId: string; environments: string[] | null; name: string };
export type McpRuntime = ResolveRuntime;

/** Routing arguments of prompts/get; a prompt's own variable of the same name takes precedence (then `_environment`, `_subject`). */
export const ROUTING_ARGUMENTS = ["environment", "subject"] as const;

export type McpArgument = { name: string; description?: string; required: boolean };
export type McpPrompt = { name: string; title?: string; description?: string; arguments: McpArgument[] };
export type McpContent =
  | { type: "text"; text: string }
  | { type: "image"; data: string; mimeType: string }
  | { type: "resource_link"; uri: string; name: string; description?: string };
export type McpMessage = { role: "user" | "assistant"; content: McpContent };

/** A page of prompts listed at once; the cursor (cursor.ts) says the last name of the page before. */
export const MCP_PAGE = 50;

export type Declared = {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  schema?: Record<string, unknown>;
};

/** The variables a resolved prompt takes (its own, then its partials' not already named) and its placeholders. */
export function argumentsOf(r: ResolvedPrompt): { variables: Declared[]; placeholders: string[] } {
  const variables = new Map<string, Declared>();
  for (const v of r.variables as Declared[]) variables.set(v.name, v);
  for (const p of Object.values(r.partials))
    for (const v of (p.variables ?? []) as Declared[]) if (!variables.has(v.name)) variables.set(v.name, v);
  const placeholders =
    r.type === "chat"
      ? (r.template as Array<{ type?: string; name?: string }>).flatMap((m) =>
          m.type === "placeholder" && m.name ? [m.name] : [],
        )
      : [];
  return { variables: [...variables.values()], placeholders };
}

/** What a prompt's description says when it has none of its own (clients show it, and some require one). */
export const servedAs = (r: ResolvedPrompt, version = r.version) =>
  `${r.name} v${version} as ${r.environment} serves it`;

function toMcpPrompt(r: ResolvedPrompt, description: string | null): McpPrompt {
  const { variables, placeholders } = argumentsOf(r);
  return {
    name: r.name,
    description: description || servedAs(r),
    arguments: [
      ...variables.map((v) => ({
        name: v.name,
        description: [v.description, argumentHint(v.type)].filter(Boolean).join(" ") || undefined,
        required: v.required && v.default === undefined,
      })),
      ...placeholders.map((name) => ({
        name,
        description: 'Messages inserted here: a JSON list of {"role", "content"} ([] for none)',
        required: true,
      })),
    ],
  };
}

/** prompts/list: the environment's served prompts by name, a page after `cursor`. */
export async function listMcpPrompts(
  rt: McpRuntime,
  db: Db,
  principal: McpPrincipal,
  environment: string,
  cursor?: string,
): Promise<{ prompts: McpPrompt[]; nextCursor?: string }> {
  assertEnvironmentAllowed(principal, environment);
  const after = decodeCursor(cursor);
  const rows = await queryRows<{ name: string; description: string | null }>(
    db,
    // Skills are not prompts a model is given: they are the session's resources (resources.ts).
    sql`select p.name, p.description from prompts p where p.project_id = ${principal.projectId} and p.archived_at is null
        and p.skill_name is null
        and exists (select 1 from deployments d join environments e on e.id = d.environment_id
                    where d.prompt_id = p.id and e.name = ${environment})
        and (${after ?? null}::text is null or p.name > ${after ?? ""})
        order by p.name limit ${MCP_PAGE + 1}`,
  );
  const page = rows.slice(0, MCP_PAGE);
  const prompts: McpPrompt[] = [];
  for (const row of page) {
    try {
      const { resolved } = await resolvePrompt({ db, cache: rt.prompts }, principal.projectId, {
        name: row.name,
        environment,
      });
      prompts.push(toMcpPrompt(resolved, row.description));
    } catch (e) {
      // One that cannot be served (its partials no longer resolve) is left out of the list, not the list's end.
      if (!(e instanceof AppError)) throw e;
    }
  }
  return { prompts, ...(rows.length > MCP_PAGE ? { nextCursor: encodeCursor(page.at(-1)!.name) } : {}) };
}

/** An argument's value as its variable's type reads it (MCP arguments are text). */
const argumentHint = (type: string) =>
  type === "string"
    ? null
    : type === "image"
      ? "(image: an https: URL or a data:image/…;base64 URL)"
      : `(${type}: give it as JSON text)`;
