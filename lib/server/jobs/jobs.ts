import "server-only";
import { pruneSessions } from "@/lib/auth/sessions";
import { defineCron, JobRegistry, startJobs, type CronDefinition, type JobQueue } from "@/lib/jobs";
import { deliverJob, pruneDeliveries, watchAudit, webhookJobs, type WebhookConfig } from "@/lib/webhooks";
import { reweightBandits } from "@/lib/experiments/bandit-job";
import { refreshDecisions } from "@/lib/experiments/analysis/decisions";
import { tickRollouts } from "@/lib/experiments/rollouts/rollout-job";
import { runRegressionChecks } from "@/lib/evaluation/online/loop/loop";
import { raiseAlert } from "@/lib/evaluation/online/alerts";
import { onlineEvalCron } from "@/lib/evaluation/online/online-eval-cron";
import { shadowJob, shadowSweep } from "@/lib/evaluation/online/shadow/shadow-job";
import { scorerModels } from "../wiring/models-wiring";
import { evalRunJob, evalRunSweep } from "@/lib/evaluation/runs";
import { optimizationJob, optimizationSweep } from "@/lib/optimization";
import { ensureEventPartitions, pruneRawEvents } from "@/lib/ingest/retention";
import { getRuntime } from "../wiring/runtime-wiring";
import { getDatabase, getDb } from "../wiring/db";
import { encryptionKey } from "../wiring/encryption";
import { env } from "../wiring/env";
import { log } from "../wiring/log";
import { onShutdown } from "../wiring/process/shutdown";
import { processSingleton } from "../wiring/singleton";
import { evalRunDeps } from "./eval-runs";
import { optimizationDeps } from "./optimizations";

// The job queue of this process (one, on globalThis like the database) and the registry of every
// job and cron job. Other features add their definitions to `jobRegistry` below.

export function webhookConfig(): WebhookConfig {
  return { encryptionKey: encryptionKey(), allowPrivate: env().LECTERN_WEBHOOK_ALLOW_PRIVATE };
}

const housekeeping = defineCron(
  "housekeeping",
  async ({ db }) => {
    const sessionsPruned = await pruneSessions(db);
    const deliveriesPruned = await pruneDeliveries(db, 30);
    const eventsPruned = await pruneRawEvents(db, env().LECTERN_EVENT_RETENTION_DAYS);
    // The coming days' partitions of raw events, made ahead so that ingest never waits on one.
    const eventPartitionsMade = await ensureEventPartitions(db);
    return { sessionsPruned, deliveriesPruned, eventsPruned, eventPartitionsMade };
  },
  {
    schedule: "7 * * * *",
    description:
      "Delete sessions that ended over a day ago, webhook deliveries finished over 30 days ago, and raw metric events past their retention (whole days; aggregates are kept); make the next days' event partitions.",
  },
);

// Online evaluation: scoring, the regression checks, and a shadow job per project (online-eval-cron.ts).
const onlineEval = onlineEvalCron({
  modelsFor: async (projectId) => scorerModels(await getDb(), projectId),
  events: async () => (await getRuntime()).bus,
});
const shadowDeps = () => ({
  modelsFor: async (projectId: string) => scorerModels(await getDb(), projectId),
  answersPerRun: env().LECTERN_SHADOW_ANSWERS_PER_RUN,
});
const autoRollback = defineCron(
  "auto-rollback",
  async ({ db, now }) => ({ rules: await runRegressionChecks(db, (await getRuntime()).bus, now) }),
  {
    schedule: "* * * * *",
    description:
      "Compare each rule's live version with the last known-good one; alert, and roll back past the threshold.",
  },
);

// Bandits learn on a cadence: new weights (a new phase) from the primary metric, after burn-in.
const bandits = defineCron(
  "bandits",
  async ({ db }) => ({ experiments: await reweightBandits(db, (await getRuntime()).bus) }),
  {
    schedule: "*/10 * * * *",
    description:
      "Reweight running bandit experiments from their primary metric (Thompson sampling or UCB1, with a floor).",
  },
);

// Guarded rollouts decide each minute: roll back on a guardrail significantly worse, advance a step whose
// minimums are met, complete the last (lib/experiments/rollouts/rollout-decide.ts). They read the primary (`db`), never the
// replica, in one snapshot: every event accepted before is counted. The exposures this process's resolves have
// buffered (at most a second's) are written first, so the subjects they name are counted too.
const rollouts = defineCron(
  "rollouts",
  async ({ db, now }) => {
    const runtime = await getRuntime();
    await runtime.exposures.flush();
    return {
      rollouts: await tickRollouts(
        db,
        runtime.bus,
        () => now,
        async (tx, r) => {
          await raiseAlert(
            tx,
            {
              projectId: r.projectId,
              promptId: r.promptId,
              environmentId: r.environmentId,
              ruleId: null,
              kind: "rollout_regression",
              severity: "critical",
              message: `${r.prompt}: the guarded rollout of version ${r.version} in ${r.environment} was rolled back: ${r.reason}.`,
              details: {
                rollout: r.rolloutId,
                metric: r.metric,
                step: r.step,
                percent: r.percent,
                guardrails: r.guardrails,
              },
            },
            r.version,
            { type: "system", label: "rollouts" },
          );
        },
      ),
    };
  },
  {
    schedule: "* * * * *",
    description:
      "Read each running guarded rollout's guardrails (one snapshot of the primary); roll back on a significant regression or an interval wholly beyond the margin, wait (saying why) on too few subjects per arm, advance a step whose minimums are met, complete the last.",
  },
);

// The experiments list reads each running experiment's call as last computed here (lib/experiments/analysis/decisions.ts),
// so that viewing it never analyses every subject: one experiment at a time, under this job's lock, within 4 minutes.
const experimentDecisions = defineCron(
  "experiment-decisions",
  async ({ db }) => ({ ...(await refreshDecisions(db)) }),
  {
    schedule: "*/5 * * * *",
    description:
      "Recompute each running experiment's call (winner, verdict, CUPED on the primary metric) for the experiments list.",
  },
);

// LECTERN_DEBUG_JOBS: a job that holds its lock for `?seconds=` (at most 30), to watch the lock work.
const debugSleep = defineCron(
  "debug-sleep",
  async ({ params }) => {
    const seconds = Math.min(30, Math.max(0, Number(params.seconds ?? 1) || 0));
    await new Promise((r) => setTimeout(r, seconds * 1000));
    return { slept: seconds };
  },
  { schedule: "0 0 1 1 *", description: "Sleeps while holding its lock (testing only)." },
);

export const jobRegistry = (): JobRegistry => processSingleton("jobRegistry", makeRegistry);

function makeRegistry(): JobRegistry {
  const r = new JobRegistry([
    housekeeping,
    bandits,
    rollouts,
    experimentDecisions,
    onlineEval,
    autoRollback,
    evalRunJob(evalRunDeps()),
    // A run whose job was never sent (the process stopped right after creating it) is sent again.
    evalRunSweep(),
    optimizationJob(optimizationDeps()),
    // An optimization whose job was never sent would wait, and others wait for its turn: it is sent again.
    optimizationSweep(),
    shadowJob(shadowDeps()),
    // Where workers run the jobs answer, and the scheduler's run of this only catches up; hosts without
    // workers have their own scheduler call /api/cron/shadow-sweep every minute (vercel.json).
    shadowSweep(shadowDeps(), { schedule: "*/30 * * * *" }),
    ...webhookJobs(webhookConfig()),
  ]);
  if (env().LECTERN_DEBUG_JOBS) r.add(debugSleep);
  return r;
}

export const cronJobs = (): CronDefinition[] => jobRegistry().crons();

type JobsState = { started?: Promise<JobQueue | null>; ready?: JobQueue | null };
const holder = () => processSingleton("jobs", (): JobsState => ({}));

/** The queue once started, or null (not started, failed to start). For sending jobs from requests. */
export const readyJobs = (): JobQueue | null => holder().ready ?? null;

/**
 * Starts the queue once per process: creates queues, schedules cron jobs (LECTERN_SCHEDULER),
 * runs workers (LECTERN_WORKERS) and listens for audit commits. A failure is logged, not fatal:
 * the cron routes still do the work when called.
 */
export function startJobQueue(): Promise<JobQueue | null> {
  const h = holder();
  h.started ??= (async () => {
    const config = env();
    try {
      const database = await getDatabase();
      const workers = config.LECTERN_WORKERS === "on";
      const jobs = await startJobs({
        database,
        registry: jobRegistry(),
        schedulerEnabled: config.LECTERN_SCHEDULER === "on",
        schedulerCron: config.LECTERN_SCHEDULER_CRON,
        schedules: config.LECTERN_SCHEDULES,
        workers,
        log,
      });
      const unwatch = workers ? await watchAudit(jobs.driver, jobs, log) : null;
      onShutdown(async () => {
        await unwatch?.();
        await jobs.stop({ graceful: true, timeoutMs: 7_000 });
      });
      log.info(`job queue started (scheduler ${config.LECTERN_SCHEDULER}, workers ${config.LECTERN_WORKERS})`);
      return (h.ready = jobs);
    } catch (e) {
      log.error(
        `the job queue did not start; scheduled jobs and webhooks run only when the cron routes are called: ${(e as Error).message}`,
      );
      return (h.ready = null);
    }
  })();
  return h.started;
}

/** Attempts a delivery soon: a job when this process runs the queue; otherwise the `webhooks` sweep picks it up. */
export async function queueDelivery(deliveryId: string): Promise<void> {
  await readyJobs()
    ?.send(deliverJob, { deliveryId })
    .catch((e: Error) => log.warn(`delivery ${deliveryId} not queued (the sweep will send it): ${e.message}`));
}
