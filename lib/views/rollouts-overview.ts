// The Rollouts pages (read models): the project's guarded rollouts, filtered by environment and status, and one
// rollout with what its guardrails read, its sample-ratio check and what it waits for. A rollout is never an
// experiment on these pages or the Experiments ones (docs/decisions/rollout-decisions.md); both read lib/experiments'
// rollout reads.
import type { Db } from "../../db/client";
import { isAppError } from "../errors";
import { getRolloutExperiment, listRollouts, getRollout, rolloutStatuses } from "../experiments/rollouts/rollout-reads";
import type { RolloutStatus } from "../experiments/rollouts/rollout-state";
import { getEnvironmentRow, listEnvironmentRows } from "../release/environments";

/** The list: the rollouts (newest first, at most 200) and the environments to filter by. */
export async function rolloutsOverview(db: Db, projectId: string, filter: { environment?: string; status?: string }) {
  const status = rolloutStatuses.find((s) => s === filter.status);
  const [rollouts, environments] = await Promise.all([
    listRollouts(db, projectId, { environment: filter.environment || undefined, status }),
    listEnvironmentRows(db, projectId),
  ]);
  return {
    status: status ?? null,
    environment: environments.some((e) => e.name === filter.environment) ? filter.environment! : null,
    environments: environments.map((e) => e.name),
    rollouts: rollouts.map((r) => {
      const last = r.decisions.at(-1)!;
      return {
        ...r,
        title: r.bundle ? `${r.prompt} (bundle ${r.bundle.name})` : r.prompt,
        // What it does now, in a line: why it waits, or its last decision's reason.
        now: r.lastCheck?.reason ?? last.reason,
        nowAt: r.lastCheck?.at ?? last.at,
      };
    }),
  };
}
export type RolloutsOverview = Awaited<ReturnType<typeof rolloutsOverview>>;

/** One rollout's page; null when the project has no rollout with this id (an experiment's id is none). */
export async function rolloutOverview(db: Db, projectId: string, id: string) {
  const found = await getRolloutExperiment(db, projectId, id).catch((err: unknown) => {
    if (isAppError(err) && err.code === "not_found") return null;
    throw err;
  });
  if (!found) return null;
  const [rollout, env] = await Promise.all([
    getRollout(db, projectId, id),
    getEnvironmentRow(db, projectId, found.environment),
  ]);
  const running: RolloutStatus[] = ["running", "paused"];
  const next = rollout.steps[rollout.step + 1];
  return {
    rollout,
    active: running.includes(rollout.status),
    environment: { name: env.name, protected: env.protected },
    // The share advancing moves to; null when advancing completes it.
    nextPercent: next && rollout.step + 1 < rollout.steps.length - 1 ? next.percent : null,
  };
}
export type RolloutOverview = NonNullable<Awaited<ReturnType<typeof rolloutOverview>>>;
