// Published skills: the skills of one environment a project chooses to serve at a URL that needs no key,
// `<public URL>/api/v1/skills/public/<project slug>`, so the URL a team gives `npx skills add` — which the CLI
// records in skills-lock.json, a file meant to be committed — holds no secret. Off by default (no row); an admin
// names the environment and each skill, by prompt name; what the URL serves is those skills at the versions the
// environment serves now, and nothing else of the project. docs/security.md says what it gives away.
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { queryRows, type Db } from "../../db/client";
import { skillPublications } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { actorUserId, type DomainContext } from "../context";
import { AppError } from "../errors";
import { promptNameSchema } from "../registry/names";
import { getEnvironmentRow } from "../release/environments";
import { parseInput } from "../validation";

export const maxPublishedSkills = 200;

export const publishSkillsInput = z.object({
  environment: z.string({ error: "environment must be an environment's name" }).min(1).max(100),
  skills: z
    .array(promptNameSchema, { error: "skills must be a list of skill names" })
    .min(1, { error: "skills must name at least one skill (DELETE stops publishing)" })
    .max(maxPublishedSkills, { error: `skills must name at most ${maxPublishedSkills} skills` }),
});

export type SkillPublication = { environment: string; skills: string[]; updatedAt: Date };

/** The URL a publication is served at: the configured public URL's, never a request's Host. */
export const publishedSkillsUrl = (baseUrl: string, projectSlug: string): string =>
  `${baseUrl.replace(/\/+$/, "")}/api/v1/skills/public/${encodeURIComponent(projectSlug)}`;

/** GET, PUT /api/v1/skills/published: the publication and its URL (404 when nothing is published). */
export const skillPublicationResponse = z.object({
  environment: z.string(),
  skills: z.array(z.string()),
  url: z.string(),
  updatedAt: z.string(),
});

export const skillPublicationDto = (p: SkillPublication, url: string): z.input<typeof skillPublicationResponse> => ({
  environment: p.environment,
  skills: p.skills,
  url,
  updatedAt: p.updatedAt.toISOString(),
});

type Row = { environment: string; skills: string[]; updated_at: string | Date };

/** What a project publishes, or undefined (the default: nothing). */
export async function findSkillPublication(db: Db, projectId: string): Promise<SkillPublication | undefined> {
  const [r] = await queryRows<Row>(
    db,
    sql`select e.name as environment, s.skills, s.updated_at from skill_publications s
        join environments e on e.id = s.environment_id where s.project_id = ${projectId}`,
  );
  return r && { environment: r.environment, skills: r.skills, updatedAt: new Date(r.updated_at) };
}

/** What the project with this slug publishes, for the URL that needs no key: undefined for no project and none. */
export async function publicationBySlug(db: Db, slug: string) {
  const [r] = await queryRows<Row & { project_id: string }>(
    db,
    sql`select s.project_id, e.name as environment, s.skills, s.updated_at from skill_publications s
        join projects p on p.id = s.project_id join environments e on e.id = s.environment_id
        where p.slug = ${slug}`,
  );
  return r && { projectId: r.project_id, environment: r.environment, names: r.skills };
}

/** PUT /api/v1/skills/published: publishes these skills of this environment, replacing what was published. */
export async function publishSkills(ctx: DomainContext, input: unknown): Promise<SkillPublication> {
  const data = parseInput(publishSkillsInput, input);
  const env = await getEnvironmentRow(ctx.db, ctx.projectId, data.environment);
  const skills = [...new Set(data.skills)];
  const found = await queryRows<{ name: string }>(
    ctx.db,
    sql`select name from prompts where project_id = ${ctx.projectId} and skill_name is not null and name in ${skills}`,
  );
  const known = new Set(found.map((r) => r.name));
  const missing = skills.findIndex((n) => !known.has(n));
  if (missing >= 0)
    throw new AppError("unprocessable", `skills: ${skills[missing]} is not a skill of this project`, {
      field: `skills.${missing}`,
    });
  return ctx.db.transaction(async (tx) => {
    const before = await findSkillPublication(tx, ctx.projectId);
    const values = { environmentId: env.id, skills, updatedBy: actorUserId(ctx), updatedAt: new Date() };
    await tx
      .insert(skillPublications)
      .values({ projectId: ctx.projectId, ...values })
      .onConflictDoUpdate({ target: skillPublications.projectId, set: values });
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "skills.publish",
      objectType: "project",
      objectId: ctx.projectId,
      before: before ? { environment: before.environment, skills: before.skills } : null,
      after: { environment: env.name, skills },
    });
    return { environment: env.name, skills, updatedAt: values.updatedAt };
  });
}

/** DELETE /api/v1/skills/published: the URL that needs no key serves nothing from now on. */
export async function unpublishSkills(ctx: DomainContext): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const before = await findSkillPublication(tx, ctx.projectId);
    if (!before) return;
    await tx.delete(skillPublications).where(eq(skillPublications.projectId, ctx.projectId));
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "skills.unpublish",
      objectType: "project",
      objectId: ctx.projectId,
      before: { environment: before.environment, skills: before.skills },
    });
  });
}
