// Starting, reweighting and stopping experiments. Every change is audited and announced on the bus
// after it commits (action "experiment"), so every instance's cache and every SDK switch at once.
//
// An experiment splits what its environment serves: its control is the version the environment
// serves, and every other variant that gets traffic must satisfy the environment's release plan
// (review, gate, live-in; or have been served there before, as a rollback could return to it) when
// the experiment starts and whenever its weights change. A promotion or rollback of the prompt in
// that environment stops it (a trigger on the deployment log, migration 0012). Shipping a variant
// promotes its version through the release log, in the same transaction.
//
// Here: starting and reweighting. Stopping is in stop.ts, the release checks in release-checks.ts.
import { withTx, type DomainContext } from "../context";
import { z } from "zod";
import { AppError, isUniqueViolation } from "../errors";
import { confirmBreakingInput, confirmRolledBackInput } from "../release/promote";
import { personConfirmed } from "../release/plan/plan-rolled-back";
import { parseInput } from "../validation";
import { startGroup, reweightGroup } from "./bundles/bundle-group";
import { reweightLocked, startLocked } from "./lifecycle-locked";
import { runningElsewhere } from "./namespaces";
import { announce } from "./phase";
import { refreshAfterChange } from "./analysis/decisions";
import { refuseRollout } from "./rollouts/rollout-state";
import { getExperiment, notStarted } from "./store";

export { experimentReleasePlans } from "./release-checks";
export { stopExperiment, stopExperimentInput } from "./stop";

export const experimentReleaseInput = z.object({
  /** Confirms variants' changes that break the callers of a protected environment (see promote). */
  confirmBreaking: confirmBreakingInput,
  confirmRolledBack: confirmRolledBackInput,
});

export async function startExperiment(
  ctx: DomainContext,
  id: string,
  input: z.input<typeof experimentReleaseInput> = {},
) {
  const data = parseInput(experimentReleaseInput, input);
  const e = await getExperiment(ctx.db, ctx.projectId, id);
  if (e.status !== notStarted)
    throw new AppError("conflict", `This experiment is already ${e.status}.`, { status: e.status });
  // A member of a bundle's experiment starts with every member (bundles/bundle-group.ts).
  if (e.bundle) return startGroup(ctx, e, data);
  let seq = 0;
  try {
    seq = await ctx.db.transaction((tx) =>
      startLocked(withTx(ctx, tx), e, {
        confirmBreaking: data.confirmBreaking,
        confirmRolledBack: personConfirmed(ctx.actor, data.confirmRolledBack),
      }),
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw runningElsewhere(e);
    throw err;
  }
  const started = await getExperiment(ctx.db, ctx.projectId, id);
  await announce(ctx, started, seq);
  // The list's call for phase 1 (no subjects yet: cheap), so it shows one from the start.
  await refreshAfterChange(ctx.db, ctx.projectId, id, ctx.now, started);
  return started;
}

export const setWeightsInput = z.object({
  weights: z.record(z.string(), z.number().min(0).max(1), {
    error: "weights must be an object of variant key → weight",
  }),
  reason: z.string().max(1000).default(""),
  confirmBreaking: confirmBreakingInput,
  confirmRolledBack: confirmRolledBackInput,
});

/**
 * New weights for a running experiment start a new phase with a new seed: assignments of the old
 * phase are not reused (in bandit mode, subjects keep their stored assignment). Used by people
 * (fixed/sequential) and by the bandit reweighting job.
 */
export async function setExperimentWeights(
  ctx: DomainContext,
  id: string,
  input: z.input<typeof setWeightsInput>,
  pBest: number[] | null = null,
) {
  const data = parseInput(setWeightsInput, input);
  const e = await getExperiment(ctx.db, ctx.projectId, id);
  refuseRollout(e, "take new weights");
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
  // A member of a bundle's experiment is reweighted with every member, to one new seed (bundles/bundle-group.ts).
  if (e.bundle) return reweightGroup(ctx, e, data, pBest);
  const seq = await ctx.db.transaction((tx) =>
    reweightLocked(withTx(ctx, tx), e, {
      weights: data.weights,
      reason: data.reason,
      pBest,
      confirmBreaking: data.confirmBreaking,
      confirmRolledBack: personConfirmed(ctx.actor, data.confirmRolledBack),
    }),
  );
  const updated = await getExperiment(ctx.db, ctx.projectId, id);
  await announce(ctx, updated, seq);
  // The list's call for the new phase: the previous phase's is no longer shown (a reweight re-randomizes).
  await refreshAfterChange(ctx.db, ctx.projectId, id, ctx.now, updated);
  return updated;
}
