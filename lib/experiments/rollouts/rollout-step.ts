// One step of a running guarded rollout, inside a transaction that holds its row: pause, resume, or advance
// to the next share (a new phase with the rollout's one seed, so subjects keep their arm). Its decision log
// and audit row (`rollout.pause|resume|advance`) are written here; the caller announces after commit.
import type { DomainContext } from "../../context";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { experiments } from "../../../db/schema";
import { recordAudit } from "../../audit/record";
import { AppError } from "../../errors";
import type { RolloutGuardrailReading, RolloutRead } from "../contracts";
import { openPhase } from "../phase";
import { stepLabel } from "./rollout-decide";
import { decisionBy, LIVE, NEW, withDecision } from "./rollout-state";
import type { Experiment } from "../store";

/** What the rollouts job decided on, handed to the move it takes. */
export type Automatic = {
  guardrails?: RolloutGuardrailReading[];
  /** What the readings were read from (the decision log keeps it); a person's move reads it at the move. */
  read?: RolloutRead;
  step?: number;
  /** Written in the rollback's transaction (the job's alert). */
  also?: (tx: Db) => Promise<void>;
};

/** Locks the rollout's row; 409 when it changed since `e` was read (another move came first). */
export async function lockRunning(tx: Db, e: Experiment) {
  const [locked] = await tx
    .select({ status: experiments.status, phase: experiments.phase, rollout: experiments.rollout })
    .from(experiments)
    .where(eq(experiments.id, e.id))
    .for("update");
  if (locked?.status !== "running" || locked.phase !== e.phase || locked.rollout?.paused !== e.rollout!.paused)
    throw new AppError("conflict", "The rollout changed meanwhile; try again.");
}

export async function moveLocked(
  ctx: DomainContext,
  e: Experiment,
  action: "pause" | "resume" | "advance",
  m: { reason: string; guardrails: RolloutGuardrailReading[]; read?: RolloutRead; now: Date },
) {
  const tx = ctx.db;
  const state = e.rollout!;
  const by = decisionBy(ctx.actor);
  const { reason, guardrails, now } = m;
  const read = m.read ? { read: m.read } : {};
  let rollout;
  let phase = e.phase;
  if (action === "advance") {
    const next = state.step + 1;
    const p = state.steps[next]!.percent / 100;
    phase = await openPhase(tx, e, { [LIVE]: 1 - p, [NEW]: p }, `step ${next + 1}`);
    rollout = withDecision(state, { action, reason, ...by, guardrails, ...read }, now, {
      step: next,
      stepStartedAt: now.toISOString(),
      lastCheck: null,
    });
  } else {
    rollout = withDecision(state, { action, reason, ...by, guardrails, ...read }, now, {
      paused: action === "pause",
      lastCheck: null,
    });
  }
  await tx.update(experiments).set({ rollout, phase }).where(eq(experiments.id, e.id));
  return recordAudit(tx, {
    projectId: ctx.projectId,
    actor: ctx.actor,
    action: `rollout.${action}`,
    objectType: "experiment",
    objectId: e.id,
    before: { step: state.step + 1, percent: state.steps[state.step]!.percent, paused: state.paused },
    after: {
      prompt: e.prompt,
      environment: e.environment,
      version: state.version,
      step: rollout.step + 1,
      percent: rollout.steps[rollout.step]!.percent,
      label: stepLabel(rollout),
      reason,
      guardrails,
      ...(e.bundle ? { bundle: e.bundle } : {}),
    },
  });
}
