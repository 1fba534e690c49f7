// A prompt's versions as Langfuse sees them: labels are the environments serving a version now, its
// version labels, and `latest` on the newest; deleted versions are invisible. Shared by reads
// and writes.
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { AppError } from "../errors";
import { findPrompt, type PromptRow } from "../registry/prompts";
import { latestLabel } from "./mapping";

export interface VersionState {
  id: string;
  version: number;
  type: "text" | "chat";
  config: Record<string, unknown>;
  labels: string[];
  /** Which of `labels` are environments (the others are version labels, and `latest`). */
  environments: string[];
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
  env_labels: string[];
  commit_message: string;
  author_label: string;
  created_at: string | Date;
  updated_at: string | Date;
};

/**
 * Every visible version of the project's prompts (or of one prompt) with its Langfuse labels and
 * updatedAt: when it was created, or later when a label arrived at it or left it (a deployment that
 * made it live, or replaced it, in some environment; a version label's move).
 */
export function versionStates(projectId: string, promptId?: string): SQL {
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
      union all
      select m.prompt_id, m.version, m.created_at, m.previous from version_label_moves m join prompts p on p.id = m.prompt_id
      where m.project_id = ${projectId} ${one}
    ), touched as (
      select prompt_id, version, max(created_at) as at from (
        select prompt_id, version, created_at from moves
        union all select prompt_id, prev, created_at from moves where prev is not null
      ) t group by prompt_id, version
    ), vs as (
      select p.id as prompt_id, p.name, p.tags, v.id, v.version,
             -- A skill reads as a text prompt (its SKILL.md), as the get answers it (mapping.ts).
             case when v.content->>'type' = 'chat' then 'chat' else 'text' end as type,
             v.content->'config' as config, v.commit_message, v.author_label, v.created_at,
             greatest(v.created_at, t.at) as updated_at,
             v.version = max(v.version) over (partition by p.id) as is_latest
      from prompts p
      join prompt_versions v on v.prompt_id = p.id
      left join touched t on t.prompt_id = v.prompt_id and t.version = v.version
      where p.project_id = ${projectId} and p.archived_at is null ${one}
        and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)
    ), envs as (
      select vs.*,
             array(select e.name from lv join environments e on e.id = lv.environment_id
                   where lv.prompt_id = vs.prompt_id and lv.version = vs.version order by e.position, e.name) as env_labels
      from vs
    ), labeled as (
      select envs.*,
             env_labels
             || array(select vl.label from version_labels vl
                      where vl.prompt_id = envs.prompt_id and vl.version = envs.version order by vl.label)
             || (case when envs.is_latest then array[${latestLabel}]::text[] else array[]::text[] end) as labels
      from envs
    )`;
}

const toState = (r: StateRow): VersionState => ({
  id: r.id,
  version: r.version,
  type: r.type,
  config: r.config ?? {},
  labels: r.labels,
  environments: r.env_labels,
  commitMessage: r.commit_message,
  authorLabel: r.author_label,
  createdAt: new Date(r.created_at),
  updatedAt: new Date(r.updated_at),
});

/** A prompt that exists and is not deleted, or 404 as Langfuse words it. */
export async function visiblePrompt(db: Db, projectId: string, name: string, what = ""): Promise<PromptRow> {
  const prompt = await findPrompt(db, projectId, name);
  if (!prompt || prompt.deletedAt !== null)
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
