// Starting, reweighting and stopping experiments. Every change is audited and announced on the bus
// after it commits (action "experiment"), so every instance's cache and every SDK switch at once.
// Shipping a variant promotes its version through the release log, in the same transaction.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { experimentPhases, experiments } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize } from "../auth/permissions";
import { AppError, isUniqueViolation } from "../errors";
import type { DomainContext } from "../registry/context";
import { BufferedEvents } from "../release/buffered-events";
import { promote } from "../release/deployments";
import { parseInput } from "../validation";
import { currentWeights, getExperiment, type Experiment } from "./store";

async function announce(ctx: DomainContext, e: Experiment, seq: number) {
  const control = e.variants[0]!;
  await ctx.events?.publish({
    projectId: ctx.projectId,
    prompt: e.prompt,
    environment: e.environment,
    version: control.version,
    action: "experiment",
    seq,
  });
}

/** Opens a new phase (phase 1 at the start): a seed — the experiment's own for phase 1 — and weights. */
async function openPhase(
  tx: DomainContext["db"],
  e: Experiment,
  weights: Record<string, number>,
  reason: string,
  pBest: number[] | null = null,
) {
  const phase = e.phase + 1;
  const seed = phase === 1 ? e.seed : `${e.seed}:${phase}:${randomBytes(4).toString("hex")}`;
  await tx.insert(experimentPhases).values({ experimentId: e.id, phase, seed, weights, reason, pBest });
  return phase;
}

export async function startExperiment(ctx: DomainContext, id: string) {
  authorize(ctx.actor, "experiment.manage");
  const e = await getExperiment(ctx.db, ctx.projectId, id);
  if (e.status !== "draft")
    throw new AppError("conflict", `This experiment is already ${e.status}.`, { status: e.status });
  let seq = 0;
  try {
    seq = await ctx.db.transaction(async (tx) => {
      const [locked] = await tx
        .select({ status: experiments.status })
        .from(experiments)
        .where(eq(experiments.id, id))
        .for("update");
      if (locked?.status !== "draft")
        throw new AppError("conflict", `This experiment is already ${locked?.status}.`, { status: locked?.status });
      const phase = await openPhase(tx, e, currentWeights(e), "start");
      await tx
        .update(experiments)
        .set({ status: "running", phase, startedAt: new Date() })
        .where(eq(experiments.id, id));
      return recordAudit(tx, {
        projectId: ctx.projectId,
        actor: ctx.actor,
        action: "experiment.start",
        objectType: "experiment",
        objectId: id,
        after: { prompt: e.prompt, environment: e.environment, phase },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new AppError(
        "conflict",
        `Another experiment is already running on ${e.prompt} in ${e.environment}; stop it first.`,
        { prompt: e.prompt, environment: e.environment },
      );
    throw err;
  }
  const started = await getExperiment(ctx.db, ctx.projectId, id);
  await announce(ctx, started, seq);
  return started;
}

export const setWeightsInput = z.object({
  weights: z.record(z.string(), z.number().min(0).max(1), {
    error: "weights must be an object of variant key → weight",
  }),
  reason: z.string().max(1000).default(""),
});

/**
 * New weights for a running experiment start a new phase with a new seed: assignments of the old
 * phase are not reused (in bandit mode, subjects keep their stored assignment). Used by people
 * (fixed/sequential) and by the bandit reweighting job.
 */
export async function setWeights(
  ctx: DomainContext,
  id: string,
  input: z.input<typeof setWeightsInput>,
  pBest: number[] | null = null,
) {
  authorize(ctx.actor, "experiment.manage");
  const data = parseInput(setWeightsInput, input);
  const e = await getExperiment(ctx.db, ctx.projectId, id);
  if (e.status !== "running")
    throw new AppError("conflict", `Only a running experiment can be reweighted; this one is ${e.status}.`, {
      status: e.status,
    });
  const keys = e.variants.map((v) => v.key);
  const unknown = Object.keys(data.weights).filter((k) => !keys.includes(k));
  if (unknown.length || keys.some((k) => data.weights[k] === undefined))
    throw new AppError("unprocessable", `weights must give every variant (${keys.join(", ")}) and nothing else.`, {
      field: "weights",
      unknown,
    });
  const total = keys.reduce((s, k) => s + data.weights[k]!, 0);
  if (Math.abs(total - 1) > 1e-6)
    throw new AppError("unprocessable", `weights must sum to 1 (they sum to ${Number(total.toFixed(6))}).`, {
      field: "weights",
    });
  const seq = await ctx.db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ status: experiments.status, phase: experiments.phase })
      .from(experiments)
      .where(eq(experiments.id, id))
      .for("update");
    if (locked?.status !== "running" || locked.phase !== e.phase)
      throw new AppError("conflict", "The experiment changed meanwhile; try again.");
    const phase = await openPhase(tx, e, data.weights, data.reason || "reweight", pBest);
    await tx.update(experiments).set({ phase }).where(eq(experiments.id, id));
    return recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "experiment.reweight",
      objectType: "experiment",
      objectId: id,
      before: { phase: e.phase, weights: currentWeights(e) },
      after: { prompt: e.prompt, environment: e.environment, phase, weights: data.weights, reason: data.reason },
    });
  });
  const updated = await getExperiment(ctx.db, ctx.projectId, id);
  await announce(ctx, updated, seq);
  return updated;
}

export const stopExperimentInput = z.object({
  decision: z.union([z.object({ ship: z.string().min(1).max(32) }), z.object({ keep: z.literal("control") })], {
    error: 'decision must be {ship: "<variant key>"} or {keep: "control"}',
  }),
  reason: z.string().max(2000).default(""),
});

/**
 * Stops a running experiment. {ship: key} promotes that variant's version to the experiment's
 * environment through the release log (its rules apply; a refusal leaves the experiment running),
 * in the same transaction; {keep: "control"} changes nothing that is served except ending the split.
 */
export async function stopExperiment(ctx: DomainContext, id: string, input: z.input<typeof stopExperimentInput>) {
  authorize(ctx.actor, "experiment.manage");
  const data = parseInput(stopExperimentInput, input);
  const e = await getExperiment(ctx.db, ctx.projectId, id);
  if (e.status !== "running")
    throw new AppError("conflict", `Only a running experiment can be stopped; this one is ${e.status}.`, {
      status: e.status,
    });
  const shipKey = "ship" in data.decision ? data.decision.ship : null;
  const shipped = shipKey === null ? null : e.variants.find((v) => v.key === shipKey);
  if (shipKey !== null && !shipped)
    throw new AppError(
      "unprocessable",
      `decision.ship: no variant ${shipKey}; this experiment has ${e.variants.map((v) => v.key).join(", ")}.`,
      { field: "decision.ship" },
    );
  const buffer = new BufferedEvents();
  const seq = await ctx.db.transaction(async (tx) => {
    const [locked] = await tx
      .select({ status: experiments.status })
      .from(experiments)
      .where(eq(experiments.id, id))
      .for("update");
    if (locked?.status !== "running") throw new AppError("conflict", `This experiment is already ${locked?.status}.`);
    let deployment: { id: number; version: number } | null = null;
    if (shipped) {
      const reason = `Shipped from experiment "${e.name}" (${e.id})${data.reason ? `: ${data.reason}` : ""}`;
      const d = await promote({ ...ctx, db: tx, events: buffer }, e.prompt, {
        environment: e.environment,
        version: shipped.version,
        reason,
      });
      deployment = { id: d.id, version: d.version };
    }
    const decision = { ...data.decision, reason: data.reason, deployment };
    await tx
      .update(experiments)
      .set({ status: "stopped", stoppedAt: new Date(), decision })
      .where(eq(experiments.id, id));
    return recordAudit(tx, {
      projectId: ctx.projectId,
      actor: ctx.actor,
      action: "experiment.stop",
      objectType: "experiment",
      objectId: id,
      before: { status: "running" },
      after: { prompt: e.prompt, environment: e.environment, decision },
    });
  });
  await buffer.flush(ctx.events);
  const stopped = await getExperiment(ctx.db, ctx.projectId, id);
  await announce(ctx, stopped, seq);
  return stopped;
}
