// completion/complete for prompt arguments (docs/mcp.md#completion): the values an argument can take where
// Lectern knows them — the environments the key may read for the routing argument `environment`, true and false
// for a boolean variable, a variable's default, "[]" for a chat placeholder — filtered by what the user typed.
// Other arguments (free text) complete to nothing, which the protocol allows.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError } from "../errors";
import { resolvePrompt } from "../runtime/resolve";
import { argumentsOf, type McpPrincipal, type McpRuntime } from "./mcp-prompts";

/** The protocol's most values in one answer. */
export const MAX_COMPLETIONS = 100;

export type Completion = { values: string[]; total?: number; hasMore?: boolean };

/** `candidates` that start with `typed` (ignoring case), at most MAX_COMPLETIONS of them, and how many there were. */
export function completionOf(candidates: string[], typed: string): Completion {
  const prefix = typed.toLowerCase();
  const matches = [...new Set(candidates)].filter((c) => c.toLowerCase().startsWith(prefix));
  return {
    values: matches.slice(0, MAX_COMPLETIONS),
    total: matches.length,
    hasMore: matches.length > MAX_COMPLETIONS,
  };
}

/** The project's environments the key may read, by name. */
async function environmentNames(db: Db, principal: McpPrincipal): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`select name from environments where project_id = ${principal.projectId} order by name`,
  );
  return rows.map((r) => r.name).filter((n) => !principal.environments || principal.environments.includes(n));
}

/** completion/complete of `argument` of the prompt `name` as the session's environment (or `_environment`) serves it. */
export async function completePromptArgument(
  rt: McpRuntime,
  db: Db,
  principal: McpPrincipal,
  sessionEnvironment: string,
  name: string,
  argument: { name: string; value: string },
  context: Record<string, string> = {},
): Promise<Completion> {
  const environment = context._environment ?? context.environment ?? sessionEnvironment;
  const allowed = !principal.environments || principal.environments.includes(environment);
  const served = allowed
    ? await resolvePrompt({ db, cache: rt.prompts }, principal.projectId, { name, environment }).catch((e: unknown) => {
        if (e instanceof AppError && e.code === "not_found") return null;
        throw e;
      })
    : null;
  if (!served && environment === sessionEnvironment)
    throw new AppError("not_found", `No prompt named ${name} is served in ${environment}.`, { prompt: name });
  const { variables, placeholders } = served ? argumentsOf(served.resolved) : { variables: [], placeholders: [] };
  const variable = variables.find((v) => v.name === argument.name);
  const candidates: string[] = [];
  if (variable) {
    if (variable.type === "boolean") candidates.push("true", "false");
    // A schema's allowed values (Picoschema's `(enum)`), those a string argument can carry.
    const allowed = Array.isArray(variable.schema?.enum) ? variable.schema.enum : [];
    if (variable.type === "string") candidates.push(...allowed.filter((e): e is string => typeof e === "string"));
    if (variable.default !== undefined)
      candidates.push(typeof variable.default === "string" ? variable.default : JSON.stringify(variable.default));
  } else if (placeholders.includes(argument.name)) candidates.push("[]");
  else if (argument.name === "environment" || argument.name === "_environment")
    candidates.push(...(await environmentNames(db, principal)));
  return completionOf(candidates, argument.value);
}
