// templates.all: a page of prompt templates as PromptLayer lists them — each prompt's newest version, or with
// `label` the version that environment serves (prompts it serves nothing of are left out). Each item is read
// through resolve's cache like templates.get. Skills are not templates and are not listed; a version neither
// f-string nor jinja2 can carry exactly is left out of the page (templates.get names the construct).
import { sql, type SQL } from "drizzle-orm";
import { queryRows } from "../../../db/client";
import { AppError, isAppError } from "../../errors";
import { assertKeyMayRead } from "../../runtime/key-limits";
import { resolvePrompt } from "../../runtime/resolve";
import { integerIdOf } from "./ids";
import { plModelFields, plTemplateOf, type PlReadDeps } from "./reads";
import type { PlListQuery } from "./shapes";

type Row = { name: string; version: number; tags: string[]; commit_message: string; total: number };

const visibleVersion = sql`not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)`;

/** The page's prompts and the version each lists. */
function pageQuery(projectId: string, q: PlListQuery): SQL {
  const named = q.name ? sql`and position(lower(${q.name}) in lower(p.name)) > 0` : sql``;
  const version = q.label
    ? sql`join environments e on e.project_id = p.project_id and e.name = ${q.label}
          join lateral (select d.version from deployments d where d.prompt_id = p.id and d.environment_id = e.id
                        order by d.created_at desc, d.id desc limit 1) lv on true`
    : sql`join lateral (select v.version from prompt_versions v where v.prompt_id = p.id and ${visibleVersion}
                        order by v.version desc limit 1) lv on true`;
  return sql`select p.name, lv.version, p.tags, v.commit_message, count(*) over ()::int as total
    from prompts p ${version}
    join prompt_versions v on v.prompt_id = p.id and v.version = lv.version and ${visibleVersion}
    where p.project_id = ${projectId} and p.archived_at is null and p.skill_name is null ${named}
    order by p.name limit ${q.per_page} offset ${(q.page - 1) * q.per_page}`;
}

/** GET /prompt-templates. A key limited to some environments lists by one of its labels only. */
export async function listPromptLayerTemplates(deps: PlReadDeps, q: PlListQuery) {
  const { db, runtime, projectId, allowed } = deps;
  if (allowed && !q.label)
    throw new AppError(
      "forbidden",
      `This API key may only read ${allowed.join(", ")}: list by one of them (label), not the newest versions.`,
      { field: "label", allowed },
    );
  if (q.label) await assertKeyMayRead(db, projectId, allowed, { name: "", environment: q.label });
  const rows = await queryRows<Row>(db, pageQuery(projectId, q));
  const items = [];
  for (const r of rows) {
    const environment = q.label ?? "production";
    const pin = q.label ? {} : { version: r.version };
    const { resolved } = await resolvePrompt({ db, cache: runtime.prompts }, projectId, {
      name: r.name,
      environment,
      ...pin,
    });
    let template;
    try {
      template = plTemplateOf(resolved);
    } catch (e) {
      if (isAppError(e) && e.code === "unprocessable") continue;
      throw e;
    }
    items.push({
      id: integerIdOf(resolved.promptId),
      prompt_name: r.name,
      version: resolved.version,
      prompt_template: template,
      ...withoutWarning(plModelFields(template, resolved.config)),
      commit_message: r.commit_message || null,
      tags: r.tags,
      external_ids: [],
      is_snippet: false,
    });
  }
  const total = rows[0]?.total ?? (q.page > 1 ? await countAll(deps, q) : 0);
  const pages = Math.ceil(total / q.per_page);
  return {
    has_next: q.page < pages,
    has_prev: q.page > 1,
    items,
    next_num: q.page < pages ? q.page + 1 : null,
    prev_num: q.page > 1 ? q.page - 1 : null,
    page: q.page,
    pages,
    per_page: q.per_page,
    total,
  };
}

const withoutWarning = ({ warning: _w, ...rest }: ReturnType<typeof plModelFields>) => rest;

/** Past the last page: how many there are, without the page's window. */
async function countAll(deps: PlReadDeps, q: PlListQuery): Promise<number> {
  const [first] = await queryRows<Row>(deps.db, pageQuery(deps.projectId, { ...q, page: 1, per_page: 1 }));
  return first?.total ?? 0;
}
