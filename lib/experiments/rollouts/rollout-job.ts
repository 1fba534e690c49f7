// The rollouts cadence (cron `rollouts`, each minute, or the in-process scheduler): for every running guarded
// rollout, its guardrails read from the whole rollout's aggregates (O(arms × metrics × hours), never raw
// events; always-valid intervals, Holm over the guardrails) in one snapshot of the primary, so every event
// accepted before the look is in them (rollout-reads.ts), and the rule of rollout-decide.ts: roll back, wait,
// advance, or complete. Every decision keeps what it read (subjects and events per arm and guardrail); a wait
// is kept as the rollout's last check. A person's move meanwhile wins (the step is checked under the row lock).
import { projectContext } from "../../context";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { experiments } from "../../../db/schema";
import type { Actor } from "../../auth/permissions";
import { isAppError } from "../../errors";
import { describeComposing, type ComposingExperiment } from "../../release/composing";
import type { EventSink } from "../../announcements";
import type { RolloutCheck, RolloutGuardrailReading } from "../contracts";
import { actOnRollout } from "./rollout-control";
import { decideRollout, type RolloutAction } from "./rollout-decide";
import { readOf, rolloutReadings, storedReading, type RolloutReadings } from "./rollout-reads";
import { getExperiment, groupOf, type Experiment } from "../store";

/** The job's actor: rollout decisions it takes are logged as "rollouts", automatic. */
export const rolloutsActor: Actor = { type: "system", label: "rollouts" };

export type RolloutTick = {
  rolloutId: string;
  prompt: string;
  environment: string;
  action: "wait" | "advance" | "complete" | "rollback" | "skipped" | "error";
  reason: string;
};

/** What a rollback by the job tells people, written in its transaction (lib/server/jobs raises the alert). */
export type RolledBack = {
  rolloutId: string;
  projectId: string;
  promptId: string;
  environmentId: string;
  prompt: string;
  environment: string;
  version: number;
  metric: string;
  step: number;
  percent: number;
  reason: string;
  guardrails: RolloutGuardrailReading[];
};

export async function tickRollouts(
  db: Db,
  events: EventSink,
  now: () => Date = () => new Date(),
  onRollback?: (tx: Db, r: RolledBack) => Promise<void>,
) {
  const running = await db
    .select({ id: experiments.id, projectId: experiments.projectId })
    .from(experiments)
    .where(
      and(
        eq(experiments.kind, "rollout"),
        eq(experiments.status, "running"),
        sql`coalesce((${experiments.rollout}->>'paused')::boolean, false) = false`,
      ),
    );
  const out: RolloutTick[] = [];
  const groups = new Set<string>();
  for (const r of running) {
    const first = await getExperiment(db, r.projectId, r.id);
    const mark = first.bundle;
    if (mark && groups.has(mark.group)) continue;
    if (mark) groups.add(mark.group);
    const base = { rolloutId: first.id, prompt: first.prompt, environment: first.environment };
    try {
      const { e, reading, decision } = await decideGroup(db, r.projectId, first, now);
      const guardrails = reading.guardrails.map(storedReading);
      if (decision.action === "wait") {
        // Kept on the rollout, so its page and API say why it waits and what it read ("too few subjects to tell").
        await noteWait(db, e, {
          at: now().toISOString(),
          reason: decision.reason,
          guardrails,
          read: readOf(reading, e),
        });
        out.push({ ...base, action: "wait", reason: decision.reason });
        continue;
      }
      out.push(await act({ db, events, now, onRollback }, r.projectId, e, reading, decision, guardrails, base));
    } catch (err) {
      // A person (or a deployment) moved it meanwhile: their move stands; the next tick reads it afresh.
      if (isAppError(err) && err.code === "conflict") out.push({ ...base, action: "skipped", reason: err.message });
      else out.push({ ...base, action: "error", reason: err instanceof Error ? err.message : String(err) });
    }
  }
  return out;
}

/**
 * A bundle's rollout decides once for all its members (they move together: rollout-group.ts): any member's
 * regression rolls all back; they advance when every member's step is met.
 */
async function decideGroup(db: Db, projectId: string, first: Experiment, now: () => Date) {
  const mark = first.bundle;
  const members = mark ? (await groupOf(db, projectId, mark.group)).filter((m) => m.status === "running") : [first];
  const read: { e: Experiment; reading: RolloutReadings; decision: RolloutAction }[] = [];
  for (const m of members) {
    const reading = await rolloutReadings(db, projectId, m.id);
    read.push({ e: m, reading, decision: decideRollout(m.rollout!, now(), reading) });
  }
  const chosen =
    read.find((x) => x.decision.action === "rollback") ?? read.find((x) => x.decision.action === "wait") ?? read[0]!;
  const { e, reading } = chosen;
  const decision =
    mark && members.length > 1
      ? { ...chosen.decision, reason: `${e.prompt}: ${chosen.decision.reason}` }
      : chosen.decision;
  return { e, reading, decision };
}

type Tick = {
  db: Db;
  events: EventSink;
  now: () => Date;
  onRollback?: (tx: Db, r: RolledBack) => Promise<void>;
};

/** Rolls back or advances the rollout as decided; a completion that would change a person's experiment waits. */
async function act(
  { db, events, now, onRollback }: Tick,
  projectId: string,
  e: Experiment,
  reading: RolloutReadings,
  decision: Exclude<RolloutAction, { action: "wait" }>,
  guardrails: RolloutGuardrailReading[],
  base: Pick<RolloutTick, "rolloutId" | "prompt" | "environment">,
): Promise<RolloutTick> {
  const ctx = projectContext(db, rolloutsActor, projectId, events, now);
  const state = e.rollout!;
  const rolledBack: RolledBack | null =
    decision.action === "rollback"
      ? {
          rolloutId: e.id,
          projectId: projectId,
          promptId: e.promptId,
          environmentId: e.environmentId,
          prompt: e.prompt,
          environment: e.environment,
          version: state.version,
          metric: decision.metric,
          step: state.step + 1,
          percent: state.steps[state.step]!.percent,
          reason: decision.reason,
          guardrails,
        }
      : null;
  const also = rolledBack && onRollback ? (tx: Db) => onRollback(tx, rolledBack) : undefined;
  const auto = { guardrails, read: readOf(reading, e), step: state.step, also };
  const action = decision.action === "rollback" ? "rollback" : "advance";
  try {
    await actOnRollout(ctx, e.id, action, { reason: decision.reason }, auto);
  } catch (err) {
    // Completing would change what a person's experiment serves while it runs (a partial's release): the
    // job does not choose for them. The rollout holds at its last step and says why, until that ends or a
    // person completes it with their choice (experimentAction).
    if (!(isAppError(err) && err.code === "experiment_running")) throw err;
    const reason = heldBy(err.details);
    await noteWait(db, e, { at: now().toISOString(), reason, guardrails, read: readOf(reading, e) });
    return { ...base, action: "wait", reason };
  }
  return { ...base, action: decision.action, reason: decision.reason };
}

/** Why a rollout ready to complete holds: the experiments its release would change, from the refusal's details. */
function heldBy(details: Record<string, unknown> | undefined): string {
  const held = (details?.experiments ?? []) as Pick<ComposingExperiment, "kind" | "name" | "prompt">[];
  const names = held.map(describeComposing).join(" and ") || "an experiment";
  return `ready to complete, but completing changes what ${names} serves while it runs: it completes once that ends, or when a person completes it and chooses a new phase or a stop for it`;
}

/**
 * The job's latest look at a rollout that waits, kept on it (overwritten each minute; no audit row: nothing served
 * changed). Written only while the rollout is still at the step and phase it read, so a person's move meanwhile is
 * never overwritten with a stale look.
 */
async function noteWait(db: Db, e: Experiment, check: RolloutCheck) {
  await db
    .update(experiments)
    .set({ rollout: sql`jsonb_set(${experiments.rollout}, '{lastCheck}', ${JSON.stringify(check)}::jsonb)` })
    .where(
      and(
        eq(experiments.id, e.id),
        eq(experiments.status, "running"),
        eq(experiments.phase, e.phase),
        sql`(${experiments.rollout}->>'step')::int = ${e.rollout!.step}`,
        sql`coalesce((${experiments.rollout}->>'paused')::boolean, false) = false`,
      ),
    );
}
