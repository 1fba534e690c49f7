// Reads and writes behind the Langfuse-compatible routes, using the registry and release functions.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { deployments, environments, promptVersions, prompts } from "../../db/schema";
import type { Actor } from "../auth/permissions";
import { AppError } from "../errors";
import type { Content } from "../registry/content";
import { createPrompt, findPrompt, getPrompt } from "../registry/prompts";
import { getVersion, saveVersion } from "../registry/versions";
import { parseContent } from "../registry/content";
import { promote } from "../release/deployments";
import { listEnvironments } from "../release/environments";
import type { EventSink } from "../release/events";
import { BufferedEvents } from "../release/buffered-events";
import type { z } from "zod";
import { inferVariables, langfusePrompt, type langfuseCreateBody } from "./langfuse";
import { loadResolved } from "./load";

/** Labels of each version: environments serving it now, plus "latest". */
async function labelsByVersion(db: Db, promptId: string, latest: number): Promise<Map<number, string[]>> {
  const rows = await db
    .selectDistinctOn([deployments.environmentId], { env: environments.name, version: deployments.version })
    .from(deployments)
    .innerJoin(environments, eq(environments.id, deployments.environmentId))
    .where(eq(deployments.promptId, promptId))
    .orderBy(deployments.environmentId, desc(deployments.id));
  const map = new Map<number, string[]>();
  for (const r of rows) map.set(r.version, [...(map.get(r.version) ?? []), r.env]);
  map.set(latest, [...(map.get(latest) ?? []), "latest"]);
  return map;
}

export async function getLangfusePrompt(
  db: Db,
  projectId: string,
  name: string,
  q: { label?: string; version?: number; resolve?: string },
) {
  const prompt = await getPrompt(db, projectId, name);
  const labels = await labelsByVersion(db, prompt.id, prompt.latestVersion);
  let version: number;
  let partials: Record<string, string> = {};
  if (q.version !== undefined || q.label === "latest") {
    version = q.version ?? prompt.latestVersion;
    await getVersion(db, prompt, version);
  } else {
    const resolved = await loadResolved(db, projectId, name, q.label ?? "production");
    version = resolved.version;
    partials = Object.fromEntries(Object.entries(resolved.partials).map(([k, v]) => [k, v.text]));
  }
  const row = await getVersion(db, prompt, version);
  return langfusePrompt(
    {
      name,
      version,
      content: row.content as Content,
      labels: labels.get(version) ?? [],
      tags: prompt.tags,
      commitMessage: row.commitMessage,
    },
    q.resolve === "false" ? {} : partials,
  );
}

export async function listLangfusePrompts(
  db: Db,
  projectId: string,
  q: { name?: string; tag?: string; label?: string; page: number; limit: number },
) {
  const where = [eq(prompts.projectId, projectId), sql`${prompts.archivedAt} is null`];
  if (q.name) where.push(eq(prompts.name, q.name));
  if (q.tag) where.push(sql`${q.tag} = any(${prompts.tags})`);
  const rows = await db
    .select()
    .from(prompts)
    .where(and(...where))
    .orderBy(asc(prompts.name))
    .limit(q.limit)
    .offset((q.page - 1) * q.limit);
  const [{ total }] = (await db
    .select({ total: sql<number>`count(*)::int` })
    .from(prompts)
    .where(and(...where))) as [{ total: number }];
  const data = [];
  for (const p of rows) {
    const labels = await labelsByVersion(db, p.id, p.latestVersion);
    const allLabels = [...new Set([...labels.values()].flat())];
    if (q.label && !allLabels.includes(q.label)) continue;
    const [latest] = await db
      .select()
      .from(promptVersions)
      .where(and(eq(promptVersions.promptId, p.id), eq(promptVersions.version, p.latestVersion)));
    data.push({
      name: p.name,
      type: (latest?.content as Content | undefined)?.type ?? "text",
      versions: Array.from({ length: p.latestVersion }, (_, i) => i + 1),
      labels: allLabels,
      tags: p.tags,
      lastUpdatedAt: p.updatedAt.toISOString(),
      lastConfig: (latest?.content as Content | undefined)?.config ?? {},
    });
  }
  return { data, meta: { page: q.page, limit: q.limit, totalItems: total, totalPages: Math.ceil(total / q.limit) } };
}

/**
 * Creates the prompt, or a new version when it exists; labels that name environments deploy there
 * (in promotion order, so "staging" can satisfy production's requiresLiveIn). All or nothing: the
 * version and every deployment are written in one transaction, so a label refused by a promotion
 * rule (409) leaves nothing behind. Labels that name no environment are ignored, as before.
 */
export async function createLangfusePrompt(
  ctx: { db: Db; actor: Actor; projectId: string; events?: EventSink },
  body: z.infer<typeof langfuseCreateBody>,
) {
  const template =
    body.type === "chat"
      ? (body.prompt as { role: string; content: string }[]).map((m) => ({ role: m.role, content: m.content }))
      : body.prompt;
  const texts = typeof template === "string" ? [template] : template.map((m) => m.content);
  const content = parseContent({ type: body.type, template, config: body.config, variables: inferVariables(texts) });
  const envs = (await listEnvironments(ctx.db, ctx.projectId)).filter((e) => body.labels.includes(e.name));
  const buffer = new BufferedEvents();
  const version = await ctx.db.transaction(async (tx) => {
    const c = { ...ctx, db: tx, events: buffer };
    const existing = await findPrompt(tx, ctx.projectId, body.name);
    let v: number;
    if (!existing) {
      v = (
        await createPrompt(c, { name: body.name, tags: body.tags, commitMessage: body.commitMessage ?? "", ...content })
      ).version.version;
    } else {
      const latest = (await getVersion(tx, existing, existing.latestVersion)).content as Content;
      if (latest.type !== content.type)
        throw new AppError(
          "invalid_input",
          `Prompt ${body.name} is a ${content.type === "text" ? "chat" : "text"} prompt; send type accordingly.`,
          { field: "type" },
        );
      v = (await saveVersion(c, existing, content, { commitMessage: body.commitMessage ?? "", baseVersion: null }))
        .version.version;
    }
    for (const env of envs) await promote(c, body.name, { environment: env.name, version: v });
    return v;
  });
  await buffer.flush(ctx.events);
  return getLangfusePrompt(ctx.db, ctx.projectId, body.name, { version });
}
