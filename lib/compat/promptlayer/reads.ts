// templates.get: one version as PromptLayer answers it. What an environment serves comes from lib/runtime's
// resolve (its cache), with the subject's experiment arm when metadata_filters names a subject; reshaping is
// the rest. A release label is an environment; a version is a version; neither is the newest version (as
// PromptLayer answers). A key limited to some environments reads only what resolve lets it read.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { AppError, isAppError } from "../../errors";
import type { TemplateContent } from "../../registry/content";
import type { ResolveRuntime } from "../../runtime/answer";
import { choose } from "../../runtime/answer";
import { findLabelTarget } from "../../release/version-labels/version-labels";
import { assertKeyMayRead } from "../../runtime/key-limits";
import type { ResolvedPrompt } from "../../runtime/load";
import { renderResolved, resolvePrompt, toContent } from "../../runtime/resolve";
import { renderOptionsFor } from "../../runtime/render-as-served";
import { renderedTemplate, unrenderedTemplate, type PlPromptTemplate } from "./blueprint";
import { integerIdOf, promptByIntegerId } from "./ids";
import { llmKwargsOf, plModelOf, type PlModel } from "./model-settings";
import type { PlGetBody } from "./shapes";

export type PlRuntime = Pick<ResolveRuntime, "prompts" | "sticky" | "exposures">;
/** What a read needs: the database, the process's runtime (resolve's cache), the project and the key's limits. */
export type PlReadDeps = { db: Db; runtime: PlRuntime; projectId: string; allowed: string[] | null };

export type VersionFacts = { version: number; tags: string[]; commitMessage: string };

/** A version's tags and commit message; without `version`, the newest version not deleted. */
export async function versionFacts(
  db: Db,
  projectId: string,
  name: string,
  version?: number,
): Promise<VersionFacts | undefined> {
  const [row] = await queryRows<{ version: number; tags: string[]; commit_message: string }>(
    db,
    sql`select v.version, p.tags, v.commit_message from prompts p join prompt_versions v on v.prompt_id = p.id
        where p.project_id = ${projectId} and p.name = ${name} and p.archived_at is null
          and (${version ?? null}::int is null or v.version = ${version ?? null}::int)
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)
        order by v.version desc limit 1`,
  );
  return row && { version: row.version, tags: row.tags, commitMessage: row.commit_message };
}

/** The prompt an identifier names: its name, or (digits naming no prompt) its integer id. */
async function promptNameOf(db: Db, projectId: string, identifier: string): Promise<string> {
  if (!/^\d{1,16}$/.test(identifier)) return identifier;
  if (await versionFacts(db, projectId, identifier)) return identifier;
  return (await promptByIntegerId(db, projectId, Number(identifier)))?.name ?? identifier;
}

const notFound = (name: string, what: string) =>
  new AppError("not_found", `Prompt template ${name}${what} not found.`, { prompt: name });

/** What a label of a prompt points to (an environment, else a version label); a missing prompt is a 404. */
export async function labelTargetOf(db: Db, projectId: string, name: string, label: string) {
  const [prompt] = await queryRows<{ id: string }>(
    db,
    sql`select id from prompts where project_id = ${projectId} and name = ${name} and archived_at is null`,
  );
  if (!prompt) throw new AppError("not_found", `No prompt named ${name} in this project.`, { prompt: name });
  return findLabelTarget(db, projectId, prompt.id, label);
}

const isMissingEnvironment = (e: unknown) => isAppError(e) && e.details?.field === "environment";

/**
 * What a release label serves: an environment's version (the subject's arm during an experiment), read through
 * resolve's cache; else the version a version label names (h/labels), read as a version pin.
 */
async function served(deps: PlReadDeps, name: string, label: string, subject: string | undefined) {
  const { db, runtime, projectId, allowed } = deps;
  if (!allowed || allowed.includes(label)) {
    try {
      const { resolved } = await resolvePrompt({ db, cache: runtime.prompts }, projectId, { name, environment: label });
      const choice = await choose(runtime, resolved, subject);
      if (choice.experiment && subject) runtime.exposures.record(choice.experiment, subject, Date.now());
      return choice.arm;
    } catch (e) {
      if (!isMissingEnvironment(e)) throw e;
    }
  }
  const target = await labelTargetOf(db, projectId, name, label);
  if (target?.kind === "environment") await assertKeyMayRead(db, projectId, allowed, { name, environment: label });
  if (target?.kind !== "version")
    throw new AppError(
      "not_found",
      `No release label ${label} on ${name}: PromptLayer's release labels are Lectern's environments, or version labels.`,
      { field: "label", label },
    );
  await assertKeyMayRead(db, projectId, allowed, { name, version: target.version });
  return pinned(deps, name, target.version);
}

/** One version, pinned: partials as the key's first environment (else production) serves them. */
async function pinned(deps: PlReadDeps, name: string, version: number): Promise<ResolvedPrompt> {
  const { db, runtime, projectId, allowed } = deps;
  const environment = allowed?.[0] ?? "production";
  return (await resolvePrompt({ db, cache: runtime.prompts }, projectId, { name, environment, version })).resolved;
}

// A version's tags and commit message, read once per resolved entry: resolve's cache replaces an entry whenever
// the project changes, so these are as fresh as the entry (a tag edit announces nothing: tags may lag it until the
// entry's L1 TTL), and an L1 hit answers without a round trip. A commit message never changes.
const factsOf = new WeakMap<ResolvedPrompt, VersionFacts>();

/** A served version's tags and commit message when they have been read already (synchronous: fast-read.ts). */
export const knownFacts = (arm: ResolvedPrompt): VersionFacts | undefined => factsOf.get(arm);

async function factsFor(deps: PlReadDeps, arm: ResolvedPrompt, known?: VersionFacts): Promise<VersionFacts> {
  let facts = factsOf.get(arm);
  if (!facts) {
    facts = known ??
      (await versionFacts(deps.db, deps.projectId, arm.name, arm.version)) ?? {
        version: arm.version,
        tags: [],
        commitMessage: "",
      };
    factsOf.set(arm, facts);
  }
  return facts;
}

/** POST /prompt-templates/{identifier}: label (an environment) wins over version; neither is the newest version. */
export async function readPromptLayerTemplate(deps: PlReadDeps, identifier: string, body: PlGetBody) {
  const { db, projectId, allowed } = deps;
  const name = await promptNameOf(db, projectId, identifier);
  if (body.label) {
    const filters = body.metadata_filters ?? {};
    const arm = await served(deps, name, body.label, filters.subject ?? filters.user_id);
    return templateAnswer(arm, await factsFor(deps, arm), body, projectId);
  }
  await assertKeyMayRead(db, projectId, allowed, { name, version: body.version ?? undefined, latest: !body.version });
  if (body.version) {
    const arm = await pinned(deps, name, body.version);
    return templateAnswer(arm, await factsFor(deps, arm), body, projectId);
  }
  // The newest version: which one it is takes a read (the newest version not deleted).
  const newest = await versionFacts(db, projectId, name);
  if (!newest) throw notFound(name, "");
  const arm = await pinned(deps, name, newest.version);
  return templateAnswer(arm, await factsFor(deps, arm, newest), body, projectId);
}

type Parts = { content: TemplateContent; partials: Record<string, string>; declared: ResolvedPrompt["variables"] };
// Kept per cached entry, as resolve keeps its render inputs (entries never change; a change replaces them).
const partsOf = new WeakMap<ResolvedPrompt, Parts>();

/** A resolved version's variables and partial texts, as the blueprint needs them. */
function parts(arm: ResolvedPrompt): Parts {
  let p = partsOf.get(arm);
  if (!p) partsOf.set(arm, (p = partsFor(arm)));
  return p;
}

function partsFor(arm: ResolvedPrompt): Parts {
  if (arm.type === "skill")
    throw new AppError(
      "unprocessable",
      `${arm.name} is a skill (a folder of files), not a prompt template: read it from Lectern's skills index or MCP.`,
      { prompt: arm.name, type: "skill" },
    );
  const opts = renderOptionsFor(arm);
  // The version's own declaration wins over a partial's, as the render path has it.
  const declared = [...arm.variables, ...Object.values(opts.declared ?? {}).flat()].filter(
    (v, i, all) => all.findIndex((w) => w.name === v.name) === i,
  );
  return { content: toContent(arm) as TemplateContent, partials: opts.partials ?? {}, declared };
}

/** The template as PromptLayer's clients read it: rendered when input_variables were given (and not skipped). */
export function plTemplateOf(arm: ResolvedPrompt, values?: Record<string, unknown> | null): PlPromptTemplate {
  const { content, partials, declared } = parts(arm);
  return values
    ? renderedTemplate(
        renderResolved(arm, values).rendered,
        content.config,
        declared.map((v) => v.name),
      )
    : unrenderedTemplate(content, partials, declared);
}

/** Model, metadata and llm_kwargs of a version's template. */
export function plModelFields(
  template: PlPromptTemplate,
  config: ResolvedPrompt["config"],
  body: Pick<PlGetBody, "model" | "provider" | "model_parameter_overrides"> = {},
): { metadata: { model?: PlModel }; llm_kwargs: Record<string, unknown> | null; warning: string | null } {
  const model = plModelOf(config, body.model, body.model_parameter_overrides);
  if (!model) return { metadata: {}, llm_kwargs: null, warning: null };
  const { kwargs, warning } = llmKwargsOf(template, model, body.provider);
  return { metadata: { model }, llm_kwargs: kwargs, warning };
}

/** templates.get's answer: the fields in this order (fast-read.ts writes the same bytes from its parts). */
export function templateAnswer(arm: ResolvedPrompt, facts: VersionFacts, body: PlGetBody, projectId: string) {
  const render = body.input_variables && !body.skip_input_variable_rendering ? body.input_variables : null;
  const template = plTemplateOf(arm, render);
  const { metadata, llm_kwargs, warning } = plModelFields(template, arm.config, body);
  return {
    success: true,
    id: integerIdOf(arm.promptId),
    prompt_name: arm.name,
    version: arm.version,
    workspace_id: integerIdOf(projectId),
    prompt_template: template,
    metadata,
    commit_message: facts.commitMessage || null,
    tags: facts.tags,
    llm_kwargs,
    snippets: [],
    warning,
  };
}
