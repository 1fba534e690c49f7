// Stopping an experiment: keep the control, or ship a variant through the release log in the same
// transaction.
import { withTx, type DomainContext } from "../context";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { experimentDecisions, experiments } from "../../db/schema";
import { recordAudit } from "../audit/record";
import { AppError } from "../errors";
import { BufferedEvents } from "../announcements";
import { experimentActionInput } from "../release/composing";
import { confirmBreakingInput, confirmRolledBackInput, promoteVersion } from "../release/promote";
import { parseInput } from "../validation";
import type { RolloutGuardrailReading, RolloutRead } from "./contracts";
import { announce } from "./phase";
import { NEW, refuseRollout } from "./rollouts/rollout-state";
import { endRollout } from "./rollouts/rollout-end";
import { stopGroup } from "./bundles/bundle-group";
import { actOnGroup } from "./rollouts/rollout-group";
import { getExperiment, type Experiment } from "./store";

export const stopExperimentInput = z.object({
  decision: z.union([z.object({ ship: z.string().min(1).max(32) }), z.object({ keep: z.literal("control") })], {
    error: 'decision must be {ship: "<variant key>"} or {keep: "control"}',
  }),
  reason: z.string().max(2000).default(""),
  confirmBreaking: confirmBreakingInput,
  confirmRolledBack: confirmRolledBackInput,
  /**
   * When the shipped version is a partial's and experiments on prompts that include it run there: what happens to
   * them (a new phase or a stop), as in a release's body. Without it such a ship is refused (409 experiment_running).
   */
  experimentAction: experimentActionInput,
});

type StopOptions = {
  also?: (tx: Db) => Promise<void>;
  guardrails?: RolloutGuardrailReading[];
  read?: RolloutRead;
  /**
   * Set by the callers that may end a guarded rollout this way: its own control (rollouts/rollout-control.ts) and online
   * evaluation's stop of whatever runs where it regresses. The experiments' endpoints and page never set it.
   */
  rollout?: boolean;
  /** The experiment as the caller read it already (a rollout's own control): not read again. */
  experiment?: Experiment;
};
type StopData = z.output<typeof stopExperimentInput>;
type Variant = Experiment["variants"][number];

/**
 * Stops a running experiment. {ship: key} promotes that variant's version to the experiment's
 * environment through the release log (its plan applies, a version served there before counting as
 * for a rollback; a refusal leaves the experiment running), in the same transaction; {keep: "control"}
 * (or shipping the control) changes nothing that is served except ending the split. Shipping a variant the
 * last computed call did not name as the winner needs a reason (422 on `reason`). `also` writes in
 * the same transaction (online evaluation's alert when it stops a regressing variant).
 */
export async function stopExperiment(
  ctx: DomainContext,
  id: string,
  input: z.input<typeof stopExperimentInput>,
  opts: StopOptions = {},
) {
  const data = parseInput(stopExperimentInput, input);
  const e = opts.experiment?.id === id ? opts.experiment : await getExperiment(ctx.db, ctx.projectId, id);
  if (!opts.rollout) refuseRollout(e, "be stopped and decided as an experiment");
  if (e.status !== "running")
    throw new AppError("conflict", `Only a running experiment can be stopped; this one is ${e.status}.`, {
      status: e.status,
    });
  if (e.rollout && e.bundle) {
    // A member of a bundle's rollout ends with its whole group (rollouts/rollout-group.ts): online evaluation's stop
    // of a regressing member rolls every member back; shipping one member alone would serve a mix.
    if ("ship" in data.decision && data.decision.ship === NEW)
      throw new AppError(
        "conflict",
        `This rollout is part of bundle ${e.bundle.name}'s rollout: advance the bundle's rollout to complete every member at once.`,
        { bundle: e.bundle.name },
      );
    await actOnGroup(ctx, e, "rollback", data.reason, {
      guardrails: opts.guardrails,
      read: opts.read,
      also: opts.also,
    });
    return getExperiment(ctx.db, ctx.projectId, id);
  }
  const shipped = await shippedVariant(ctx, e, data);
  // A member of a bundle's experiment stops with every member; shipping an arm is one bundle release.
  if (e.bundle) return stopGroup(ctx, e, data, opts.also);
  const buffer = new BufferedEvents();
  const seq = await ctx.db.transaction((tx) => writeStop(ctx, tx, buffer, e, data, shipped, opts));
  await buffer.flush(ctx.events);
  const stopped = await getExperiment(ctx.db, ctx.projectId, id);
  await announce(ctx, stopped, seq);
  return stopped;
}

/** The variant to ship (null: keep the control); shipping one the data has not called needs a reason. */
async function shippedVariant(ctx: DomainContext, e: Experiment, data: StopData): Promise<Variant | null> {
  const id = e.id;
  const shipKey = "ship" in data.decision ? data.decision.ship : null;
  const shipped = shipKey === null ? null : e.variants.find((v) => v.key === shipKey);
  if (shipKey !== null && !shipped)
    throw new AppError(
      "unprocessable",
      `decision.ship: no variant ${shipKey}; this experiment has ${e.variants.map((v) => v.key).join(", ")}.`,
      { field: "decision.ship" },
    );
  if (shipped && shipped !== e.variants[0] && !data.reason.trim()) {
    // Shipping what the data has not called (the call as last computed for this phase) needs a person's why.
    const [call] = await ctx.db
      .select({ winner: experimentDecisions.winner, verdict: experimentDecisions.verdict })
      .from(experimentDecisions)
      .where(and(eq(experimentDecisions.experimentId, id), eq(experimentDecisions.phase, e.phase)));
    if (call?.winner !== shipped.key)
      throw new AppError(
        "unprocessable",
        `reason: say why you ship ${shipped.key}: the data has not called it the winner (${call ? `last call: ${call.verdict}` : "no call computed yet"}).`,
        { field: "reason" },
      );
  }
  return shipped ?? null;
}

/** The stop in one transaction: the row, the ship's promotion, the decision, then its audit (or the rollout's end). */
async function writeStop(
  ctx: DomainContext,
  tx: Db,
  buffer: BufferedEvents,
  e: Experiment,
  data: StopData,
  shipped: Variant | null,
  opts: StopOptions,
) {
  const id = e.id;
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
  // A stopped experiment's list row shows the decision taken, never a computed call.
  await tx.delete(experimentDecisions).where(eq(experimentDecisions.experimentId, id));
  let deployment: { id: number; version: number } | null = null;
  // Shipping the control changes nothing that is served: the environment serves it already.
  if (shipped && shipped !== e.variants[0]) {
    const from =
      e.kind === "rollout" ? `Completed guarded rollout (${e.id})` : `Shipped from experiment "${e.name}" (${e.id})`;
    const reason = `${from}${data.reason ? `: ${data.reason}` : ""}`;
    const d = await promoteVersion(
      withTx(ctx, tx, buffer),
      e.prompt,
      {
        environment: e.environment,
        version: shipped.version,
        reason,
        confirmBreaking: data.confirmBreaking,
        confirmRolledBack: data.confirmRolledBack,
        experimentAction: data.experimentAction,
      },
      { purpose: "experiment" },
    );
    // Already live (a concurrent release of it): the live deployment, nothing written.
    deployment = { id: d.deployment.id, version: d.deployment.version };
  }
  const decision = { ...data.decision, reason: data.reason, deployment };
  await tx.update(experiments).set({ decision }).where(eq(experiments.id, id));
  await opts.also?.(tx);
  if (e.rollout)
    return endRollout(withTx(ctx, tx), e, {
      completed: shipped?.key === NEW,
      reason: data.reason,
      guardrails: opts.guardrails ?? [],
      read: opts.read,
      deployment,
    });
  return recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: "experiment.stop",
    objectType: "experiment",
    objectId: id,
    before: { status: "running" },
    after: { prompt: e.prompt, environment: e.environment, decision },
  });
}
