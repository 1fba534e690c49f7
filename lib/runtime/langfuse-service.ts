// Reads behind the Langfuse-compatible routes: one prompt version as Langfuse returns it, and the list.
// A version's labels are the environments serving it now, plus `latest` on the newest version; archived
// (deleted) versions are invisible here. Writes are in langfuse-writes.ts.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError, isAppError } from "../errors";
import type { Content } from "../registry/content";
import { refPromptName } from "../registry/partial-refs";
import { findPrompt, type PromptRow } from "../registry/prompts";
import { analyzeTemplate, collectPartials } from "../registry/template";
import {
  createdByOf,
  langfuseRecord,
  latestLabel,
  type LangfuseListQuery,
  type LangfuseRecord,
  type ResolutionGraph,
} from "./langfuse";
import { environmentGraph } from "../registry/served";

export interface VersionState {
  id: string;
  version: number;
  type: "text" | "chat";
  config: Record<string, unknown>;
  labels: string[];
  commitMessage: string;
  authorLabel: string;
  createdAt: Date;
  updatedAt: Date;
}

type StateRow = {
  prompt_id: string;
  name: string;
  tags: string[];
  id: string;
  version: number;
  type: "text" | "chat";
  config: Record<string, unknown>;
  labels: string[];
  commit_message: string;
  author_label: string;
  created_at: string | Date;
  updated_at: string | Date;
};

/**
 * Every visible version of the project's prompts (or of one prompt) with its Langfuse labels and
 * updatedAt: when it was created, or later when a label arrived at it or left it (a deployment that
 * made it live, or replaced it, in some environment).
 */
function versionStates(projectId: string, promptId?: string): SQL {
  const one = promptId ? sql`and p.id = ${promptId}` : sql``;
  return sql`with lv as (
      select distinct on (d.prompt_id, d.environment_id) d.prompt_id, d.environment_id, d.version
      from deployments d join prompts p on p.id = d.prompt_id
      where p.project_id = ${projectId} ${one}
      order by d.prompt_id, d.environment_id, d.id desc
    ), moves as (
      select d.prompt_id, d.version, d.created_at,
             lag(d.version) over (partition by d.prompt_id, d.environment_id order by d.id) as prev
      from deployments d join prompts p on p.id = d.prompt_id
      where p.project_id = ${projectId} ${one}
    ), touched as (
      select prompt_id, version, max(created_at) as at from (
        select prompt_id, version, created_at from moves
        union all select prompt_id, prev, created_at from moves where prev is not null
      ) t group by prompt_id, version
    ), vs as (
      select p.id as prompt_id, p.name, p.tags, v.id, v.version, v.content->>'type' as type,
             v.content->'config' as config, v.commit_message, v.author_label, v.created_at,
             greatest(v.created_at, t.at) as updated_at,
             v.version = max(v.version) over (partition by p.id) as is_latest
      from prompts p
      join prompt_versions v on v.prompt_id = p.id
      left join touched t on t.prompt_id = v.prompt_id and t.version = v.version
      where p.project_id = ${projectId} and p.archived_at is null ${one}
        and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)
    ), labeled as (
      select vs.*,
             array(select e.name from lv join environments e on e.id = lv.environment_id
                   where lv.prompt_id = vs.prompt_id and lv.version = vs.version order by e.position, e.name)
             || (case when vs.is_latest then array[${latestLabel}]::text[] else array[]::text[] end) as labels
      from vs
    )`;
}

const toState = (r: StateRow): VersionState => ({
  id: r.id,
  version: r.version,
  type: r.type,
  config: r.config ?? {},
  labels: r.labels,
  commitMessage: r.commit_message,
  authorLabel: r.author_label,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

/** A prompt that exists and is not archived, or 404 as Langfuse words it. */
export async function visiblePrompt(db: Db, projectId: string, name: string, what = ""): Promise<PromptRow> {
  const prompt = await findPrompt(db, projectId, name);
  if (!prompt || prompt.archivedAt !== null)
    throw new AppError("not_found", `Prompt not found: '${name}'${what}`, { prompt: name });
  return prompt;
}

/** The visible versions of one prompt, oldest first. */
export async function promptVersionStates(db: Db, projectId: string, promptId: string): Promise<VersionState[]> {
  const rows = await queryRows<StateRow>(
    db,
    sql`${versionStates(projectId, promptId)} select * from labeled order by version`,
  );
  return rows.map(toState);
}

async function versionContent(db: Db, promptId: string, version: number): Promise<Content> {
  const [row] = await queryRows<{ content: Content }>(
    db,
    sql`select content from prompt_versions where prompt_id = ${promptId} and version = ${version}`,
  );
  return row!.content;
}

/** The ids of versions, for resolution graphs: "name\u0000version" → id. */
async function versionIds(db: Db, projectId: string, pairs: { name: string; version: number }[]) {
  if (!pairs.length) return new Map<string, string>();
  const names = [...new Set(pairs.map((p) => p.name))];
  const rows = await queryRows<{ name: string; version: number; id: string }>(
    db,
    sql`select p.name, v.version, v.id from prompt_versions v join prompts p on p.id = v.prompt_id
        where p.project_id = ${projectId} and p.name in ${names}`,
  );
  return new Map(rows.map((r) => [`${r.name}\u0000${r.version}`, r.id]));
}

/** Langfuse's resolutionGraph: root, and for each including version (by id) the versions it includes. */
async function resolutionGraphOf(
  db: Db,
  projectId: string,
  root: { id: string; name: string; version: number; content: Content },
  partials: Record<string, { version: number; text: string }>,
): Promise<ResolutionGraph> {
  const refs = Object.keys(partials);
  if (!refs.length) return null;
  const node = (ref: string) => ({ name: refPromptName(ref), version: partials[ref]!.version });
  const ids = await versionIds(db, projectId, refs.map(node));
  const idOf = (n: { name: string; version: number }) => ids.get(`${n.name}\u0000${n.version}`) ?? "";
  const dependencies: Record<string, { name: string; version: number; id: string }[]> = {};
  const add = (from: string, includes: string[]) => {
    const list = includes.filter((r) => r in partials).map((r) => ({ ...node(r), id: idOf(node(r)) }));
    if (list.length) dependencies[from] = [...(dependencies[from] ?? []), ...list];
  };
  add(root.id, collectPartials(root.content));
  for (const ref of refs) {
    const id = idOf(node(ref));
    if (!dependencies[id]) add(id, analyzeTemplate(partials[ref]!.text, `partials.${ref}`).partials);
  }
  return { root: { name: root.name, version: root.version, id: root.id }, dependencies };
}

export async function recordOf(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  state: VersionState,
  opts: { resolve: boolean; environment: string },
): Promise<LangfuseRecord> {
  const content = await versionContent(db, prompt.id, state.version);
  let partials: Record<string, string> | null = null;
  let resolutionGraph: ResolutionGraph = null;
  if (opts.resolve) {
    let graph: Awaited<ReturnType<typeof environmentGraph>>;
    try {
      graph = await environmentGraph(
        db,
        projectId,
        { name: prompt.name, version: state.version, content },
        opts.environment,
      );
    } catch (e) {
      // A cycle or an over-deep graph that exists only now (a label moved since the save): Langfuse
      // answers 409 for what cannot be resolved. Too large an expansion stays Lectern's 422.
      const d = isAppError(e) ? e.details : undefined;
      if (isAppError(e) && (Array.isArray(d?.cycle) || Array.isArray(d?.chain)))
        throw new AppError("conflict", e.message, e.details);
      throw e;
    }
    if (graph.missing.length)
      throw new AppError(
        "conflict",
        `Prompt dependency not found: ${graph.missing.join(", ")} (the version or label it names is not there any more)`,
        { missing: graph.missing },
      );
    partials = Object.fromEntries(Object.entries(graph.partials).map(([k, p]) => [k, p.text]));
    resolutionGraph = await resolutionGraphOf(
      db,
      projectId,
      { id: state.id, name: prompt.name, version: state.version, content },
      graph.partials,
    );
  }
  return langfuseRecord({
    id: state.id,
    projectId,
    name: prompt.name,
    version: state.version,
    content,
    labels: state.labels,
    tags: prompt.tags,
    commitMessage: state.commitMessage,
    createdBy: createdByOf(state.authorLabel),
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    partials,
    resolutionGraph,
  });
}

/** Versions of a prompt that have been live in one of `allowed` (what an environment-limited key may read). */
async function versionsLiveIn(db: Db, promptId: string, allowed: string[]): Promise<Set<number>> {
  if (!allowed.length) return new Set();
  const rows = await queryRows<{ version: number }>(
    db,
    sql`select distinct d.version from deployments d join environments en on en.id = d.environment_id
        where d.prompt_id = ${promptId} and en.name in ${allowed}`,
  );
  return new Set(rows.map((r) => r.version));
}

/** What an environment-limited key sees: those versions, only its environments' labels (never `latest`). */
function limitStates(states: VersionState[], versions: Set<number> | null, allowed: string[] | null) {
  if (!allowed || !versions) return states;
  return states
    .filter((st) => versions.has(st.version))
    .map((st) => ({ ...st, labels: st.labels.filter((l) => allowed.includes(l)) }));
}

/** GET /api/public/v2/prompts/{name}: by version, or by label (default production; `latest` is the newest). */
export async function getLangfusePrompt(
  db: Db,
  projectId: string,
  name: string,
  q: { label?: string; version?: number; resolve?: "true" | "false" },
  allowed: string[] | null = null,
): Promise<LangfuseRecord> {
  const label = q.version === undefined ? (q.label ?? "production") : undefined;
  const what = q.version !== undefined ? ` with version ${q.version}` : ` with label '${label}'`;
  const prompt = await visiblePrompt(db, projectId, name, what);
  const states = limitStates(
    await promptVersionStates(db, projectId, prompt.id),
    allowed && (await versionsLiveIn(db, prompt.id, allowed)),
    allowed,
  );
  const state =
    q.version !== undefined
      ? states.find((s) => s.version === q.version)
      : states.find((s) => s.labels.includes(label!));
  if (!state) throw new AppError("not_found", `Prompt not found: '${name}'${what}`, { prompt: name });
  // Unpinned partials ({{> name}}) are read as the asked environment serves them (production otherwise).
  const environment = label && label !== latestLabel ? label : "production";
  return recordOf(db, projectId, prompt, state, { resolve: q.resolve !== "false", environment });
}

/** The `readable` CTE: every labeled version, or for a limited key its environments' versions and labels. */
function limited(allowed: string[] | null): SQL {
  if (!allowed || !allowed.length) return sql`readable as (select * from labeled)`;
  return sql`readable as (
      select l.prompt_id, l.name, l.tags, l.id, l.version, l.type, l.config, l.commit_message, l.author_label,
             l.created_at, l.updated_at, l.is_latest,
             array(select x from unnest(l.labels) x where x in ${allowed}) as labels
      from labeled l
      where exists (select 1 from deployments d join environments en on en.id = d.environment_id
                    where d.prompt_id = l.prompt_id and d.version = l.version and en.name in ${allowed}))`;
}

type ListRow = {
  name: string;
  tags: string[];
  versions: number[];
  labels: string[];
  last_updated_at: string | Date;
  type: "text" | "chat";
  last_config: Record<string, unknown> | null;
  total: number;
};

/**
 * GET /api/public/v2/prompts with Langfuse's semantics: the filters select versions (a label filter
 * keeps only the versions carrying it), then each prompt lists its matching versions, their labels,
 * and the type and config of the newest matching one.
 */
export async function listLangfusePrompts(
  db: Db,
  projectId: string,
  q: LangfuseListQuery,
  allowed: string[] | null = null,
) {
  const where: SQL[] = [sql`true`];
  // An environment-limited key lists only versions live (now or before) in its environments, with their labels.
  if (allowed && !allowed.length) where.push(sql`false`);
  if (q.name) where.push(sql`name = ${q.name}`);
  if (q.version !== undefined) where.push(sql`version = ${q.version}`);
  if (q.label) where.push(sql`${q.label} = any(labels)`);
  if (q.tag) where.push(sql`${q.tag} = any(tags)`);
  if (q.fromUpdatedAt) where.push(sql`updated_at >= ${q.fromUpdatedAt}::timestamptz`);
  if (q.toUpdatedAt) where.push(sql`updated_at < ${q.toUpdatedAt}::timestamptz`);
  const rows = await queryRows<ListRow>(
    db,
    sql`${versionStates(projectId)}, ${limited(allowed)}, matching as (select * from readable where ${sql.join(where, sql` and `)})
        select m.name, m.tags,
               array_agg(distinct m.version order by m.version) as versions,
               coalesce(array_agg(distinct l.label) filter (where l.label is not null), '{}') as labels,
               max(m.updated_at) as last_updated_at,
               (array_agg(m.type order by m.version desc))[1] as type,
               (array_agg(m.config order by m.version desc))[1] as last_config,
               count(*) over ()::int as total
        from matching m left join lateral unnest(m.labels) as l(label) on true
        group by m.name, m.tags order by m.name
        limit ${q.limit} offset ${(q.page - 1) * q.limit}`,
  );
  let total = rows[0]?.total;
  if (total === undefined && q.page > 1) {
    // Past the last page: count without the page's window.
    const [c] = await queryRows<{ n: number }>(
      db,
      sql`${versionStates(projectId)}, ${limited(allowed)} select count(distinct name)::int as n from readable where ${sql.join(where, sql` and `)}`,
    );
    total = c?.n ?? 0;
  }
  const meta = { page: q.page, limit: q.limit, totalItems: total ?? 0, totalPages: Math.ceil((total ?? 0) / q.limit) };
  return {
    data: rows.map((r) => ({
      name: r.name,
      type: r.type,
      versions: r.versions,
      labels: r.labels,
      tags: r.tags,
      lastUpdatedAt: new Date(r.last_updated_at).toISOString(),
      lastConfig: r.last_config ?? {},
    })),
    meta,
    // Langfuse still answers `pagination` too (its issue 2068), and older clients read it.
    pagination: meta,
  };
}
