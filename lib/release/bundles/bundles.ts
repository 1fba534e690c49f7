// Agent bundles (docs/decisions/bundles.md): a named set of prompts (an agent's system prompt, its tools' descriptions,
// the partials they share) released as one. A release checks every member's release plan under locks on all
// of them, refuses with every member's plan when any is blocked, and writes every changed member's
// deployment (through promote, so each member's rules hold as for a promotion of its own), one bundle
// release row and its audit row in one transaction: a reader of the database never sees a mix. A rollback
// returns every member to the bundle's previous release there, in one transaction too. Each member's
// deployment names the release it is part of, so its webhook event says so (bundle-log.ts).
import { and, asc, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import { readEach, type Db } from "../../../db/client";
import { bundleMembers, bundleReleases, bundles, prompts, type BundleVersions } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import { withTx, type DomainContext } from "../../context";
import { promptNameSchema } from "../../registry/names";
import { versionNumber } from "../../number-params";
import { getPrompt, type PromptRow } from "../../registry/prompts";
import { parseInput } from "../../validation";
import { auditRelease, insertRelease, type BundleReleaseRow } from "./bundle-log";
import { BufferedEvents } from "../../announcements";
import { experimentActionInput } from "../composing";
import { environmentNameSchema } from "../environments";
import { getRequestEnvironment } from "../request-environments";
import { planFor } from "../plan/plan-facts";
import type { ReleasePlan } from "../plan/plan";
import { bundleRefusal } from "../plan/plan-refusal";
import { personConfirmed } from "../plan/plan-rolled-back";
import {
  confirmBreakingInput,
  confirmDependentsInput,
  confirmRolledBackInput,
  dependentsOverride,
  promoteVersion,
  reasonInput,
} from "../promote";

export const bundleNameSchema = z
  .string({ error: "name is required" })
  .min(1, "name is required")
  .max(100, "name must be at most 100 characters")
  .regex(
    /^[a-z0-9][a-z0-9._/-]*$/,
    "name may use lowercase letters, digits, '.', '_', '-' and '/', starting with a letter or digit",
  );

export const bundleDescriptionSchema = z.string().max(2000, "description must be at most 2000 characters");

export const createBundleInput = z.object({
  name: bundleNameSchema,
  description: bundleDescriptionSchema.default(""),
  prompts: z
    .array(promptNameSchema, { error: "prompts must be a list of prompt names" })
    .min(1, "prompts must name at least one prompt")
    .max(50, "a bundle holds at most 50 prompts")
    .refine((p) => new Set(p).size === p.length, "prompts must not name a prompt twice"),
});

export const releaseBundleInput = z.object({
  environment: environmentNameSchema,
  versions: z.record(promptNameSchema, versionNumber(), { error: "versions must map each member's name to a version" }),
  reason: reasonInput,
  confirmBreaking: confirmBreakingInput,
  confirmRolledBack: confirmRolledBackInput,
  confirmDependents: confirmDependentsInput,
  /** What happens to experiments running on prompts that include a member, whose arms the release changes. */
  experimentAction: experimentActionInput,
});

export type BundleRow = typeof bundles.$inferSelect;
export type { BundleReleaseRow };

export interface Bundle extends BundleRow {
  members: PromptRow[];
}

/** A bundle with its members in their order; 404 when there is none of that name. */
export async function getBundleRow(db: Db, projectId: string, name: string): Promise<Bundle> {
  const [bundle] = await db
    .select()
    .from(bundles)
    .where(and(eq(bundles.projectId, projectId), eq(bundles.name, name)));
  if (!bundle) throw new AppError("not_found", `No bundle named ${name} in this project.`, { bundle: name });
  const rows = await db
    .select({ prompt: prompts })
    .from(bundleMembers)
    .innerJoin(prompts, eq(prompts.id, bundleMembers.promptId))
    .where(eq(bundleMembers.bundleId, bundle.id))
    .orderBy(asc(bundleMembers.position));
  return { ...bundle, members: rows.map((r) => r.prompt) };
}

export async function listBundles(db: Db, projectId: string): Promise<BundleRow[]> {
  return db.select().from(bundles).where(eq(bundles.projectId, projectId)).orderBy(asc(bundles.name));
}

/** The bundle's releases to an environment, newest first. */
export async function bundleReleasesIn(db: Db, bundleId: string, environmentId: string, limit = 50) {
  return db
    .select()
    .from(bundleReleases)
    .where(and(eq(bundleReleases.bundleId, bundleId), eq(bundleReleases.environmentId, environmentId)))
    .orderBy(desc(bundleReleases.id))
    .limit(limit);
}

export async function createBundle(ctx: DomainContext, input: z.input<typeof createBundleInput>): Promise<Bundle> {
  const data = parseInput(createBundleInput, input);
  // One after another inside a transaction (the snapshot import's): a connection runs one query at a time.
  const members = await readEach(ctx.db, data.prompts, (n) => getPrompt(ctx.db, ctx.projectId, n));
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: bundles.id })
      .from(bundles)
      .where(and(eq(bundles.projectId, ctx.projectId), eq(bundles.name, data.name)));
    if (taken) throw new AppError("conflict", `A bundle named ${data.name} exists already.`, { field: "name" });
    const [bundle] = await tx
      .insert(bundles)
      .values({
        projectId: ctx.projectId,
        name: data.name,
        description: data.description,
        createdByLabel: ctx.actor.label,
      })
      .returning();
    await tx
      .insert(bundleMembers)
      .values(members.map((p, position) => ({ bundleId: bundle!.id, promptId: p.id, position })));
    await recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "bundle.create",
      objectType: "bundle",
      objectId: bundle!.id,
      after: { name: data.name, prompts: data.prompts },
    });
    return { ...bundle!, members };
  });
}

/** 400 unless `versions` names every member of the bundle and nothing else. */
export function assertCoversMembers(bundle: Bundle, versions: BundleVersions) {
  const names = bundle.members.map((m) => m.name);
  const missing = names.filter((n) => !Object.hasOwn(versions, n));
  const strangers = Object.keys(versions).filter((n) => !names.includes(n));
  if (missing.length || strangers.length)
    throw new AppError(
      "invalid_input",
      `versions must name each member of ${bundle.name} (${names.join(", ")})${missing.length ? `; missing: ${missing.join(", ")}` : ""}${strangers.length ? `; not members: ${strangers.join(", ")}` : ""}`,
      { field: "versions", missing, strangers },
    );
}

/** The bundle, read under a share lock of its row: its members cannot change until the transaction ends. */
export async function lockedBundle(tx: Db, projectId: string, name: string): Promise<Bundle> {
  await tx
    .select({ id: bundles.id })
    .from(bundles)
    .where(and(eq(bundles.projectId, projectId), eq(bundles.name, name)))
    .for("share");
  return getBundleRow(tx, projectId, name);
}

/** Locks every member (in one order, so two releases cannot deadlock). */
export async function lockMembers(tx: Db, members: PromptRow[]) {
  const ids = members.map((m) => m.id).sort();
  await tx
    .select({ id: prompts.id })
    .from(prompts)
    .where(inArray(prompts.id, ids))
    .orderBy(asc(prompts.id))
    .for("update");
}

/**
 * Releases a bundle: `versions` names every member's version. Members already serving theirs are not
 * deployed again; the release row names all of them. 409 (or the first blocked member's code) with every
 * member's plan when any is blocked; nothing is written then. `purpose: "experiment"`: the completion of the
 * bundle's guarded rollout (lib/experiments/rollouts/bundle-rollouts.ts), which the rollout rule lets through.
 */
export async function releaseBundle(
  ctx: DomainContext,
  name: string,
  input: z.input<typeof releaseBundleInput>,
  how: { purpose?: "experiment" } = {},
): Promise<BundleReleaseRow> {
  const data = parseInput(releaseBundleInput, input);
  const env = await getRequestEnvironment(ctx, data.environment);
  const confirmDependents = dependentsOverride(ctx.actor, data.confirmDependents);
  assertCoversMembers(await getBundleRow(ctx.db, ctx.projectId, name), data.versions);
  const buffer = new BufferedEvents();
  const row = await ctx.db.transaction(async (tx) => {
    // The members as of the bundle's row lock (updateBundle takes it too): a change of members waits, or came first.
    const bundle = await lockedBundle(tx, ctx.projectId, name);
    assertCoversMembers(bundle, data.versions);
    await lockMembers(tx, bundle.members);
    const opts = {
      confirmBreaking: data.confirmBreaking,
      confirmRolledBack: personConfirmed(ctx.actor, data.confirmRolledBack),
      confirmDependents,
      purpose: how.purpose,
      experimentAction: data.experimentAction,
    };
    const plans: { prompt: string; plan: ReleasePlan }[] = [];
    for (const m of bundle.members)
      plans.push({ prompt: m.name, plan: await planFor(tx, m, env, data.versions[m.name]!, opts) });
    if (plans.some((p) => p.plan.status === "blocked")) throw bundleRefusal(bundle.name, env.name, plans);
    const previous = Object.fromEntries(plans.map((p) => [p.prompt, p.plan.live]));
    const changed = plans.map((p, i) => ({ ...p, member: bundle.members[i]! })).filter((p) => p.plan.status !== "live");
    // The release row first: each member's deployment names it, so its event says which release it is part of.
    const release = await insertRelease(
      withTx(ctx, tx),
      bundle,
      env,
      { versions: data.versions, previous },
      "release",
      data.reason,
    );
    const inner = withTx(ctx, tx, buffer);
    for (const p of changed)
      await promoteVersion(
        inner,
        p.prompt,
        {
          environment: env.name,
          version: p.plan.version,
          reason: `Bundle ${bundle.name}${data.reason ? `: ${data.reason}` : ""}`,
          confirmBreaking: data.confirmBreaking,
          confirmRolledBack: data.confirmRolledBack,
          confirmDependents: data.confirmDependents,
          experimentAction: data.experimentAction,
        },
        // The member and the environment as read here, under the locks: not read again.
        {
          partOf: { name: bundle.name, release: release.id },
          purpose: how.purpose,
          read: { prompt: p.member, environment: env },
        },
      );
    await auditRelease(withTx(ctx, tx), bundle, env, release, { changed: changed.map((p) => p.prompt) });
    return release;
  });
  await buffer.flush(ctx.events);
  return row;
}
