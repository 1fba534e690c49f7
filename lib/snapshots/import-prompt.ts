// Applies one prompt's plan inside the import's transaction: the prompt row, its new versions,
// deployments and deleted versions, each with its audit row; announces its changes to ctx.events, which holds them until the commit.
import { eq, sql } from "drizzle-orm";
import { promptVersionDeletions, prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import type { Content } from "../registry/content";
import type { DomainContext } from "../context";
import { diffContent } from "../registry/changes/diff";
import { insertVersions } from "../registry/version-rows";
import { appendImportedDeployments } from "../release/imported-deployments";
import { setVersionLabel } from "../release/version-labels/version-labels";
import type { PromptPlan } from "./snapshot-plan";

export async function applyPrompt(ctx: DomainContext, p: PromptPlan, envIds: Map<string, string>): Promise<void> {
  const promptId = await writePromptRow(ctx, p);
  await writeVersions(ctx, p, promptId);
  await writeDeployments(ctx, p, promptId, envIds);
  await writeDeletedVersions(ctx, p, promptId);
  const s = p.snapshot;
  // Version labels through their one writer (audited, announced); after the versions they name exist.
  for (const l of p.labels) await setVersionLabel(ctx, s.name, l.label, l.version);

  // Deleting or restoring the prompt changes what resolve answers in every environment that serves the prompt.
  if (p.existing && p.details.includes("archivedAt") && p.deployments.size === 0) {
    const live = new Map(p.existing.deployments.map((d) => [d.environment, d.version]));
    for (const [environment, version] of live)
      await ctx.events.publish({ projectId: ctx.projectId, prompt: s.name, environment, version, action: "promote" });
  }
}

/** The prompt row: inserted when new, else its changed details (audited); returns its id. */
async function writePromptRow(ctx: DomainContext, p: PromptPlan): Promise<string> {
  const tx = ctx.db;
  const s = p.snapshot;
  const at = (v: string | null) => (v === null ? null : sql`${v}::timestamptz`);
  let promptId = p.existing?.id;
  if (!promptId) {
    const [row] = await tx
      .insert(prompts)
      .values({
        projectId: ctx.projectId,
        name: s.name,
        description: s.description,
        tags: s.tags,
        targetModel: s.targetModel,
        latestVersion: s.versions.length,
        createdAt: sql`${s.createdAt}::timestamptz`,
        deletedAt: at(s.archivedAt),
      })
      .returning({ id: prompts.id });
    promptId = row!.id;
  } else if (p.details.length || p.versions.length) {
    const set: Partial<typeof prompts.$inferInsert> = { updatedAt: new Date() };
    if (p.details.includes("description")) set.description = s.description;
    if (p.details.includes("tags")) set.tags = s.tags;
    if (p.details.includes("targetModel")) set.targetModel = s.targetModel;
    if (p.details.includes("archivedAt")) set.deletedAt = s.archivedAt === null ? null : new Date(s.archivedAt);
    if (p.versions.length) set.latestVersion = s.versions.length;
    await tx.update(prompts).set(set).where(eq(prompts.id, promptId));
    if (p.details.length) {
      const before = Object.fromEntries(p.details.map((f) => [f, p.existing![f]]));
      const after = Object.fromEntries(p.details.map((f) => [f, s[f]]));
      await recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "prompt.update",
        objectType: "prompt",
        objectId: promptId,
        before,
        after: { ...after, imported: true },
      });
    }
  }

  return promptId;
}

async function writeVersions(ctx: DomainContext, p: PromptPlan, promptId: string) {
  const tx = ctx.db;
  const s = p.snapshot;
  const row = { id: promptId };
  const contents = new Map<number, Content>((p.existing?.versions ?? []).map((v) => [v.version, v.content]));
  const rows = p.versions.map((v) => {
    const previous = contents.get(v.version - 1) ?? null;
    contents.set(v.version, v.content);
    return {
      version: v.version,
      content: v.content,
      commitMessage: v.commitMessage,
      baseVersion: v.baseVersion,
      diff: diffContent(previous, v.content),
      imported: { author: v.author, createdAt: v.createdAt },
    };
  });
  await insertVersions(ctx, row, rows);
  if (p.versions.length) {
    const latest = s.versions.length;
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: p.existing ? "version.create" : "prompt.create",
      objectType: "prompt",
      objectId: promptId,
      after: { name: s.name, version: latest, versions: p.versions.map((v) => v.version), imported: true },
    });
    await ctx.events.publish({
      projectId: ctx.projectId,
      prompt: s.name,
      environment: null,
      version: latest,
      action: "version",
      seq,
    });
  }
}

async function writeDeployments(ctx: DomainContext, p: PromptPlan, promptId: string, envIds: Map<string, string>) {
  const tx = ctx.db;
  const s = p.snapshot;
  for (const [environment, list] of p.deployments) {
    const environmentId = envIds.get(environment)!;
    await appendImportedDeployments(
      tx,
      list.map((d) => ({
        promptId: promptId,
        environmentId,
        version: d.version,
        action: d.action,
        actor: d.actor,
        reason: d.reason,
        at: d.at,
      })),
    );
    const last = list[list.length - 1]!;
    const before = p.existing?.deployments.filter((d) => d.environment === environment).at(-1);
    // Named like the deployment that now decides what is served, so SSE replay (by audit id) reports it.
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: `deployment.${last.action}`,
      objectType: "prompt",
      objectId: promptId,
      before: before ? { environment, version: before.version } : null,
      after: { environment, version: last.version, reason: last.reason, imported: true, deployments: list.length },
    });
    await ctx.events.publish({
      projectId: ctx.projectId,
      prompt: s.name,
      environment,
      version: last.version,
      action: last.action,
      seq,
    });
  }
}

async function writeDeletedVersions(ctx: DomainContext, p: PromptPlan, promptId: string) {
  const tx = ctx.db;
  const s = p.snapshot;
  if (p.toDelete.length) {
    // Written as the deletion itself would be, with its reason (worded as first stored): an import never un-deletes.
    await tx.insert(promptVersionDeletions).values(
      p.toDelete.map((version) => ({
        promptId: promptId,
        version,
        actorLabel: ctx.actor.label,
        reason: "Archived in the imported snapshot",
      })),
    );
    const seq = await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "version.archive",
      objectType: "prompt",
      objectId: promptId,
      after: { name: s.name, versions: p.toDelete, imported: true },
    });
    for (const version of p.toDelete)
      await ctx.events.publish({
        projectId: ctx.projectId,
        prompt: s.name,
        environment: null,
        version,
        action: "version",
        seq,
      });
    for (const d of [...s.deployments]
      .reverse()
      .filter((d, i, all) => all.findIndex((x) => x.environment === d.environment) === i))
      if (p.toDelete.includes(d.version))
        await ctx.events.publish({
          projectId: ctx.projectId,
          prompt: s.name,
          environment: d.environment,
          version: d.version,
          action: "version",
          seq,
        });
  }
}
