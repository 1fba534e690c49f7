// A bundle's guarded rollout (docs/decisions/bundles.md) moves as one. Its members are rollouts of one seed and one
// share (bundle-rollouts.ts), so a subject gets every member's new version or none; each move takes every member
// in one transaction, so no instance or SDK ever serves a subject a mix of steps: pause, resume and advance
// move them all; a rollback ends them all (traffic back to what each served); the last step completes them all
// as ONE bundle release (releaseBundle, with every member's plan, in the same transaction as the stops).
import { withTx, type DomainContext } from "../../context";
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { experiments } from "../../../db/schema";
import { AppError } from "../../errors";
import { BufferedEvents } from "../../announcements";
import { getBundleRow, releaseBundle } from "../../release/bundles/bundles";
import type { ExperimentAction } from "../../release/composing";
import { liveDeployment } from "../../release/deployments";
import { announce } from "../phase";
import { endRollout, markStopped } from "./rollout-end";
import { lockRunning, moveLocked, type Automatic } from "./rollout-step";
import { NEW } from "./rollout-state";
import { getExperiment, groupOf, type Experiment } from "../store";

type GroupAction = "pause" | "resume" | "advance" | "rollback";

/**
 * `e`'s whole group makes the move. The job's `auto.step` must still be the group's step (a person's move
 * meanwhile stands: 409). Completing releases the bundle with every member's new version; `experimentAction` is
 * the person's choice for experiments on prompts that include a member (the release's, as in its body).
 */
export async function actOnGroup(
  ctx: DomainContext,
  e: Experiment,
  action: GroupAction,
  reason: string,
  auto: Automatic,
  experimentAction?: ExperimentAction,
) {
  const mark = e.bundle!;
  if (auto.step !== undefined && auto.step !== e.rollout!.step)
    throw new AppError("conflict", "The rollout moved to another step meanwhile.");
  const members = (await groupOf(ctx.db, ctx.projectId, mark.group)).filter((m) => m.status === "running");
  const state = e.rollout!;
  const now = ctx.now?.() ?? new Date();
  const guardrailsOf = (m: Experiment) => (m.id === e.id ? (auto.guardrails ?? []) : []);
  // What the decision read is the decided member's (the others' logs say the same move, without it).
  const readOf = (m: Experiment) => (m.id === e.id ? auto.read : undefined);
  const completes = action === "advance" && state.step + 1 >= state.steps.length - 1;
  const buffer = new BufferedEvents();
  const g: Group = { ctx, e, members, reason, auto, guardrailsOf, readOf, buffer, experimentAction };
  const seqs = await ctx.db.transaction(async (tx) => {
    for (const m of members) await lockRunning(tx, m);
    const out: number[] = [];
    if (action === "rollback") return rollBackGroup(tx, g);
    if (completes) return completeGroup(tx, g);
    for (const m of members)
      out.push(
        await moveLocked(withTx(ctx, tx), m, action as "pause" | "resume" | "advance", {
          reason,
          guardrails: guardrailsOf(m),
          read: readOf(m),
          now,
        }),
      );
    return out;
  });
  await buffer.flush(ctx.events);
  if (action === "pause" || action === "resume") return;
  for (const [i, m] of members.entries())
    await announce(ctx, await getExperiment(ctx.db, ctx.projectId, m.id), seqs[i]!);
}

/** One move of a group: the members that move, and what each member's log records. */
type Group = {
  ctx: DomainContext;
  e: Experiment;
  members: Experiment[];
  reason: string;
  auto: Automatic;
  guardrailsOf: (m: Experiment) => NonNullable<Automatic["guardrails"]>;
  readOf: (m: Experiment) => Automatic["read"];
  buffer: BufferedEvents;
  experimentAction?: ExperimentAction;
};

/** A rollback ends every member: traffic back to what each served. */
async function rollBackGroup(tx: Db, g: Group) {
  const { ctx, members, reason, auto, guardrailsOf, readOf } = g;
  const out: number[] = [];
  for (const m of members) {
    await markStopped(tx, m.id, { keep: "control", reason, deployment: null });
    out.push(
      await endRollout(withTx(ctx, tx), m, {
        completed: false,
        reason,
        guardrails: guardrailsOf(m),
        read: readOf(m),
        deployment: null,
      }),
    );
  }
  await auto.also?.(tx);
  return out;
}

/** The last step completes every member as one bundle release, in the transaction that stops them. */
async function completeGroup(tx: Db, g: Group) {
  const { ctx, e, members, reason, guardrailsOf, readOf, buffer, experimentAction } = g;
  const mark = e.bundle!;
  const out: number[] = [];
  // Stopped before the release's deployments, so the deployment log's trigger leaves them to this decision.
  for (const m of members) await markStopped(tx, m.id, { ship: NEW, reason });
  const bundle = await getBundleRow(tx, ctx.projectId, mark.name);
  const versions: Record<string, number> = {};
  for (const p of bundle.members) {
    const own = members.find((m) => m.promptId === p.id);
    const live = own ? undefined : await liveDeployment(tx, p.id, e.environmentId);
    if (!own && !live)
      throw new AppError(
        "conflict",
        `Bundle ${mark.name} cannot complete its rollout: ${p.name} (a member since it started) serves nothing in ${e.environment}.`,
        { prompt: p.name },
      );
    versions[p.name] = own ? own.rollout!.version : live!.version;
  }
  const release = await releaseBundle(
    withTx(ctx, tx, buffer),
    mark.name,
    {
      environment: e.environment,
      versions,
      reason: `Completed guarded rollout${reason ? `: ${reason}` : ""}`,
      experimentAction,
    },
    { purpose: "experiment" },
  );
  for (const m of members) {
    const d = await liveDeployment(tx, m.promptId, m.environmentId);
    const deployment = d ? { id: d.id, version: d.version } : null;
    await tx
      .update(experiments)
      .set({ decision: { ship: NEW, reason: reason || `Bundle ${mark.name}: release ${release.id}`, deployment } })
      .where(eq(experiments.id, m.id));
    out.push(
      await endRollout(withTx(ctx, tx), m, {
        completed: true,
        reason,
        guardrails: guardrailsOf(m),
        read: readOf(m),
        deployment,
      }),
    );
  }
  return out;
}
