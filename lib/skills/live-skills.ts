// The skills an environment serves: every skill prompt (prompts.skill_name, set when its first version is
// written) at the version the environment's deployment log says is live now, deleted versions excluded as
// resolve excludes them. Read fresh on each call, so a promotion or a rollback reaches agents at once; the
// heads (which version) are one small query, and a version's files — which never change — are read only where a
// caller needs them (skill-summary.ts keeps what the index and the MCP listing need per version).
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { Content } from "../registry/content";
import { orderedFiles, skillFrontmatter, type SkillFrontmatter, type SkillModes } from "../registry/skills/skill-files";

/** Which version of a skill an environment serves. */
export type SkillHead = {
  promptId: string;
  /** The prompt's name: `skill://<name>/…` over MCP. */
  name: string;
  /** Its last segment, the frontmatter's name: the folder agents install it in. */
  folder: string;
  version: number;
  createdAt: Date;
};

export type ServedSkill = SkillHead & {
  files: Record<string, string>;
  /** Its executable files (path → "0755"); absent when it has none. */
  modes?: SkillModes;
  frontmatter: SkillFrontmatter;
};

type HeadRow = { id: string; name: string; skill_name: string; version: number; created_at: string | Date };

/** The skills `environment` serves, by folder name; `only` limits the answer to some prompt names or one folder. */
export async function servedSkillHeads(
  db: Db,
  projectId: string,
  environment: string,
  only?: { names?: string[]; folder?: string },
): Promise<SkillHead[]> {
  if (only?.names && !only.names.length) return [];
  const names = only?.names ? sql`and p.name in ${only.names}` : sql``;
  const folder = only?.folder !== undefined ? sql`and p.skill_name = ${only.folder}` : sql``;
  const rows = await queryRows<HeadRow>(
    db,
    sql`select p.id, p.name, p.skill_name, v.version, v.created_at
        from prompts p
        join environments e on e.project_id = p.project_id and e.name = ${environment}
        join lateral (
          select version from deployments where prompt_id = p.id and environment_id = e.id
          order by created_at desc, id desc limit 1
        ) d on true
        join prompt_versions v on v.prompt_id = p.id and v.version = d.version
        where p.project_id = ${projectId} and p.skill_name is not null and p.archived_at is null ${names} ${folder}
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)
        order by p.skill_name`,
  );
  return rows.map((r) => ({
    promptId: r.id,
    name: r.name,
    folder: r.skill_name,
    version: Number(r.version),
    createdAt: new Date(r.created_at),
  }));
}

/** The files of these versions, in one query. */
export async function withFiles(db: Db, heads: SkillHead[]): Promise<ServedSkill[]> {
  if (!heads.length) return [];
  const keys = heads.map((h) => sql`(${h.promptId}::uuid, ${h.version}::int)`);
  const rows = await queryRows<{ prompt_id: string; version: number; content: Content }>(
    db,
    sql`select prompt_id, version, content from prompt_versions where (prompt_id, version) in (${sql.join(keys, sql`, `)})`,
  );
  const byKey = new Map(rows.map((r) => [`${r.prompt_id}:${Number(r.version)}`, r.content]));
  return heads.flatMap((h) => {
    const c = byKey.get(`${h.promptId}:${h.version}`);
    if (c?.type !== "skill") return [];
    const files = orderedFiles(c.files);
    return [{ ...h, files, ...(c.modes ? { modes: c.modes } : {}), frontmatter: skillFrontmatter(files) }];
  });
}

/** The skills `environment` serves with their files (for one skill or a few: the heads first, then their files). */
export async function servedSkills(
  db: Db,
  projectId: string,
  environment: string,
  only?: { names?: string[]; folder?: string },
): Promise<ServedSkill[]> {
  return withFiles(db, await servedSkillHeads(db, projectId, environment, only));
}
