// A bundle's experiment (docs/decisions/bundles.md) moves as one: its members (one experiment per member its arms
// change, one seed, one set of weights: bundle-experiments.ts) start, are reweighted and stop in one transaction, so a
// subject is in one arm of every member, and no instance ever serves a mix of arms. Shipping an arm is ONE
// bundle release with that arm's versions (releaseBundle: every member's plan, in the stops' transaction);
// keeping the control ends the split. Bandits are not bundled (their sticky assignment is per experiment).
import { withTx, type DomainContext } from "../../context";
import type { z } from "zod";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { experiments } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError, isUniqueViolation } from "../../errors";
import { BufferedEvents } from "../../announcements";
import { getBundleRow, releaseBundle } from "../../release/bundles/bundles";
import { liveDeployment } from "../../release/deployments";
import { personConfirmed } from "../../release/plan/plan-rolled-back";
import { refreshAfterChange } from "../analysis/decisions";
import type { setWeightsInput, experimentReleaseInput } from "../lifecycle";
import { reweightLocked, startLocked } from "../lifecycle-locked";
import { announce } from "../phase";
import { markStopped } from "../rollouts/rollout-end";
import { getExperiment, groupOf, notStarted, type Experiment } from "../store";

/** Runs `step` on every member, in one transaction: each member's announcement sequence. */
function eachInOneTransaction(
  ctx: DomainContext,
  members: Experiment[],
  step: (ctx: DomainContext, m: Experiment) => Promise<number>,
): Promise<number[]> {
  return ctx.db.transaction(async (tx) => {
    const out: number[] = [];
    for (const m of members) out.push(await step(withTx(ctx, tx), m));
    return out;
  });
}

/** After the commit: announces every member's change and refreshes its analysis; the experiment `e` as it is now. */
async function after(ctx: DomainContext, e: Experiment, members: Experiment[], seqs: number[]) {
  for (const [i, m] of members.entries()) {
    await announce(ctx, await getExperiment(ctx.db, ctx.projectId, m.id), seqs[i]!);
    await refreshAfterChange(ctx.db, ctx.projectId, m.id, ctx.now);
  }
  return getExperiment(ctx.db, ctx.projectId, e.id);
}

export async function startGroup(ctx: DomainContext, e: Experiment, data: z.output<typeof experimentReleaseInput>) {
  const members = (await groupOf(ctx.db, ctx.projectId, e.bundle!.group)).filter((m) => m.status === notStarted);
  const confirm = {
    confirmBreaking: data.confirmBreaking,
    confirmRolledBack: personConfirmed(ctx.actor, data.confirmRolledBack),
  };
  let seqs: number[] = [];
  try {
    seqs = await eachInOneTransaction(ctx, members, (inner, m) => startLocked(inner, m, confirm));
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError("conflict", `Another experiment runs on a member of bundle ${e.bundle!.name}; stop it first.`);
    throw err;
  }
  return after(ctx, e, members, seqs);
}

export async function reweightGroup(
  ctx: DomainContext,
  e: Experiment,
  data: z.output<typeof setWeightsInput>,
  pBest: number[] | null,
) {
  const members = (await groupOf(ctx.db, ctx.projectId, e.bundle!.group)).filter((m) => m.status === "running");
  if (members.some((m) => m.phase !== e.phase))
    throw new AppError("conflict", "The bundle's experiment changed meanwhile; try again.");
  const w = {
    weights: data.weights,
    reason: data.reason,
    pBest,
    confirmBreaking: data.confirmBreaking,
    confirmRolledBack: personConfirmed(ctx.actor, data.confirmRolledBack),
  };
  const seqs = await eachInOneTransaction(ctx, members, (inner, m) => reweightLocked(inner, m, w));
  return after(ctx, e, members, seqs);
}

/**
 * Stops every running member: {ship: key} releases the bundle with that arm's versions (the members outside
 * the experiment keep what they serve) through every member's plan, {keep: "control"} ends the split.
 */
export async function stopGroup(
  ctx: DomainContext,
  e: Experiment,
  data: {
    decision: { ship: string } | { keep: "control" };
    reason: string;
    confirmBreaking: z.output<typeof experimentReleaseInput>["confirmBreaking"];
    confirmRolledBack: boolean;
  },
  also?: (tx: Db) => Promise<void>,
) {
  const mark = e.bundle!;
  const members = (await groupOf(ctx.db, ctx.projectId, mark.group)).filter((m) => m.status === "running");
  const key = "ship" in data.decision ? data.decision.ship : null;
  const shipping = key !== null && key !== e.variants[0]!.key;
  const buffer = new BufferedEvents();
  const seqs = await ctx.db.transaction(async (tx) => {
    for (const m of members) {
      const [locked] = await tx
        .select({ status: experiments.status })
        .from(experiments)
        .where(eq(experiments.id, m.id))
        .for("update");
      if (locked?.status !== "running") throw new AppError("conflict", `This experiment is already ${locked?.status}.`);
      // Stopped before the release's deployments, so the deployment log's trigger leaves them to this decision.
      await markStopped(tx, m.id, { ...data.decision, reason: data.reason });
    }
    let release: number | null = null;
    if (shipping) release = await shipArm(ctx, tx, buffer, e, members, key!, data);
    const out: number[] = [];
    for (const m of members) {
      const d = shipping ? await liveDeployment(tx, m.promptId, m.environmentId) : undefined;
      const decision = {
        ...data.decision,
        reason: data.reason,
        deployment: d ? { id: d.id, version: d.version } : null,
      };
      await tx.update(experiments).set({ decision }).where(eq(experiments.id, m.id));
      out.push(
        await recordAudit(tx, {
          projectId: ctx.projectId,
          actor: ctx.actor,
          action: "experiment.stop",
          objectType: "experiment",
          objectId: m.id,
          before: { status: "running" },
          after: { prompt: m.prompt, environment: m.environment, decision, bundle: { ...mark, release } },
        }),
      );
    }
    await also?.(tx);
    return out;
  });
  await buffer.flush(ctx.events);
  for (const [i, m] of members.entries())
    await announce(ctx, await getExperiment(ctx.db, ctx.projectId, m.id), seqs[i]!);
  return getExperiment(ctx.db, ctx.projectId, e.id);
}

/** Releases the bundle with the shipped arm's versions (members outside the experiment keep what they serve). */
async function shipArm(
  ctx: DomainContext,
  tx: Db,
  buffer: BufferedEvents,
  e: Experiment,
  members: Experiment[],
  key: string,
  data: Parameters<typeof stopGroup>[2],
) {
  const mark = e.bundle!;
  const bundle = await getBundleRow(tx, ctx.projectId, mark.name);
  const versions: Record<string, number> = {};
  for (const p of bundle.members) {
    const own = members.find((m) => m.promptId === p.id)?.variants.find((v) => v.key === key);
    const live = own ? undefined : await liveDeployment(tx, p.id, e.environmentId);
    if (!own && !live)
      throw new AppError(
        "conflict",
        `Bundle ${mark.name} cannot ship ${key}: ${p.name} serves nothing in ${e.environment}.`,
        {
          prompt: p.name,
        },
      );
    versions[p.name] = own ? own.version : live!.version;
  }
  const r = await releaseBundle(
    withTx(ctx, tx, buffer),
    mark.name,
    {
      environment: e.environment,
      versions,
      reason: `Shipped ${key} from bundle experiment "${e.name}"${data.reason ? `: ${data.reason}` : ""}`,
      confirmBreaking: data.confirmBreaking,
      confirmRolledBack: data.confirmRolledBack,
    },
    { purpose: "experiment" },
  );
  return r.id;
}
