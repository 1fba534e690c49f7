// The writes of starting and reweighting one experiment, inside a transaction the caller holds: for one
// experiment (lifecycle.ts) and for every member of a bundle's experiment at once (bundles/bundle-group.ts). Each
// locks the experiment's row, checks what the release plan asks of its arms, opens a phase and audits.
import type { DomainContext } from "../context";
import { eq } from "drizzle-orm";
import { experiments } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { assertAloneWhereItRuns } from "./namespaces";
import { openPhase } from "./phase";
import { assertArmsReleasable } from "./release-checks";
import { currentWeights, notStarted, type Experiment } from "./store";

type Confirmations = Parameters<typeof assertArmsReleasable>[3];

export async function startLocked(ctx: DomainContext, e: Experiment, confirm: Confirmations) {
  const tx = ctx.db;
  const [locked] = await tx
    .select({ status: experiments.status })
    .from(experiments)
    .where(eq(experiments.id, e.id))
    .for("update");
  if (locked?.status !== notStarted)
    throw new AppError("conflict", `This experiment is already ${locked?.status}.`, { status: locked?.status });
  await assertAloneWhereItRuns(tx, ctx.projectId, e);
  await assertArmsReleasable(ctx, e, currentWeights(e), confirm);
  const phase = await openPhase(tx, e, currentWeights(e), "start");
  await tx.update(experiments).set({ status: "running", phase, startedAt: new Date() }).where(eq(experiments.id, e.id));
  return recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "experiment.start",
    objectType: "experiment",
    objectId: e.id,
    after: { prompt: e.prompt, environment: e.environment, phase, ...(e.bundle ? { bundle: e.bundle } : {}) },
  });
}

export async function reweightLocked(
  ctx: DomainContext,
  e: Experiment,
  w: { weights: Record<string, number>; reason: string; pBest?: number[] | null } & Confirmations,
) {
  const tx = ctx.db;
  const [locked] = await tx
    .select({ status: experiments.status, phase: experiments.phase })
    .from(experiments)
    .where(eq(experiments.id, e.id))
    .for("update");
  if (locked?.status !== "running" || locked.phase !== e.phase)
    throw new AppError("conflict", "The experiment changed meanwhile; try again.");
  await assertArmsReleasable(ctx, e, w.weights, w);
  const phase = await openPhase(tx, e, w.weights, w.reason || "reweight", w.pBest ?? null);
  await tx.update(experiments).set({ phase }).where(eq(experiments.id, e.id));
  return recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "experiment.reweight",
    objectType: "experiment",
    objectId: e.id,
    before: { phase: e.phase, weights: currentWeights(e) },
    after: {
      prompt: e.prompt,
      environment: e.environment,
      phase,
      weights: w.weights,
      reason: w.reason,
      ...(e.bundle ? { bundle: e.bundle } : {}),
    },
  });
}
