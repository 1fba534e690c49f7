// Who includes a prompt (issue 42). `{{> tone}}` includes tone as the environment serves it, so releasing
// a version of tone to an environment changes what every prompt served there that includes it (directly or
// through other partials, `{{> tone|label=<that environment>}}` alike) renders. Those prompts are the
// partial's dependents in that environment; their own release rules apply to the composed result
// (plan-dependents.ts). A reference pinned to a version, to `latest` or to another environment's label
// does not follow this environment's release, so it does not make a dependent here.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { isAppError } from "../errors";
import type { Content } from "../registry/content";
import { formatPartialRef } from "../registry/partial-refs";
import { getPrompt, type PromptRow } from "../registry/prompts";
import { collectPartials, defaultMaxPartialDepth } from "../registry/partials";
import { environmentGraph } from "../registry/served";
import { getEnvironment, listEnvironments, type EnvironmentRow } from "./environments";
import { gateFacts } from "./gate-facts";
import type { Dependent, DependentFacts } from "./plan-dependents";

type ServedRoot = { id: string; name: string; version: number; content: Content };

/**
 * The names that may lead to `partial`: itself, and every prompt one of whose versions (any version: a
 * pin can include an old one) mentions a name already found, to a fixed point. A superset, by text; the
 * graph confirms each candidate. One query per level of nesting.
 */
async function namesLeadingTo(db: Db, projectId: string, partial: string): Promise<string[]> {
  const found = new Set([partial]);
  let frontier = [partial];
  for (let depth = 0; frontier.length && depth <= defaultMaxPartialDepth; depth++) {
    const rows = await queryRows<{ name: string }>(
      db,
      sql`select distinct p.name from prompts p join prompt_versions v on v.prompt_id = p.id
          where p.project_id = ${projectId} and p.archived_at is null and strpos(v.content::text, '{{>') > 0
            and exists (select 1 from unnest(${sql.param(frontier)}::text[]) n
                        where strpos(v.content::text, n) > 0)`,
    );
    frontier = rows.map((r) => r.name).filter((n) => !found.has(n));
    for (const n of frontier) found.add(n);
  }
  return [...found];
}

/** The prompts served in an environment whose text mentions one of `names` (the only candidates). */
async function servedMentioning(db: Db, projectId: string, env: EnvironmentRow, names: string[], except: string) {
  return queryRows<ServedRoot>(
    db,
    sql`select p.id, p.name, d.version, v.content from prompts p
        join lateral (
          select version from deployments where prompt_id = p.id and environment_id = ${env.id}
          order by created_at desc, id desc limit 1
        ) d on true
        join prompt_versions v on v.prompt_id = p.id and v.version = d.version
        where p.project_id = ${projectId} and p.archived_at is null and p.name <> ${except}
          and strpos(v.content::text, '{{>') > 0
          and exists (select 1 from unnest(${sql.param(names)}::text[]) n
                      where strpos(v.content::text, n) > 0)
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)
        order by p.name`,
  );
}

/** The prompts that change in `env` when it serves another version of `partial`, with what each serves. */
export async function dependentsIn(
  db: Db,
  projectId: string,
  partial: string,
  env: EnvironmentRow,
): Promise<(Dependent & { id: string })[]> {
  const keys = [partial, formatPartialRef({ name: partial, label: env.name })];
  const out: (Dependent & { id: string })[] = [];
  const names = await namesLeadingTo(db, projectId, partial);
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
export async function listDependents(
  db: Db,
  projectId: string,
  name: string,
  environment?: string,
): Promise<Dependent[]> {
  const prompt = await getPrompt(db, projectId, name);
  const envs = environment ? [await getEnvironment(db, projectId, environment)] : await listEnvironments(db, projectId);
  const out: Dependent[] = [];
  for (const env of envs) for (const d of await dependentsIn(db, projectId, prompt.name, env)) out.push(strip(d));
  return out;
}

const strip = ({ name, environment, serves, direct }: Dependent): Dependent => ({ name, environment, serves, direct });

/** The facts of each dependent of `prompt` for a release of `version` to `env` (empty for most prompts). */
export async function dependentFacts(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  env: EnvironmentRow,
  version: number,
): Promise<DependentFacts[]> {
  const out: DependentFacts[] = [];
  for (const d of await dependentsIn(db, projectId, prompt.name, env)) {
    const gate = await gateFacts(db, { id: d.id }, env, d.serves, d.serves, async () => true, {
      [prompt.name]: version,
    });
    out.push({
      ...strip(d),
      gate,
      requiresReview: env.requiresReview,
      requiresShadow: env.shadowMinInputs !== null,
    });
  }
  return out;
}
