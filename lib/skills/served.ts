// The skills an environment serves: every skill prompt (prompts.skill_name, set when its first version is
// written) at the version the environment's deployment log says is live now, archived versions excluded as
// resolve excludes them. One query, read fresh on each call: what agents install follows a promotion or a
// rollback at once, and the artifacts are kept per version (archive.ts), which never changes.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import type { Content } from "../registry/content";
import { orderedFiles, skillFrontmatter, type SkillFrontmatter } from "../registry/skill-files";

export type ServedSkill = {
  promptId: string;
  /** The prompt's name: `skill://<name>/…` over MCP. */
  name: string;
  /** Its last segment, the frontmatter's name: the folder agents install it in. */
  folder: string;
  version: number;
  createdAt: Date;
  files: Record<string, string>;
  frontmatter: SkillFrontmatter;
};

type Row = {
  id: string;
  name: string;
  skill_name: string;
  version: number;
  content: Content;
  created_at: string | Date;
};

/** The skills `environment` serves, by folder name; `only` limits the answer to some prompt names or one folder. */
export async function servedSkills(
  db: Db,
  projectId: string,
  environment: string,
  only?: { names?: string[]; folder?: string },
): Promise<ServedSkill[]> {
  if (only?.names && !only.names.length) return [];
  const names = only?.names ? sql`and p.name in ${only.names}` : sql``;
  const rows = await queryRows<Row>(
    db,
    sql`select p.id, p.name, p.skill_name, v.version, v.content, v.created_at
        from prompts p
        join environments e on e.project_id = p.project_id and e.name = ${environment}
        join lateral (
          select version from deployments where prompt_id = p.id and environment_id = e.id
          order by created_at desc, id desc limit 1
        ) d on true
        join prompt_versions v on v.prompt_id = p.id and v.version = d.version
        where p.project_id = ${projectId} and p.skill_name is not null and p.archived_at is null
          ${names}
          and (${only?.folder ?? null}::text is null or p.skill_name = ${only?.folder ?? ""})
          and not exists (select 1 from prompt_version_archives a where a.prompt_id = v.prompt_id and a.version = v.version)
        order by p.skill_name`,
  );
  return rows.flatMap((r) =>
    r.content.type === "skill"
      ? [
          {
            promptId: r.id,
            name: r.name,
            folder: r.skill_name,
            version: Number(r.version),
            createdAt: new Date(r.created_at),
            files: orderedFiles(r.content.files),
            frontmatter: skillFrontmatter(r.content.files),
          },
        ]
      : [],
  );
}
