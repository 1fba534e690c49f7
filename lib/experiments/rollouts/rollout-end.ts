// The end of a guarded rollout, written in the transaction that stops its experiment: its decision log and
// its audit row. One place for every way a rollout ends (../stop.ts, the bundle's group: rollout-group.ts).
import type { DomainContext } from "../../context";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { experimentDecisions, experiments } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import type { ExperimentDecision, RolloutGuardrailReading, RolloutRead } from "../contracts";
import { decisionBy, withDecision } from "./rollout-state";
import type { Experiment } from "../store";

/** Marks a running experiment stopped with its decision; its list row then shows the decision, never a computed call. */
export async function markStopped(tx: Db, id: string, decision: ExperimentDecision) {
  await tx
    .update(experiments)
    .set({ status: "stopped", stoppedAt: new Date(), decision })
    .where(eq(experiments.id, id));
  await tx.delete(experimentDecisions).where(eq(experimentDecisions.experimentId, id));
}

/**
 * A rollout ends (its experiment is stopped in this transaction), whoever ends it — its job, a person, online
 * evaluation, or its bundle's rollout: its log says how, and its audit row (`rollout.complete` or
 * `rollout.rollback`) is the webhook's event. Returns the audit's sequence number.
 */
export async function endRollout(
  ctx: DomainContext,
  e: Experiment,
  end: {
    completed: boolean;
    reason: string;
    guardrails: RolloutGuardrailReading[];
    read?: RolloutRead;
    deployment: { id: number; version: number } | null;
  },
) {
  const tx = ctx.db;
  const state = e.rollout!;
  const action = end.completed ? "complete" : "rollback";
  const rollout = withDecision(
    state,
    {
      action,
      reason: end.reason,
      ...decisionBy(ctx.actor),
      guardrails: end.guardrails,
      ...(end.read ? { read: end.read } : {}),
    },
    ctx.now?.() ?? new Date(),
    { lastCheck: null },
  );
  await tx.update(experiments).set({ rollout }).where(eq(experiments.id, e.id));
  return recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: end.completed ? "rollout.complete" : "rollout.rollback",
    objectType: "experiment",
    objectId: e.id,
    before: { status: "running", percent: state.steps[state.step]!.percent },
    after: {
      prompt: e.prompt,
      environment: e.environment,
      version: state.version,
      step: state.step + 1,
      percent: end.completed ? 100 : 0,
      reason: end.reason,
      guardrails: end.guardrails,
      deployment: end.deployment,
      ...(e.bundle ? { bundle: e.bundle } : {}),
    },
  });
}
