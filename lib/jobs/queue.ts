// The job queue: pg-boss 10 on the database Lectern already uses (PostgreSQL or PGlite, through
// pg-boss's `db` adapter), with the registry's jobs, cron jobs on pg-boss's scheduler, and a stop
// that hands unfinished jobs back to the queue. What pg-boss guarantees and what we verified on
// PGlite is in lib/jobs/README.md.
import PgBoss from "pg-boss";
import { z } from "zod";
import type { Database } from "../../db/client";
import { AppError } from "../errors";
import { runCron, type CronOutcome } from "./cron";
import {
  cronQueue,
  type JobContext,
  type JobDefinition,
  type JobHandler,
  type JobLog,
  type JobOptions,
  type JobRegistry,
  type JobSender,
  type SendOptions,
} from "./define";
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

/** "runId: Invalid UUID; attempt: Too small: …" — one line, for error messages and logs. */
const issuesText = (e: z.ZodError) =>
  e.issues.map((i) => `${i.path.length ? i.path.join(".") : "data"}: ${i.message}`).join("; ");

// pg-boss checks options with `"key" in options`: a key present with an undefined value fails.
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export async function startJobs(opts: StartJobsOptions): Promise<JobQueue> {
  const driver = opts.driver ?? sqlDriver(opts.database);
  const { log, registry } = opts;
  const boss = new PgBoss({
    db: { executeSql: (text: string, values?: unknown[]) => driver.executeSql(text, values) },
    schema: "pgboss",
    schedule: opts.schedulerEnabled,
    supervise: true,
    migrate: true,
    ...opts.tuning,
  });
  boss.on("error", (e: Error & { queue?: string }) =>
    log.warn(`job queue: ${e.message}`, e.queue ? { queue: e.queue } : undefined),
  );
  await boss.start();

  const queues = new Set<string>();
  const running = new Set<AbortController>();
  let stopped = false;

  async function ensureQueue(name: string, o: JobOptions = {}) {
    const options = defined({
      name,
      policy: o.policy ?? "standard",
      retryLimit: o.retryLimit,
      retryDelay: o.retryDelay,
      retryBackoff: o.retryBackoff,
      expireInSeconds: o.expireInSeconds,
      retentionMinutes: o.retentionMinutes,
    });
    await boss.createQueue(name, options);
    // createQueue keeps an existing queue's settings; a deploy that changes them must apply them.
    await boss.updateQueue(name, options);
    queues.add(name);
  }

  const sender: JobSender = {
    async send(job, data, o: SendOptions = {}) {
      const parsed = job.schema.safeParse(data);
      if (!parsed.success)
        throw new AppError("invalid_input", `Job ${job.name} refused its data: ${issuesText(parsed.error)}`, {
          job: job.name,
          issues: parsed.error.issues,
        });
      if (!queues.has(job.name))
        throw new Error(`no job queue named ${job.name}: define it in the registry or call ensureQueue first`);
      // What was sent is queued (not the parsed output): the worker parses it again, once, for the handler.
      return boss.send(job.name, data, defined({ ...o }) as PgBoss.SendOptions);
    },
  };

  /**
   * The registry's handler behind a check of the row's data against the job's schema. A row that does
   * not parse (queued by older code, or written by hand) can never succeed: it is logged and failed
   * for good — its retry limit is lowered to the attempts made, so pg-boss's fail does not retry it.
   */
  function checked(def: JobDefinition): JobHandler<unknown> {
    return async (data, ctx) => {
      const parsed = def.ref.schema.safeParse(data);
      if (parsed.success) return def.handler(parsed.data, ctx);
      const message = `job ${def.name} ${ctx.job.id} has data that does not match its schema; failed without retries`;
      log.error(message, { job: def.name, id: ctx.job.id, issues: parsed.error.issues });
      await driver.query("update pgboss.job set retry_limit = retry_count where name = $1 and id = $2", [
        def.name,
        ctx.job.id,
      ]);
      throw new Error(`${message}: ${issuesText(parsed.error)}`);
    };
  }

  async function work<D>(
    name: string,
    o: { concurrency?: number; pollingIntervalSeconds?: number },
    handler: JobHandler<D>,
  ) {
    if (stopped) throw new Error("the job queue is stopped");
    const workOptions = {
      batchSize: 1,
      includeMetadata: true as const,
      ...(o.pollingIntervalSeconds ? { pollingIntervalSeconds: o.pollingIntervalSeconds } : {}),
    };
    for (let i = 0; i < Math.max(1, o.concurrency ?? 1); i++) {
      await boss.work<D>(name, workOptions, async ([job]) => {
        if (!job) return;
        const controller = new AbortController();
        running.add(controller);
        // pg-boss fails a job that outlives expireIn; tell the handler at the same moment.
        const expiry = setTimeout(
          () => controller.abort(new Error(`job ${name} expired`)),
          Number(job.expireInSeconds) * 1000,
        );
        try {
          const ctx: JobContext = {
            db: opts.database.db,
            jobs: sender,
            log,
            lock: (key) => driver.tryLock(key),
            job: { id: job.id, name, retryCount: job.retryCount, retryLimit: job.retryLimit },
            signal: controller.signal,
          };
          const output = await handler(job.data, ctx);
          return output && typeof output === "object" ? output : undefined;
        } finally {
          clearTimeout(expiry);
          running.delete(controller);
        }
      });
    }
  }

  const cronDeps = (params?: Record<string, string>) => ({ db: opts.database.db, driver, jobs: sender, log, params });

  async function runNamedCron(name: string, params?: Record<string, string>) {
    const def = registry.cron(name);
    if (!def) throw new Error(`no cron job named ${name}`);
    return runCron(def, cronDeps(params));
  }

  for (const def of registry.jobs()) await ensureQueue(def.name, def.options);
  for (const def of registry.crons()) await ensureQueue(cronQueue(def.name), { policy: "short", retryLimit: 0 });

  // Schedules live in the database (pgboss.schedule); make them match this configuration.
  const wanted = new Map<string, string>();
  if (opts.schedulerEnabled)
    for (const def of registry.crons())
      wanted.set(
        cronQueue(def.name),
        opts.schedules?.[def.name] ?? def.schedule ?? opts.schedulerCron ?? DEFAULT_SCHEDULE,
      );
  for (const s of await boss.getSchedules())
    if (s.name.startsWith("cron.") && !wanted.has(s.name)) await boss.unschedule(s.name);
  for (const [queue, cron] of wanted) await boss.schedule(queue, cron, {}, { tz: "UTC" });

  if (opts.workers !== false) {
    for (const def of registry.jobs())
      await work(
        def.name,
        { concurrency: def.options.concurrency, pollingIntervalSeconds: def.options.pollingIntervalSeconds },
        checked(def),
      );
    for (const def of registry.crons())
      await work(cronQueue(def.name), {}, async () => {
        const outcome = await runCron(def, cronDeps());
        if (outcome.ran) log.debug(`cron ${def.name} ran`, outcome.result);
        return outcome;
      });
  }

  return {
    driver,
    send: sender.send,
    ensureQueue,
    work,
    async schedule(name, cron, data = {}) {
      await boss.schedule(name, cron, data, { tz: "UTC" });
    },
    async unschedule(name) {
      await boss.unschedule(name);
    },
    runCron: runNamedCron,
    async getJob(name, id) {
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
    },
    async stop({ graceful = true, timeoutMs = 10_000 } = {}) {
      if (stopped) return;
      stopped = true;
      const abortAll = () => {
        for (const c of running) c.abort(new Error("the job queue is stopping"));
      };
      if (!graceful) abortAll();
      const timer = graceful ? setTimeout(abortAll, timeoutMs) : undefined;
      try {
        // pg-boss waits for work in progress (up to its timeout), then fails what is left.
        await boss.stop({ graceful, timeout: timeoutMs + 2000, wait: true, close: false });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
