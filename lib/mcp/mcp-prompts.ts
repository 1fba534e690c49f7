// Prompts over the Model Context Protocol (docs/mcp.md): what an environment serves, as MCP prompts. A prompt's
// arguments are its typed variables and its partials' (name, description, required) and its chat placeholders;
// `prompts/get` is resolve — the same cache, experiments, guarded rollouts, exposures and key limits — rendered
// with the arguments, a chat prompt as messages. MCP arguments are strings: a number, boolean or JSON variable
// (and a placeholder's messages) is read from its text.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { assertEnvironmentAllowed } from "../auth/api-keys";
import { AppError } from "../errors";
import { compositionOf } from "../registry/composition";
import { parseImageDataUrl, type RenderedPart } from "../registry/content-parts";
import { choose, type ResolveRuntime } from "../runtime/answer";
import { chooseArm } from "../runtime/experiment-arms";
import { assertKeyMayRead } from "../runtime/key-limits";
import type { ResolvedPrompt } from "../runtime/load";
import { peekResolved, renderResolved, resolveBody, resolvePrompt, type ResolveQuery } from "../runtime/resolve";
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

/**
 * One rendered part as MCP content. An MCP prompt message holds one content item, so a message of parts
 * becomes one MCP message per part. A stored (data:) image goes as image data; an https: image as a link
 * the client may fetch (Lectern does not fetch images on the serving path).
 */
function mcpContent(p: RenderedPart): McpContent {
  if (p.type === "text") return p;
  const data = p.url.startsWith("data:") ? parseImageDataUrl(p.url, Number.MAX_SAFE_INTEGER) : null;
  if (data && typeof data !== "string") return { type: "image", data: data.base64, mimeType: data.mediaType };
  return { type: "resource_link", uri: p.url, name: "image", description: "An image of this prompt message" };
}

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
const servedAs = (r: ResolvedPrompt, version = r.version) => `${r.name} v${version} as ${r.environment} serves it`;

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

function typed(name: string, type: string, text: string): unknown {
  if (type === "string" || type === "image") return text;
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError(
      "invalid_input",
      `argument ${name} must be ${type === "json" ? "JSON" : `a ${type}`} (as text)`,
      {
        field: `arguments.${name}`,
      },
    );
  }
}

/** The prompt and partial versions an answer was made of (keyed as resolve's `composition` is). */
/** Where `_meta` names what was served: MCP prompts have no version of their own, so clients and traces read it here. */
export const META = {
  version: "lectern.dev/version",
  environment: "lectern.dev/environment",
  composition: "lectern.dev/composition",
  experiment: "lectern.dev/experiment",
} as const;

export type McpGetPromptResult = { description?: string; messages: McpMessage[]; _meta: Record<string, unknown> };

/** The routing argument `arg` (environment, subject): the prompt's own variable of that name takes precedence. */
const routing = (
  args: Record<string, string>,
  arg: (typeof ROUTING_ARGUMENTS)[number],
  declared: ReadonlySet<string>,
) => (declared.has(arg) ? args[`_${arg}`] : (args[arg] ?? args[`_${arg}`]));

const NO_NAMES: ReadonlySet<string> = new Set();
// A cached entry's declared names, once per entry (entries are replaced, never changed, when what is served changes).
const namesByEntry = new WeakMap<ResolvedPrompt, ReadonlySet<string>>();

function namesOf(r: ResolvedPrompt): ReadonlySet<string> {
  let names = namesByEntry.get(r);
  if (!names) namesByEntry.set(r, (names = new Set(argumentsOf(r).variables.map((v) => v.name))));
  return names;
}

/** What resolve serves for `q`: from L1 without an await when it is there, else through the caches to the database. */
const served = (rt: McpRuntime, db: Db, projectId: string, q: ResolveQuery) =>
  peekResolved(rt.prompts, projectId, q) ??
  resolvePrompt({ db, cache: rt.prompts }, projectId, q).then((r) => r.resolved);

/** The names a prompt declares as variables, read from what `environment` serves (none when it serves nothing). */
async function declaredNames(rt: McpRuntime, db: Db, principal: McpPrincipal, name: string, environment: string) {
  if (principal.environments && !principal.environments.includes(environment)) return NO_NAMES;
  const first = served(rt, db, principal.projectId, { name, environment });
  if (!(first instanceof Promise)) return namesOf(first);
  const read = await first.catch(() => null);
  return read ? namesOf(read) : NO_NAMES;
}

/**
 * prompts/get: resolve (experiments and rollouts by `subject`) on the resolve path's caches (L1, then L2, then the
 * database), rendered with the arguments, as MCP messages; `_meta` names the version, environment and composition.
 */
export async function getMcpPrompt(
  rt: McpRuntime,
  db: Db,
  principal: McpPrincipal,
  sessionEnvironment: string,
  name: string,
  args: Record<string, string> = {},
): Promise<McpGetPromptResult> {
  // The declared variables decide which arguments are routing ones: read the prompt once to know them (a cache hit
  // for the read that follows when the environment is the same).
  const candidate = args._environment ?? args.environment ?? sessionEnvironment;
  const declared = await declaredNames(rt, db, principal, name, candidate);
  const q = resolveBody.parse({
    name,
    environment: routing(args, "environment", declared) ?? sessionEnvironment,
    subject: routing(args, "subject", declared),
  });
  if (principal.environments) await assertKeyMayRead(db, principal.projectId, principal.environments, q);
  // An agent's loop reads from L1 without awaiting (as resolve's own fast path does).
  const hit = served(rt, db, principal.projectId, q);
  const resolved = hit instanceof Promise ? await hit : hit;
  const arm = chooseArm(resolved, q.subject);
  const choice = arm === "sticky" ? await choose(rt, resolved, q.subject) : arm;
  if (choice.experiment && q.subject) rt.exposures.record(choice.experiment, q.subject, Date.now());
  const { variables, placeholders } = argumentsOf(choice.arm);
  const values: Record<string, unknown> = {};
  for (const v of variables) if (args[v.name] !== undefined) values[v.name] = typed(v.name, v.type, args[v.name]!);
  for (const p of placeholders) if (args[p] !== undefined) values[p] = typed(p, "json", args[p]!);
  const { rendered } = renderResolved(choice.arm, values);
  const messages: McpMessage[] =
    typeof rendered === "string"
      ? [{ role: "user", content: { type: "text", text: rendered } }]
      : rendered.flatMap((m) => {
          // MCP prompts have two roles: what the model says, and everything it is told.
          const role = m.role === "assistant" ? "assistant" : "user";
          const parts = typeof m.content === "string" ? [{ type: "text" as const, text: m.content }] : m.content;
          return parts.map((p) => ({ role, content: mcpContent(p) }));
        });
  const e = choice.experiment;
  return {
    description: servedAs(resolved, choice.arm.version),
    messages,
    _meta: {
      [META.version]: choice.arm.version,
      [META.environment]: q.environment,
      [META.composition]: compositionOf(choice.arm, choice.arm.partials),
      ...(e
        ? {
            [META.experiment]: {
              id: e.id,
              variant: e.variant,
              phase: e.phase,
              ...(e.rollout ? { rollout: true } : {}),
            },
          }
        : {}),
    },
  };
}
