// What people (and the rollouts job) do to a running guarded rollout: pause, resume, advance to the next
// step (the step before 100 % completes it: the new version becomes the environment's deployment through the
// release log), roll back (traffic back to the live version; the version counts as rolled back for the release
// plan). Each is one transaction under the experiment's row lock, audited with its reason, and announced after
// commit, so every instance and SDK serves the new split at once.
import { withTx, type DomainContext } from "../../context";
import { z } from "zod";
import { AppError } from "../../errors";
import { experimentActionInput } from "../../release/composing";
import { parseInput } from "../../validation";
import { announce } from "../phase";
import { actOnGroup } from "./rollout-group";
import { lockRunning, moveLocked, type Automatic } from "./rollout-step";
import { NEW, rolloutDto, rolloutStatus } from "./rollout-state";
import { stopExperiment } from "../stop";
import { getRolloutExperiment, readOf, rolloutReadings, storedReading } from "./rollout-reads";
import type { Experiment } from "../store";

export const rolloutActions = ["pause", "resume", "advance", "rollback"] as const;
export type RolloutActionName = (typeof rolloutActions)[number];

export const rolloutActionInput = z.object({
  reason: z
    .string({ error: "reason is required: say why" })
    .trim()
    .min(1, { error: "reason is required: say why" })
    .max(2000, { error: "reason must be at most 2000 characters" }),
});

/**
 * An advance from the step before 100 % completes the rollout: a release of its version. When that version is a
 * partial's and experiments on prompts that include it run there, the person says what happens to them (a new phase
 * or a stop), as in a release's body; without it the completion is refused (409 experiment_running) and the job
 * holds the rollout at its last step, saying why.
 */
export const rolloutAdvanceInput = rolloutActionInput.extend({ experimentAction: experimentActionInput });

export function assertRunning(e: Experiment, action: RolloutActionName) {
  const status = rolloutStatus(e);
  if (status !== "running" && status !== "paused")
    throw new AppError("conflict", `This rollout is ${status.replace("_", " ")}; only a running one can ${action}.`, {
      status,
    });
  if (action === "pause" && status === "paused") throw new AppError("conflict", "This rollout is paused already.");
  if (action === "resume" && status === "running") throw new AppError("conflict", "This rollout is not paused.");
}

/** A person's (or the job's) move on a rollout; `auto` carries the readings the job decided on. */
export async function actOnRollout(
  ctx: DomainContext,
  id: string,
  action: RolloutActionName,
  input: unknown,
  auto: Automatic = {},
) {
  const { reason, experimentAction } = parseInput(rolloutAdvanceInput, input);
  if (experimentAction !== undefined && action !== "advance")
    throw new AppError(
      "unprocessable",
      `experimentAction: only an advance that completes a rollout releases a version; a ${action} takes none.`,
      { field: "experimentAction" },
    );
  // experiment.manage and the rollout's environment's rule are the wrapper's (rollouts endpoints' rolloutTarget).
  const e = await getRolloutExperiment(ctx.db, ctx.projectId, id);
  assertRunning(e, action);
  // A person's advance or rollback is logged with what the guardrails read at that moment, as the job's are.
  // A read that fails never holds a rollback (or an advance) back: the move is logged without it.
  if (auto.guardrails === undefined && (action === "advance" || action === "rollback")) {
    const reading = await rolloutReadings(ctx.db, ctx.projectId, id, e).catch(() => null);
    if (reading) auto = { ...auto, guardrails: reading.guardrails.map(storedReading), read: readOf(reading, e) };
  }
  // A bundle's rollout moves as one: every member in one transaction (rollout-group.ts).
  if (e.bundle) {
    await actOnGroup(ctx, e, action, reason, auto, experimentAction);
    return rolloutDto(await getRolloutExperiment(ctx.db, ctx.projectId, id));
  }
  // The job decided on a step: if a person moved it meanwhile, their move stands.
  if (auto.step !== undefined && auto.step !== e.rollout!.step)
    throw new AppError("conflict", "The rollout moved to another step meanwhile.");
  const state = e.rollout!;
  const guardrails = auto.guardrails ?? [];
  const read = auto.read;
  // The stop takes the rollout as read here, and answers it as it committed the end (read once more, after commit).
  if (action === "rollback") {
    const stopped = await stopExperiment(
      ctx,
      id,
      { decision: { keep: "control" }, reason },
      { guardrails, read, also: auto.also, rollout: true, experiment: e },
    );
    return rolloutDto(stopped);
  }
  const next = state.step + 1;
  if (action === "advance" && next >= state.steps.length - 1) {
    const stopped = await stopExperiment(
      ctx,
      id,
      { decision: { ship: NEW }, reason, experimentAction },
      { guardrails, read, rollout: true, experiment: e },
    );
    return rolloutDto(stopped);
  }
  const now = ctx.now?.() ?? new Date();
  const seq = await ctx.db.transaction(async (tx) => {
    await lockRunning(tx, e);
    return moveLocked(withTx(ctx, tx), e, action, { reason, guardrails, read, now });
  });
  const changed = await getRolloutExperiment(ctx.db, ctx.projectId, id);
  if (action === "advance") await announce(ctx, changed, seq);
  return rolloutDto(changed);
}
