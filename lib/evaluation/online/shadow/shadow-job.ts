// Shadow answering as a job of its own, one project per job, so that slow candidate models never hold
// the every-minute online-eval cron (which scores live outputs and checks for regressions): the cron
// only queues these. The queue's limits, per project: `short` with the project as singleton key keeps
// at most one job waiting per project (a tick while one waits adds nothing), and the project's lock
// keeps at most one running anywhere in the cluster (a second one started meanwhile ends at once). Not
// pg-boss's `singleton`/`stately`: a job waiting behind its project's running one would fail every
// fetch of pg-boss 10 (a unique-index violation it swallows) and so hold up every other project's.
// For hosts whose processes run no workers, the `shadow-sweep` cron does the same work in turn.
import { z } from "zod";
import type { Db } from "../../../../db/client";
import { declareJob, defineCron, defineJob, type JobSender, type TryLock } from "../../../jobs";
import type { ModelsFor } from "../scoring";
import { runShadow, shadowProjects, type ShadowRun } from "./shadow";

export const shadowJobRef = declareJob("online-shadow", z.object({ projectId: z.uuid() }), {
  policy: "short",
  // The next tick queues the project again; a retry would only answer what that job answers.
  retryLimit: 0,
  // A run ends after its share of answers; this bounds one whose models hang.
  expireInSeconds: 30 * 60,
  concurrency: 2,
});

export type ShadowJobDeps = {
  modelsFor: ModelsFor;
  /** Answers one project gets per job, every rule of it together (LECTERN_SHADOW_ANSWERS_PER_RUN). */
  answersPerRun: number;
};

const lockName = (projectId: string) => `online-shadow:${projectId}`;

/** Answers one project's shadow candidates under its lock, or says another run of it holds the lock. */
async function answerProject(
  db: Db,
  lock: TryLock,
  projectId: string,
  deps: ShadowJobDeps,
  signal?: AbortSignal,
): Promise<(ShadowRun & { projectId: string }) | { projectId: string; skipped: string }> {
  const release = await lock(lockName(projectId));
  if (!release) return { projectId, skipped: "another run is answering this project's candidates" };
  try {
    return {
      projectId,
      ...(await runShadow(db, deps.modelsFor, { projectId, perProject: deps.answersPerRun, signal })),
    };
  } finally {
    await release();
  }
}

export function shadowJob(deps: ShadowJobDeps) {
  return defineJob(shadowJobRef, async ({ projectId }, ctx) =>
    answerProject(ctx.db, ctx.lock, projectId, deps, ctx.signal),
  );
}

/** Queues a job for each project with shadow candidates; returns how many were queued (not already waiting). */
export async function queueShadow(db: Db, jobs: JobSender): Promise<number> {
  let queued = 0;
  for (const projectId of await shadowProjects(db))
    if (await jobs.send(shadowJobRef, { projectId }, { singletonKey: projectId })) queued++;
  return queued;
}

/**
 * The same work for hosts without workers (LECTERN_WORKERS=off: the host's scheduler calls
 * /api/cron/shadow-sweep): every project in turn, each under its lock. Where workers run, the jobs do it.
 */
export function shadowSweep(deps: ShadowJobDeps, opts: { schedule?: string } = {}) {
  return defineCron(
    "shadow-sweep",
    async ({ db, lock }) => {
      const projects = [];
      for (const projectId of await shadowProjects(db)) projects.push(await answerProject(db, lock, projectId, deps));
      return { projects };
    },
    {
      schedule: opts.schedule,
      description:
        "Let shadow candidates answer sampled live inputs, project by project (what the online-shadow jobs do, for hosts whose processes run no workers).",
    },
  );
}
