// The prompt library: a project's prompts filtered, searched, sorted and paged for hundreds of them,
// and the facets (folders, tags, owners) counted over the whole project, not over one page. Read-only;
// the filters on releases, experiments and alerts are SQL over their tables (no domain imports).
import { and, asc, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { isUuid } from "../validation";
import { z } from "zod";
import { readTogether, queryRows, type Db } from "../../db/client";
import { promptVersions, prompts, users } from "../../db/schema";
import { parseInput } from "../validation";
import { promptDto } from "./dto";
import { countParam } from "../number-params";

// A query string's "true"/"false", or a boolean from code.
const flag = (field: string) =>
  z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")], {
    error: `${field} must be true or false`,
  });

export const promptSorts = ["name", "updated", "created"] as const;

export const listPromptsInput = z.object({
  tag: z.string().max(100).optional().describe("Only prompts with this tag"),
  folder: z.string().max(500).optional().describe("Only prompts in this folder (support: support/reply, support/a/b)"),
  search: z.string().max(200).optional().describe("Text found in the name, the description or the latest version"),
  environment: z.string().min(1).max(36).optional().describe("Only prompts live (deployed) in this environment"),
  status: z
    .enum(["live", "not_live"], { error: "status must be live or not_live" })
    .optional()
    .describe("live: deployed somewhere; not_live: never deployed anywhere"),
  owner: z.string().min(1).max(320).optional().describe("Only prompts of this owner: a user id or e-mail address"),
  hasExperiment: flag("hasExperiment").optional().describe("true: only prompts with an experiment running"),
  hasAlert: flag("hasAlert").optional().describe("true: only prompts with an open alert"),
  sort: z
    .enum(promptSorts, { error: `sort must be one of ${promptSorts.join(", ")}` })
    .default("name")
    .describe("name: A–Z; updated, created: newest first"),
  limit: countParam("limit", 1, 200).default(50).describe("How many prompts (1–200)"),
  offset: countParam("offset", 0, 1_000_000_000).default(0).describe("Prompts to skip"),
});
export type PromptListQuery = z.input<typeof listPromptsInput>;

const likePattern = (text: string) => `%${text.replace(/[%_\\]/g, "\\$&")}%`;

function conditions(projectId: string, q: z.output<typeof listPromptsInput>): SQL[] {
  const where: SQL[] = [eq(prompts.projectId, projectId), isNull(prompts.deletedAt)];
  if (q.tag) where.push(sql`${q.tag} = any(${prompts.tags})`);
  if (q.folder) where.push(sql`${prompts.name} like ${q.folder.replace(/\/$/, "").replace(/[%_\\]/g, "\\$&") + "/%"}`);
  if (q.search) {
    const like = likePattern(q.search);
    where.push(
      or(
        ilike(prompts.name, like),
        ilike(prompts.description, like),
        sql`exists (select 1 from prompt_versions v where v.prompt_id = ${prompts.id}
          and v.version = ${prompts.latestVersion} and v.content::text ilike ${like})`,
      )!,
    );
  }
  if (q.environment)
    where.push(sql`exists (select 1 from deployments d join environments e on e.id = d.environment_id
      where d.prompt_id = ${prompts.id} and e.name = ${q.environment})`);
  if (q.status) {
    const live = sql`exists (select 1 from deployments d where d.prompt_id = ${prompts.id})`;
    where.push(q.status === "live" ? live : sql`not ${live}`);
  }
  if (q.owner)
    where.push(
      isUuid(q.owner)
        ? eq(prompts.ownerId, q.owner)
        : sql`${prompts.ownerId} in (select id from users where lower(email) = lower(${q.owner}))`,
    );
  if (q.hasExperiment !== undefined) {
    const running = sql`exists (select 1 from experiments x where x.prompt_id = ${prompts.id} and x.status = 'running')`;
    where.push(q.hasExperiment ? running : sql`not ${running}`);
  }
  if (q.hasAlert !== undefined) {
    const open = sql`exists (select 1 from alerts a where a.prompt_id = ${prompts.id} and a.acknowledged_at is null)`;
    where.push(q.hasAlert ? open : sql`not ${open}`);
  }
  return where;
}

export async function listPromptRows(db: Db, projectId: string, input: PromptListQuery = {}) {
  const q = parseInput(listPromptsInput, input);
  const order =
    q.sort === "updated"
      ? [desc(prompts.updatedAt), asc(prompts.name)]
      : q.sort === "created"
        ? [desc(prompts.createdAt), asc(prompts.name)]
        : [asc(prompts.name)];
  const rows = await db
    .select({
      prompt: prompts,
      owner: { id: users.id, name: users.name, email: users.email },
      total: sql<number>`count(*) over ()::int`,
    })
    .from(prompts)
    .leftJoin(users, eq(users.id, prompts.ownerId))
    .where(and(...conditions(projectId, q)))
    .orderBy(...order)
    .limit(q.limit)
    .offset(q.offset);
  return {
    items: rows.map((r) => Object.assign(r.prompt, { owner: r.owner?.id ? r.owner : null })),
    total: rows[0]?.total ?? 0,
    limit: q.limit,
    offset: q.offset,
  };
}

export type PromptFacets = {
  total: number;
  /** Every folder prefix ("a", "a/b" for "a/b/c") with the prompts under it. */
  folders: { folder: string; count: number }[];
  tags: { tag: string; count: number }[];
  owners: { id: string; name: string; email: string; count: number }[];
};

/** Folders, tags and owners over all of a project's prompts (the filters' choices). */
export async function promptFacets(db: Db, projectId: string): Promise<PromptFacets> {
  const live = and(eq(prompts.projectId, projectId), isNull(prompts.deletedAt));
  const [names, tags, owners] = await readTogether(db, [
    () => db.select({ name: prompts.name }).from(prompts).where(live),
    () =>
      queryRows<{ tag: string; count: number }>(
        db,
        sql`select t as tag, count(*)::int as count from prompts p, unnest(p.tags) t
        where p.project_id = ${projectId} and p.archived_at is null group by t order by t`,
      ),
    () =>
      db
        .select({ id: users.id, name: users.name, email: users.email, count: sql<number>`count(*)::int` })
        .from(prompts)
        .innerJoin(users, eq(users.id, prompts.ownerId))
        .where(live)
        .groupBy(users.id, users.name, users.email)
        .orderBy(asc(users.name)),
  ]);
  const folders = new Map<string, number>();
  for (const { name } of names) {
    const parts = name.split("/").slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      folders.set(folder, (folders.get(folder) ?? 0) + 1);
    }
  }
  return {
    total: names.length,
    folders: [...folders].sort(([a], [b]) => a.localeCompare(b)).map(([folder, count]) => ({ folder, count })),
    tags,
    owners,
  };
}

/** Who last created a version of each prompt, and when. */
export async function lastEdits(db: Db, promptIds: string[]) {
  if (!promptIds.length) return new Map<string, { by: string; at: Date }>();
  const rows = await db
    .selectDistinctOn([promptVersions.promptId], {
      promptId: promptVersions.promptId,
      at: promptVersions.createdAt,
      by: sql<string>`coalesce(${users.name}, ${promptVersions.authorLabel})`,
    })
    .from(promptVersions)
    .leftJoin(users, eq(users.id, promptVersions.authorId))
    .where(inArray(promptVersions.promptId, promptIds))
    .orderBy(promptVersions.promptId, desc(promptVersions.version));
  return new Map(rows.map((r) => [r.promptId, { by: r.by, at: r.at }]));
}

/** GET /api/v1/prompts: a page of the library, each prompt with its owner and who last changed it. */
export async function listPrompts(db: Db, projectId: string, input: PromptListQuery = {}) {
  const page = await listPromptRows(db, projectId, input);
  const edits = await lastEdits(
    db,
    page.items.map((p) => p.id),
  );
  return {
    data: page.items.map((p) => ({
      ...promptDto(p),
      owner: p.owner,
      lastEditedBy: edits.get(p.id)?.by ?? null,
      lastEditedAt: edits.get(p.id)?.at.toISOString() ?? null,
    })),
    pagination: { total: page.total, limit: page.limit, offset: page.offset },
  };
}
