// Who includes a prompt (docs/decisions/partial-releases.md). `{{> tone}}` includes tone as the environment serves it,
// so releasing a version of tone to an environment changes what every prompt served there that includes it (directly or
// through other partials, `{{> tone|label=<that environment>}}` alike) renders. Those prompts are the
// partial's dependents in that environment; their own release rules apply to the composed result
// (plan/plan-dependents.ts). A reference pinned to a version, to `latest` or to another environment's label
// does not follow this environment's release, so it does not make a dependent here.
import { sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../db/client";
import { AppError, isAppError } from "../errors";
import type { Content } from "../registry/content";
import { formatPartialRef } from "../registry/templates/partial-refs";
import { getPrompt, type PromptRow } from "../registry/prompts";
import { collectPartials, defaultMaxPartialDepth } from "../registry/templates/partials";
import { environmentGraph } from "../registry/live-versions";
import { environmentNameSchema, getEnvironmentRow, listEnvironmentRows, type EnvironmentRow } from "./environments";
import { gateFacts } from "./gates/gate-facts";
import type { Dependent, DependentFacts } from "./plan/plan-dependents";
import { shadowFacts } from "./plan/shadow-facts";

type ServedRoot = { id: string; name: string; version: number; content: Content };

/**
 * The names that may lead to `partial`: itself, and every prompt one of whose versions (any version: a pin can
 * include an old one) includes a name already found, up to defaultMaxPartialDepth + 1 levels. One recursive
 * query over the index of partial references (prompt_version_partial_refs, written when a version is saved);
 * the graph confirms each candidate.
 *
 * The prompts that include a name are read from the index one probe each, the next prompt id after the last
 * (a loose index scan): as many reads as prompts that include it, however many of their versions do. A plain
 * join would leave the planner to guess, for a name it cannot see, how many versions include it; a partial
 * that most versions include makes that guess a scan of the whole index at every level.
 */
export async function namesLeadingTo(db: Db, projectId: string, partial: string): Promise<string[]> {
  const rows = await queryRows<{ name: string }>(
    db,
    sql`with recursive reach(name, depth) as (
          select ${partial}::text, 0
          union
          select p.name, l.depth + 1 from reach l
          cross join lateral (
            with recursive including(prompt_id) as (
              (select r.prompt_id from prompt_version_partial_refs r
               where r.project_id = ${projectId} and r.ref_name = l.name order by r.prompt_id limit 1)
              union all
              select (select r.prompt_id from prompt_version_partial_refs r
                      where r.project_id = ${projectId} and r.ref_name = l.name and r.prompt_id > i.prompt_id
                      order by r.prompt_id limit 1)
              from including i where i.prompt_id is not null
            )
            select prompt_id from including where prompt_id is not null
          ) r
          join prompts p on p.id = r.prompt_id and p.archived_at is null
          where l.depth <= ${defaultMaxPartialDepth}
        )
        select distinct name from reach`,
  );
  return rows.map((r) => r.name);
}

/**
 * The prompts among `names` served in an environment whose served version includes one of `names` (the only
 * candidates). A prompt served there that includes one of them but is not among them is at least
 * defaultMaxPartialDepth + 2 levels above the partial in every version, so the environment cannot serve
 * it with the partial inside: the graph check would drop it.
 */
async function servedMentioning(db: Db, projectId: string, env: EnvironmentRow, names: string[], except: string) {
  return queryRows<ServedRoot>(
    db,
    sql`select p.id, p.name, d.version, v.content from prompts p
        join lateral (
          select version from deployments where prompt_id = p.id and environment_id = ${env.id}
          order by created_at desc, id desc limit 1
        ) d on true
        join prompt_versions v on v.prompt_id = p.id and v.version = d.version
        where p.project_id = ${projectId} and p.name = any(${sql.param(names)}::text[])
          and p.archived_at is null and p.name <> ${except}
          and exists (select 1 from prompt_version_partial_refs r
                      where r.prompt_id = v.prompt_id and r.version = v.version
                        and r.ref_name = any(${sql.param(names)}::text[]))
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)
        order by p.name`,
  );
}

/**
 * Refuses to serve `version` of a skill in `env` when a prompt served there would stop composing with it: a skill's
 * SKILL.md is never checked as a template when it is saved (agents read it as written), so a body that does not
 * parse, or nests too deep, is caught here, before the prompts that include it fail at resolve. A prompt whose
 * graph fails already is not the release's doing and is left to its own plan.
 */
export async function assertDependentsCompose(
  db: Db,
  projectId: string,
  partial: string,
  env: EnvironmentRow,
  version: number,
): Promise<void> {
  const names = await namesLeadingTo(db, projectId, partial);
  for (const root of await servedMentioning(db, projectId, env, names, partial)) {
    const graph = (overrides: Record<string, number> | null) =>
      environmentGraph(db, projectId, root, env.name, undefined, overrides);
    // A template that does not parse is invalid_input; a cycle, depth or size, unprocessable.
    const broken = (e: unknown) => isAppError(e) && (e.code === "unprocessable" || e.code === "invalid_input");
    try {
      await graph(null);
    } catch (e) {
      if (broken(e)) continue;
      throw e;
    }
    try {
      await graph({ [partial]: version });
    } catch (e) {
      if (!broken(e)) throw e;
      throw new AppError(
        "unprocessable",
        `${root.name} (version ${root.version}), served in ${env.name}, includes ${partial}, and would not render with its version ${version}: ${(e as AppError).message}`,
        { ...(e as AppError).details, rule: "dependents.compose", dependent: root.name },
      );
    }
  }
}

/** The prompts that change in `env` when it serves another version of `partial`, with what each serves. */
export async function dependentsIn(
  db: Db,
  projectId: string,
  partial: string,
  env: EnvironmentRow,
  /** namesLeadingTo(partial) when the caller reads it for other uses too (plan-facts.ts). */
  leading: () => Promise<string[]> = () => namesLeadingTo(db, projectId, partial),
): Promise<(Dependent & { id: string })[]> {
  const keys = [partial, formatPartialRef({ name: partial, label: env.name })];
  const out: (Dependent & { id: string })[] = [];
  const names = await leading();
  for (const root of await servedMentioning(db, projectId, env, names, partial)) {
    let included: Record<string, unknown>;
    try {
      included = (await environmentGraph(db, projectId, root, env.name)).partials;
    } catch (e) {
      // A graph the environment cannot serve (a cycle) renders nothing either way.
      if (isAppError(e) && e.code === "unprocessable") continue;
      throw e;
    }
    if (!keys.some((k) => k in included)) continue;
    out.push({
      id: root.id,
      name: root.name,
      environment: env.name,
      serves: Number(root.version),
      direct: collectPartials(root.content).some((r) => keys.includes(r)),
    });
  }
  return out;
}

/** GET /api/v1/prompts/{name}/dependents: in one environment, or in each of the project's. */
export async function listPromptDependents(
  db: Db,
  projectId: string,
  name: string,
  environment?: string,
): Promise<Dependent[]> {
  const prompt = await getPrompt(db, projectId, name);
  const envs = environment
    ? [await getEnvironmentRow(db, projectId, environment)]
    : await listEnvironmentRows(db, projectId);
  const out: Dependent[] = [];
  for (const env of envs) for (const d of await dependentsIn(db, projectId, prompt.name, env)) out.push(strip(d));
  return out;
}

/** GET /api/v1/prompts/{name}/dependents: each prompt that includes this one, where, and the version served there. */
export const dependentsResponse = z.object({
  dependents: z.array(
    z.object({ name: z.string(), environment: z.string(), serves: z.number().int(), direct: z.boolean() }),
  ),
});
const _dependents: (d: Dependent[]) => z.input<typeof dependentsResponse>["dependents"] = (d) => d;
void _dependents;

const strip = ({ name, environment, serves, direct }: Dependent): Dependent => ({ name, environment, serves, direct });

/** The facts of each dependent of `prompt` for a release of `version` to `env` (empty for most prompts). */
export async function dependentFacts(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  env: EnvironmentRow,
  version: number,
  /** namesLeadingTo(prompt.name), when the caller reads it for other uses too (plan-facts.ts). */
  leading?: () => Promise<string[]>,
): Promise<DependentFacts[]> {
  const out: DependentFacts[] = [];
  for (const d of await dependentsIn(db, projectId, prompt.name, env, leading)) {
    const partials = { [prompt.name]: version };
    const gate = await gateFacts(db, { id: d.id }, env, d.serves, d.serves, async () => true, partials);
    // The dependent's live version rendered with the candidate partial, against it as served now.
    const shadow =
      env.shadowMinInputs === null
        ? null
        : await shadowFacts(db, d.id, env.id, d.serves, d.serves, env.shadowMinInputs, partials);
    out.push({ ...strip(d), gate, requiresReview: env.requiresReview, shadow });
  }
  return out;
}

/** GET …/dependents: in one environment, or (left out) in each of the project's (listPromptDependents). */
export const dependentsQuery = z.object({
  environment: environmentNameSchema
    .optional()
    .describe("Only the prompts that include this one in this environment (default: in each of the project's)"),
});
