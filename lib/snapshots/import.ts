// Imports a project snapshot in one transaction: reads the target's state under locks, plans
// (plan.ts), refuses with every conflict when histories diverged, and otherwise inserts what the
// target lacks. Versions and deployments are only ever inserted (their tables are insert-only);
// prompt details and environment rules, which are mutable settings, take the snapshot's values.
// Changes are announced after commit, like every other change to what is served.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { promptVersionArchives, prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize } from "../auth/permissions";
import { AppError } from "../errors";
import type { Content } from "../registry/content";
import type { DomainContext } from "../registry/context";
import { diffContent } from "../registry/diff";
import { insertVersion } from "../registry/versions";
import type { PromptChanged } from "../release/events";
import { createEnvironment, listEnvironments, snapshotGate, updateEnvironmentRules } from "../release/environments";
import { appendImportedDeployments } from "../release/imported-deployments";
import { parseInput } from "../validation";
import { createDataset, listDatasets } from "../evaluation/datasets/datasets";
import { addItems, parseUpload } from "../evaluation/datasets/items";
import { readArchives, readDeployments, readPrompts, readVersions } from "./export";
import { checkSnapshot, snapshotInput, type SnapshotEnvironment } from "./format";
import {
  planImport,
  planSummary,
  promptChanged,
  type ImportSummary,
  type PromptPlan,
  type TargetPrompt,
  type TargetState,
} from "./plan";

type SnapshotGate = SnapshotEnvironment["evaluationGate"];

/**
 * A snapshot's gate is the whole gate: unpinned (a snapshot carries the dataset's current items), and
 * with the default scorers when it names none (snapshots from before gates had scorers). Left out, an
 * update would keep the target's pin and scorers.
 */
const wholeGate = (g: SnapshotGate) => g && { ...g, datasetVersion: null, scorers: g.scorers ?? null };

async function readTarget(tx: Db, projectId: string): Promise<TargetState> {
  const environments = [];
  for (const e of await listEnvironments(tx, projectId))
    environments.push({
      name: e.name,
      position: e.position,
      protected: e.protected,
      requiresReview: e.requiresReview,
      requiresLiveIn: e.requiresLiveIn,
      ...(await snapshotGate(tx, e)),
    });
  // Lock every prompt row, as saves and deployments do, so none of them interleaves with the import.
  await tx.execute(sql`select id from prompts where project_id = ${projectId} order by id for update`);
  const rows = await readPrompts(tx, projectId);
  const byId = new Map<string, TargetPrompt>();
  for (const r of rows) {
    byId.set(r.id, {
      id: r.id,
      name: r.name,
      description: r.description,
      tags: r.tags,
      targetModel: r.target_model,
      archivedAt: r.archived_at,
      versions: [],
      deployments: [],
    });
  }
  for (const v of await readVersions(tx, projectId))
    byId.get(v.prompt_id)?.versions.push({ version: v.version, content: v.content });
  for (const a of await readArchives(tx, projectId)) {
    const t = byId.get(a.prompt_id);
    if (t) t.archivedVersions = [...(t.archivedVersions ?? []), a.version];
  }
  for (const d of await readDeployments(tx, projectId))
    byId
      .get(d.prompt_id)
      ?.deployments.push({ environment: d.environment, version: d.version, action: d.action, at: d.at });
  return { environments, prompts: new Map([...byId.values()].map((p) => [p.name, p])) };
}

interface Applied {
  events: PromptChanged[];
}

async function applyPrompt(
  tx: Db,
  ctx: DomainContext,
  p: PromptPlan,
  envIds: Map<string, string>,
  applied: Applied,
): Promise<void> {
  const s = p.snapshot;
  let promptId = p.existing?.id;
  const at = (v: string | null) => (v === null ? null : sql`${v}::timestamptz`);
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
        archivedAt: at(s.archivedAt),
      })
      .returning({ id: prompts.id });
    promptId = row!.id;
  } else if (p.details.length || p.versions.length) {
    const set: Partial<typeof prompts.$inferInsert> = { updatedAt: new Date() };
    if (p.details.includes("description")) set.description = s.description;
    if (p.details.includes("tags")) set.tags = s.tags;
    if (p.details.includes("targetModel")) set.targetModel = s.targetModel;
    if (p.details.includes("archivedAt")) set.archivedAt = s.archivedAt === null ? null : new Date(s.archivedAt);
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

  const row = { id: promptId, name: s.name } as Parameters<typeof insertVersion>[2];
  const contents = new Map<number, Content>((p.existing?.versions ?? []).map((v) => [v.version, v.content]));
  for (const v of p.versions) {
    const previous = contents.get(v.version - 1) ?? null;
    await insertVersion(tx, ctx, row, v.version, v.content, {
      commitMessage: v.commitMessage,
      baseVersion: v.baseVersion,
      diff: diffContent(previous, v.content),
      imported: { author: v.author, createdAt: v.createdAt },
    });
    contents.set(v.version, v.content);
  }
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
    applied.events.push({
      projectId: ctx.projectId,
      prompt: s.name,
      environment: null,
      version: latest,
      action: "version",
      seq,
    });
  }

  for (const [environment, list] of p.deployments) {
    const environmentId = envIds.get(environment)!;
    await appendImportedDeployments(
      tx,
      list.map((d) => ({
        promptId: promptId!,
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
    applied.events.push({
      projectId: ctx.projectId,
      prompt: s.name,
      environment,
      version: last.version,
      action: last.action,
      seq,
    });
  }

  if (p.archive.length) {
    // Written as the archive itself would be, with the archive's reason: an import never un-deletes.
    await tx.insert(promptVersionArchives).values(
      p.archive.map((version) => ({
        promptId: promptId!,
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
      after: { name: s.name, versions: p.archive, imported: true },
    });
    for (const version of p.archive)
      applied.events.push({
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
      if (p.archive.includes(d.version))
        applied.events.push({
          projectId: ctx.projectId,
          prompt: s.name,
          environment: d.environment,
          version: d.version,
          action: "version",
          seq,
        });
  }

  // Archiving or restoring changes what resolve answers in every environment that serves the prompt.
  if (p.existing && p.details.includes("archivedAt") && p.deployments.size === 0) {
    const live = new Map(p.existing.deployments.map((d) => [d.environment, d.version]));
    for (const [environment, version] of live)
      applied.events.push({ projectId: ctx.projectId, prompt: s.name, environment, version, action: "promote" });
  }
}

/**
 * Imports a snapshot into ctx's project. Idempotent: importing the same snapshot again changes
 * nothing and answers `changed: false`. Diverged histories throw `conflict` with every conflict in
 * details.conflicts, and nothing is written. With dryRun, answers what would change and writes nothing.
 */
export async function importSnapshot(
  ctx: DomainContext,
  input: unknown,
  opts: { dryRun?: boolean } = {},
): Promise<ImportSummary> {
  authorize(ctx.actor, "settings.manage");
  const snapshot = checkSnapshot(parseInput(snapshotInput, input));
  const dryRun = opts.dryRun ?? false;
  const applied: Applied = { events: [] };

  const summary = await ctx.db.transaction(async (tx) => {
    // One import per project at a time; saves and deployments are held off by the prompt row locks.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`lectern.snapshot-import:${ctx.projectId}`}))`);
    const target = await readTarget(tx, ctx.projectId);
    const plan = planImport(target, snapshot);
    if (plan.conflicts.length) {
      throw new AppError(
        "conflict",
        `The snapshot's history diverged from this project's in ${plan.conflicts.length} place${plan.conflicts.length > 1 ? "s" : ""}; nothing was imported.`,
        {
          conflicts: plan.conflicts,
        },
      );
    }
    const haveDatasets = new Set((await listDatasets(tx, ctx.projectId)).map((d) => d.name));
    const newDatasets = snapshot.datasets.filter((d) => !haveDatasets.has(d.name));
    const summary = planSummary(
      plan,
      dryRun,
      newDatasets.map((d) => d.name),
    );
    if (dryRun || !summary.changed) return summary;

    const txCtx: DomainContext = { ...ctx, db: tx, events: undefined };
    // Created without requiresLiveIn first: it may name an environment created later in the list.
    // Gates come last: their datasets (which may be tied to prompts) are created after the prompts.
    const gateFields = ["evaluationGate", "autoPromote"] as const;
    const isGate = (f: string) => (gateFields as readonly string[]).includes(f);
    for (const e of plan.environments.create)
      await createEnvironment(txCtx, { ...e, requiresLiveIn: null, evaluationGate: null, autoPromote: null });
    for (const e of plan.environments.create)
      if (e.requiresLiveIn) await updateEnvironmentRules(txCtx, e.name, { requiresLiveIn: e.requiresLiveIn });
    for (const u of plan.environments.update) {
      const rules = Object.fromEntries(u.fields.filter((f) => !isGate(f)).map((f) => [f, u.after[f]]));
      if (Object.keys(rules).length) await updateEnvironmentRules(txCtx, u.name, rules);
    }
    const envIds = new Map((await listEnvironments(tx, ctx.projectId)).map((e) => [e.name, e.id]));
    for (const p of plan.prompts) if (promptChanged(p)) await applyPrompt(tx, txCtx, p, envIds, applied);
    for (const d of newDatasets) {
      const ds = await createDataset(txCtx, { name: d.name, description: d.description, prompt: d.prompt });
      if (d.items.length)
        await addItems(txCtx, ds.id, await parseUpload(tx, ds, "json", { items: d.items }), { source: "snapshot" });
    }
    for (const e of plan.environments.create)
      if (e.evaluationGate || e.autoPromote)
        await updateEnvironmentRules(txCtx, e.name, {
          evaluationGate: wholeGate(e.evaluationGate),
          autoPromote: e.autoPromote,
        });
    for (const u of plan.environments.update) {
      const rules = Object.fromEntries(u.fields.filter(isGate).map((f) => [f, u.after[f]]));
      if ("evaluationGate" in rules) rules.evaluationGate = wholeGate(rules.evaluationGate as SnapshotGate);
      if (Object.keys(rules).length) await updateEnvironmentRules(txCtx, u.name, rules);
    }

    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "snapshot.import",
      objectType: "project",
      objectId: ctx.projectId,
      after: {
        format: snapshot.format,
        exportedAt: snapshot.exportedAt ?? null,
        from: snapshot.project ?? null,
        ...summary.totals,
        prompts: summary.prompts.created.length + summary.prompts.updated.length,
      },
    });
    return summary;
  });

  for (const e of applied.events) await ctx.events?.publish(e);
  return summary;
}
