// GET /api/public/v2/prompts: the list, with Langfuse's filter and paging semantics.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { latestLabel, type LangfuseListQuery } from "./mapping";
import { versionStates } from "./states";

/**
 * The `readable` CTE: every labeled version, or for a limited key its environments' versions with their
 * labels but other environments' (and `latest`): version labels stay, on versions such a key may read.
 */
function limited(allowed: string[] | null): SQL {
  if (!allowed || !allowed.length) return sql`readable as (select * from labeled)`;
  return sql`readable as (
      select l.prompt_id, l.name, l.tags, l.id, l.version, l.type, l.config, l.commit_message, l.author_label,
             l.created_at, l.updated_at, l.is_latest, l.env_labels,
             array(select x from unnest(l.labels) x
                   where x in ${allowed} or (x <> ${latestLabel} and not x = any(l.env_labels))) as labels
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
    // Langfuse still answers `pagination` too (langfuse/langfuse#2068), and older clients read it.
    pagination: meta,
  };
}
