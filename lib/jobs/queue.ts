// The job queue: pg-boss 10 on the database Lectern already uses (PostgreSQL or PGlite, through
// pg-boss's `db` adapter), with the registry's jobs, cron jobs on pg-boss's scheduler, and a stop
// that hands unfinished jobs back to the queue. What pg-boss guarantees and what we verified on
// PGlite is in lib/jobs/README.md.
import PgBoss from "pg-boss";
import type { Database } from "../../db/client";
import { runCron, type CronOutcome } from "./cron";
import { cronQueue, type JobHandler, type JobLog, type JobOptions, type JobRegistry, type JobSender } from "./define";
import { checked, ensureQueue, senderOf, stopQueue, work, type QueueState } from "./queue-workers";
import { sqlDriver, type SqlDriver } from "./sql";

export type StartJobsOptions = {
  database: Pick<Database, "db" | "kind">;
  registry: JobRegistry;
  /** Fire cron jobs from pg-boss's scheduler (LECTERN_SCHEDULER). Off: the cron routes are called from outside. */
  schedulerEnabled: boolean;
  /** The schedule of cron jobs that set none (LECTERN_SCHEDULER_CRON). */
  schedulerCron?: string;
  /** Per-job schedules that win over the definitions' (LECTERN_SCHEDULES). */
  schedules?: Record<string, string>;
  log: JobLog;
  /** Run the registry's handlers in this process (default true). */
  workers?: boolean;
  /** pg-boss intervals; tests shorten them. */
  tuning?: {
    pollingIntervalSeconds?: number;
    maintenanceIntervalSeconds?: number;
    cronMonitorIntervalSeconds?: number;
    cronWorkerIntervalSeconds?: number;
  };
  /** Defaults to the driver of `database`; tests pass one they can cut off. */
  driver?: SqlDriver;
};

export type JobInfo = {
  id: string;
  name: string;
  state: string;
  retryCount: number;
  retryLimit: number;
  startAfter: Date;
  startedOn: Date | null;
  completedOn: Date | null;
  output: unknown;
  data: unknown;
};

export interface JobQueue extends JobSender {
  readonly driver: SqlDriver;
  /** Creates a queue that is not in the registry (idempotent). */
  ensureQueue(name: string, options?: JobOptions): Promise<void>;
  /** Runs `handler` for jobs of `name` in this process. */
  work<D>(
    name: string,
    options: { concurrency?: number; pollingIntervalSeconds?: number },
    handler: JobHandler<D>,
  ): Promise<void>;
  /** Sends a job to `name` on a cron schedule (UTC), from whichever instance's scheduler checks first. */
  schedule(name: string, cron: string, data?: object): Promise<void>;
  unschedule(name: string): Promise<void>;
  /** Runs a registered cron job now, under its lock (what the scheduler and the cron route do). */
  runCron(name: string, params?: Record<string, string>): Promise<CronOutcome>;
  getJob(name: string, id: string): Promise<JobInfo | null>;
  /**
   * Stops fetching jobs. Graceful: handlers get `timeoutMs` to finish, then their signal is aborted;
   * jobs still unfinished are failed, so they are retried (by any instance) if retries remain.
   */
  stop(options?: { graceful?: boolean; timeoutMs?: number }): Promise<void>;
}

export const DEFAULT_SCHEDULE = "* * * * *";

export async function startJobs(opts: StartJobsOptions): Promise<JobQueue> {
  const driver = opts.driver ?? sqlDriver(opts.database);
  const boss = await openBoss(opts, driver);
  const queues = new Set<string>();
  const q: QueueState = {
    boss,
    driver,
    db: opts.database.db,
    log: opts.log,
    queues,
    running: new Set(),
    stopped: false,
    sender: senderOf({ boss, queues }),
  };
  await ensureRegistryQueues(q, opts.registry);
  await syncSchedules(boss, opts);
  if (opts.workers !== false) await startWorkers(q, opts.registry);
  return queueOf(q, opts.registry);
}

async function openBoss(opts: StartJobsOptions, driver: SqlDriver): Promise<PgBoss> {
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => driver.executeSql(text, values) },
    schema: "pgboss",
    schedule: opts.schedulerEnabled,
    supervise: true,
    migrate: true,
    ...opts.tuning,
  });
  boss.on("error", (e: Error & { queue?: string }) =>
    opts.log.warn(`job queue: ${e.message}`, e.queue ? { queue: e.queue } : undefined),
  );
  await boss.start();
  return boss;
}

async function ensureRegistryQueues(q: QueueState, registry: JobRegistry) {
  for (const def of registry.jobs()) await ensureQueue(q, def.name, def.options);
  for (const def of registry.crons()) await ensureQueue(q, cronQueue(def.name), { policy: "short", retryLimit: 0 });
}

// Schedules live in the database (pgboss.schedule); make them match this configuration.
async function syncSchedules(boss: PgBoss, opts: StartJobsOptions) {
  const wanted = new Map<string, string>();
  if (opts.schedulerEnabled)
    for (const def of opts.registry.crons())
      wanted.set(
        cronQueue(def.name),
        opts.schedules?.[def.name] ?? def.schedule ?? opts.schedulerCron ?? DEFAULT_SCHEDULE,
      );
  for (const s of await boss.getSchedules())
    if (s.name.startsWith("cron.") && !wanted.has(s.name)) await boss.unschedule(s.name);
  for (const [queue, cron] of wanted) await boss.schedule(queue, cron, {}, { tz: "UTC" });
}

const cronDeps = (q: QueueState, params?: Record<string, string>) => ({
  db: q.db,
  driver: q.driver,
  jobs: q.sender,
  log: q.log,
  params,
});

async function startWorkers(q: QueueState, registry: JobRegistry) {
  for (const def of registry.jobs())
    await work(
      q,
      def.name,
      { concurrency: def.options.concurrency, pollingIntervalSeconds: def.options.pollingIntervalSeconds },
      checked(q, def),
    );
  for (const def of registry.crons())
    await work(q, cronQueue(def.name), {}, async () => {
      const outcome = await runCron(def, cronDeps(q));
      if (outcome.ran) q.log.debug(`cron ${def.name} ran`, outcome.result);
      return outcome;
    });
}

function queueOf(q: QueueState, registry: JobRegistry): JobQueue {
  const { boss } = q;
  return {
    driver: q.driver,
    send: q.sender.send,
    ensureQueue: (name, options) => ensureQueue(q, name, options),
    work: (name, options, handler) => work(q, name, options, handler),
    async schedule(name, cron, data = {}) {
      await boss.schedule(name, cron, data, { tz: "UTC" });
    },
    async unschedule(name) {
      await boss.unschedule(name);
    },
    async runCron(name, params) {
      const def = registry.cron(name);
      if (!def) throw new Error(`no cron job named ${name}`);
      return runCron(def, cronDeps(q, params));
    },
    getJob: (name, id) => getJob(boss, name, id),
    stop: (options) => stopQueue(q, options),
  };
}

async function getJob(boss: PgBoss, name: string, id: string): Promise<JobInfo | null> {
  const j = await boss.getJobById<unknown>(name, id, { includeArchive: true });
  if (!j) return null;
  return {
    id: j.id,
    name: j.name,
    state: j.state,
    retryCount: j.retryCount,
    retryLimit: j.retryLimit,
    startAfter: j.startAfter,
    startedOn: j.startedOn,
    completedOn: j.completedOn,
    output: j.output,
    data: j.data,
  };
}
