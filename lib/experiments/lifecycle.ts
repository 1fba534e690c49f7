// Starting, reweighting and stopping experiments. Every change is audited and announced on the bus
// after it commits (action "experiment"), so every instance's cache and every SDK switch at once.
//
// An experiment splits what its environment serves: its control is the version the environment
// serves, and every other variant that gets traffic must satisfy the environment's release plan
// (review, gate, live-in; or have been served there before, as a rollback could return to it) when
// the experiment starts and whenever its weights change. A promotion or rollback of the prompt in
// that environment stops it (a trigger on the deployment log, migration 0012). Shipping a variant
// promotes its version through the release log, in the same transaction.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { experimentPhases, experiments, prompts } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { authorize } from "../auth/permissions";
import { AppError, isUniqueViolation } from "../errors";
import { getPrompt } from "../registry/prompts";
import { BufferedEvents } from "../release/buffered-events";
import { liveDeployment, type ReleaseContext } from "../release/deployments";
import { getEnvironment } from "../release/environments";
import { planFor } from "../release/plan-facts";
import type { ReleasePlan } from "../release/plan";
import { confirmBreakingInput, promote } from "../release/promote";
import { parseInput } from "../validation";
import { assertAloneWhereItRuns, runningElsewhere } from "./namespaces";
import { currentWeights, getExperiment, type Experiment } from "./store";

async function announce(ctx: ReleaseContext, e: Experiment, seq: number) {
  const control = e.variants[0]!;
  await ctx.events.publish({
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
  tx: Db,
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

export const experimentReleaseInput = z.object({
  /** Confirms variants' changes that break the callers of a protected environment (see promote). */
  confirmBreaking: confirmBreakingInput,
});

/**
 * Under the prompt's lock (the one deployments take): the control must be what the environment
 * serves, and every other variant with traffic must satisfy the environment's release plan.
 */
async function assertArmsReleasable(
  tx: Db,
  ctx: ReleaseContext,
  e: Experiment,
  weights: Record<string, number>,
  confirmBreaking: boolean | readonly string[],
) {
  const prompt = await getPrompt(tx, ctx.projectId, e.prompt);
  const env = await getEnvironment(tx, ctx.projectId, e.environment);
  await tx.select({ id: prompts.id }).from(prompts).where(eq(prompts.id, prompt.id)).for("update");
  const live = await liveDeployment(tx, prompt.id, env.id);
  const control = e.variants[0]!;
  if (live?.version !== control.version)
    throw new AppError(
      "conflict",
      live
        ? `The control must be what ${e.environment} serves (version ${live.version}); this experiment's control "${control.key}" is version ${control.version}. An experiment splits what the environment serves: create it with version ${live.version} as the control.`
        : `Nothing of ${e.prompt} is live in ${e.environment}: promote the control (version ${control.version}) there first.`,
      { field: "variants", rule: "control", live: live?.version ?? null, control: control.version },
    );
  const refused: { variant: string; version: number; plan: ReleasePlan }[] = [];
  for (const v of e.variants.slice(1)) {
    if (!(weights[v.key]! > 0)) continue;
    const plan = await planFor(tx, prompt, env, v.version, { purpose: "experiment", confirmBreaking });
    if (plan.status === "blocked") refused.push({ variant: v.key, version: v.version, plan });
  }
  if (refused.length)
    throw new AppError(
      "conflict",
      refused
        .map(
          (r) =>
            `Variant "${r.variant}" (version ${r.version}) cannot be served in ${e.environment}: ${r.plan.summary}`,
        )
        .join(" "),
      { rule: "releasePlan", variants: refused },
    );
}

/**
 * What starting (or keeping) an experiment needs, before anyone clicks: whether its control is what
 * the environment serves, and each other variant's release plan there.
 */
export async function experimentReleasePlans(db: Db, projectId: string, id: string) {
  const e = await getExperiment(db, projectId, id);
  const prompt = await getPrompt(db, projectId, e.prompt);
  const env = await getEnvironment(db, projectId, e.environment);
  const live = await liveDeployment(db, prompt.id, env.id);
  const control = e.variants[0]!;
  return {
    control: { key: control.key, version: control.version, live: live?.version ?? null },
    variants: await Promise.all(
      e.variants.slice(1).map(async (v) => ({
        key: v.key,
        version: v.version,
        plan: await planFor(db, prompt, env, v.version, { purpose: "experiment" }),
      })),
    ),
  };
}

export async function startExperiment(
  ctx: ReleaseContext,
  id: string,
  input: z.input<typeof experimentReleaseInput> = {},
) {
  authorize(ctx.actor, "experiment.manage");
  const data = parseInput(experimentReleaseInput, input);
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
      await assertAloneWhereItRuns(tx, ctx.projectId, e);
      await assertArmsReleasable(tx, ctx, e, currentWeights(e), data.confirmBreaking);
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
    if (isUniqueViolation(err)) throw runningElsewhere(e);
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
  confirmBreaking: confirmBreakingInput,
});

/**
 * New weights for a running experiment start a new phase with a new seed: assignments of the old
 * phase are not reused (in bandit mode, subjects keep their stored assignment). Used by people
 * (fixed/sequential) and by the bandit reweighting job.
 */
export async function setWeights(
  ctx: ReleaseContext,
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
    await assertArmsReleasable(tx, ctx, e, data.weights, data.confirmBreaking);
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
  confirmBreaking: confirmBreakingInput,
});

/**
 * Stops a running experiment. {ship: key} promotes that variant's version to the experiment's
 * environment through the release log (its plan applies, a version served there before counting as
 * for a rollback; a refusal leaves the experiment running), in the same transaction; {keep: "control"}
 * (or shipping the control) changes nothing that is served except ending the split. `also` writes in
 * the same transaction (online evaluation's alert when it stops a regressing variant).
 */
export async function stopExperiment(
  ctx: ReleaseContext,
  id: string,
  input: z.input<typeof stopExperimentInput>,
  opts: { also?: (tx: Db) => Promise<void> } = {},
) {
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
    // Stopped before the ship's deployment, so the deployment log's trigger leaves this experiment to its own decision.
    await tx
      .update(experiments)
      .set({ status: "stopped", stoppedAt: new Date(), decision: { ...data.decision, reason: data.reason } })
      .where(eq(experiments.id, id));
    let deployment: { id: number; version: number } | null = null;
    // Shipping the control changes nothing that is served: the environment serves it already.
    if (shipped && shipped !== e.variants[0]) {
      const reason = `Shipped from experiment "${e.name}" (${e.id})${data.reason ? `: ${data.reason}` : ""}`;
      const d = await promote(
        { ...ctx, db: tx, events: buffer },
        e.prompt,
        { environment: e.environment, version: shipped.version, reason, confirmBreaking: data.confirmBreaking },
        { purpose: "experiment" },
      );
      deployment = { id: d.id, version: d.version };
    }
    const decision = { ...data.decision, reason: data.reason, deployment };
    await tx.update(experiments).set({ decision }).where(eq(experiments.id, id));
    await opts.also?.(tx);
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
