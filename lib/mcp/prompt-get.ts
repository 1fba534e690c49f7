// prompts/get over the Model Context Protocol (docs/mcp.md): resolve — the same cache, experiments, guarded
// rollouts, exposures and key limits — rendered with the arguments, a chat prompt as messages. MCP arguments are
// strings: a number, boolean or JSON variable (and a placeholder's messages) is read from its text. An agent's loop
// is answered from L1 without an await (peekMcpPrompt), as resolve's own fast path answers an application's.
import type { Db } from "../../db/client";
import { AppError } from "../errors";
import { compositionOf } from "../registry/composition";
import { parseImageDataUrl, type RenderedPart } from "../registry/content-parts";
import { choose } from "../runtime/answer";
import { chooseArm, type ArmChoice } from "../runtime/experiment-arms";
import { assertKeyMayRead } from "../runtime/key-limits";
import type { ResolvedPrompt } from "../runtime/load";
import { peekResolved, renderResolved, resolveBody, resolvePrompt, type ResolveQuery } from "../runtime/resolve";
import {
  argumentsOf,
  ROUTING_ARGUMENTS,
  servedAs,
  type McpContent,
  type McpMessage,
  type McpPrincipal,
  type McpRuntime,
} from "./mcp-prompts";

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

/** The query prompts/get resolves: the routing arguments read as the prompt's declared variables leave them. */
const queryOf = (
  args: Record<string, string>,
  declared: ReadonlySet<string>,
  name: string,
  sessionEnvironment: string,
) =>
  resolveBody.parse({
    name,
    environment: routing(args, "environment", declared) ?? sessionEnvironment,
    subject: routing(args, "subject", declared),
  });

/** The arm rendered with the arguments (read as each variable's type reads them), as MCP messages. */
function messagesOf(arm: ResolvedPrompt, args: Record<string, string>): McpMessage[] {
  const { variables, placeholders } = argumentsOf(arm);
  const values: Record<string, unknown> = {};
  for (const v of variables) if (args[v.name] !== undefined) values[v.name] = typed(v.name, v.type, args[v.name]!);
  for (const p of placeholders) if (args[p] !== undefined) values[p] = typed(p, "json", args[p]!);
  const { rendered } = renderResolved(arm, values);
  return typeof rendered === "string"
    ? [{ role: "user", content: { type: "text", text: rendered } }]
    : rendered.flatMap((m) => {
        // MCP prompts have two roles: what the model says, and everything it is told.
        const role = m.role === "assistant" ? "assistant" : "user";
        const parts = typeof m.content === "string" ? [{ type: "text" as const, text: m.content }] : m.content;
        return parts.map((p) => ({ role, content: mcpContent(p) }));
      });
}

/** prompts/get's result: the messages, the description and `_meta` naming what was served. */
function resultOf(resolved: ResolvedPrompt, choice: ArmChoice, environment: string, messages: McpMessage[]) {
  const e = choice.experiment;
  return {
    description: servedAs(resolved, choice.arm.version),
    messages,
    _meta: {
      [META.version]: choice.arm.version,
      [META.environment]: environment,
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
  } satisfies McpGetPromptResult;
}

// What surrounds the messages in the result's JSON for an entry served outside any experiment, per entry (entries
// are replaced, never changed): the same text JSON.stringify(resultOf(…)) writes, made once.
const resultFrames = new WeakMap<ResolvedPrompt, { environment: string; head: string; tail: string }>();

/** JSON.stringify(resultOf(…)), with the parts that do not change kept per entry. */
function resultJson(resolved: ResolvedPrompt, choice: ArmChoice, environment: string, messages: McpMessage[]) {
  if (choice.experiment || choice.arm !== resolved)
    return JSON.stringify(resultOf(resolved, choice, environment, messages));
  let frame = resultFrames.get(resolved);
  if (frame?.environment !== environment) {
    const whole = JSON.stringify(resultOf(resolved, choice, environment, []));
    const at = whole.indexOf(',"_meta":');
    frame = { environment, head: whole.slice(0, at - "[]".length), tail: whole.slice(at) };
    resultFrames.set(resolved, frame);
  }
  return `${frame.head}${JSON.stringify(messages)}${frame.tail}`;
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
  const q = queryOf(args, declared, name, sessionEnvironment);
  if (principal.environments) await assertKeyMayRead(db, principal.projectId, principal.environments, q);
  const hit = served(rt, db, principal.projectId, q);
  const resolved = hit instanceof Promise ? await hit : hit;
  const arm = chooseArm(resolved, q.subject);
  const choice = arm === "sticky" ? await choose(rt, resolved, q.subject) : arm;
  if (choice.experiment && q.subject) rt.exposures.record(choice.experiment, q.subject, Date.now());
  return resultOf(resolved, choice, q.environment, messagesOf(choice.arm, args));
}

/**
 * prompts/get answered from L1 alone, without an await (an agent's loop, as resolve's own fast path): the result as
 * the JSON text getMcpPrompt's result serializes to, or undefined — with nothing done — when the answer needs I/O
 * (a miss, a bandit's stored assignment, a key limited to environments) or is an error (getMcpPrompt says which).
 */
export function peekMcpPrompt(
  rt: McpRuntime,
  principal: McpPrincipal,
  sessionEnvironment: string,
  name: string,
  args: Record<string, string>,
): string | undefined {
  if (principal.environments) return undefined;
  const candidate = args._environment ?? args.environment ?? sessionEnvironment;
  const first = peekResolved(rt.prompts, principal.projectId, { name, environment: candidate });
  if (!first) return undefined;
  try {
    const q = queryOf(args, namesOf(first), name, sessionEnvironment);
    const resolved = peekResolved(rt.prompts, principal.projectId, q);
    if (!resolved) return undefined;
    const choice = chooseArm(resolved, q.subject);
    if (choice === "sticky") return undefined;
    const text = resultJson(resolved, choice, q.environment, messagesOf(choice.arm, args));
    if (choice.experiment && q.subject) rt.exposures.record(choice.experiment, q.subject, Date.now());
    return text;
  } catch {
    return undefined; // an argument or a name refused: getMcpPrompt answers the error
  }
}
