// The parts of a started job queue (queue.ts, startJobs): the state one pg-boss instance shares with its
// sender, its workers and its stop, each a function of that state.
import type PgBoss from "pg-boss";
import type { z } from "zod";
import type { Database } from "../../db/client";
import { AppError } from "../errors";
import type { JobContext, JobDefinition, JobHandler, JobLog, JobOptions, JobSender, SendOptions } from "./define";
import type { SqlDriver } from "./sql";

export type QueueState = {
  boss: PgBoss;
  driver: SqlDriver;
  db: Database["db"];
  log: JobLog;
  /** The queues created by this process: `send` refuses any other. */
  queues: Set<string>;
  /** One controller per handler running now, aborted on expiry or stop. */
  running: Set<AbortController>;
  stopped: boolean;
  sender: JobSender;
};

/** "runId: Invalid UUID; attempt: Too small: …" — one line, for error messages and logs. */
const issuesText = (e: z.ZodError) =>
  e.issues.map((i) => `${i.path.length ? i.path.join(".") : "data"}: ${i.message}`).join("; ");

// pg-boss checks options with `"key" in options`: a key present with an undefined value fails.
export function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export async function ensureQueue(q: QueueState, name: string, o: JobOptions = {}) {
  const options = defined({
    name,
    policy: o.policy ?? "standard",
    retryLimit: o.retryLimit,
    retryDelay: o.retryDelay,
    retryBackoff: o.retryBackoff,
    expireInSeconds: o.expireInSeconds,
    retentionMinutes: o.retentionMinutes,
  });
  await q.boss.createQueue(name, options);
  // createQueue keeps an existing queue's settings; a deploy that changes them must apply them.
  await q.boss.updateQueue(name, options);
  q.queues.add(name);
}

export function senderOf(q: Pick<QueueState, "boss" | "queues">): JobSender {
  return {
    async send(job, data, o: SendOptions = {}) {
      const parsed = job.schema.safeParse(data);
      if (!parsed.success)
        throw new AppError("invalid_input", `Job ${job.name} refused its data: ${issuesText(parsed.error)}`, {
          job: job.name,
          issues: parsed.error.issues,
        });
      if (!q.queues.has(job.name))
        throw new Error(`no job queue named ${job.name}: define it in the registry or call ensureQueue first`);
      // What was sent is queued (not the parsed output): the worker parses it again, once, for the handler.
      return q.boss.send(job.name, data, defined({ ...o }) as PgBoss.SendOptions);
    },
  };
}

/**
 * The registry's handler behind a check of the row's data against the job's schema. A row that does
 * not parse (queued by older code, or written by hand) can never succeed: it is logged and failed
 * for good — its retry limit is lowered to the attempts made, so pg-boss's fail does not retry it.
 */
export function checked(q: QueueState, def: JobDefinition): JobHandler<unknown> {
  return async (data, ctx) => {
    const parsed = def.ref.schema.safeParse(data);
    if (parsed.success) return def.handler(parsed.data, ctx);
    const message = `job ${def.name} ${ctx.job.id} has data that does not match its schema; failed without retries`;
    q.log.error(message, { job: def.name, id: ctx.job.id, issues: parsed.error.issues });
    await q.driver.query("update pgboss.job set retry_limit = retry_count where name = $1 and id = $2", [
      def.name,
      ctx.job.id,
    ]);
    throw new Error(`${message}: ${issuesText(parsed.error)}`);
  };
}

/** Runs one fetched job: the handler gets a signal aborted when pg-boss would expire the job, or on stop. */
async function runJob<D>(q: QueueState, name: string, job: PgBoss.JobWithMetadata<D>, handler: JobHandler<D>) {
  const controller = new AbortController();
  q.running.add(controller);
  // pg-boss fails a job that outlives expireIn; tell the handler at the same moment.
  const expiry = setTimeout(
    () => controller.abort(new Error(`job ${name} expired`)),
    Number(job.expireInSeconds) * 1000,
  );
  try {
    const ctx: JobContext = {
      db: q.db,
      jobs: q.sender,
      log: q.log,
      lock: (key) => q.driver.tryLock(key),
      job: { id: job.id, name, retryCount: job.retryCount, retryLimit: job.retryLimit },
      signal: controller.signal,
    };
    const output = await handler(job.data, ctx);
    return output && typeof output === "object" ? output : undefined;
  } finally {
    clearTimeout(expiry);
    q.running.delete(controller);
  }
}

export async function work<D>(
  q: QueueState,
  name: string,
  o: { concurrency?: number; pollingIntervalSeconds?: number },
  handler: JobHandler<D>,
) {
  if (q.stopped) throw new Error("the job queue is stopped");
  const workOptions = {
    batchSize: 1,
    includeMetadata: true as const,
    ...(o.pollingIntervalSeconds ? { pollingIntervalSeconds: o.pollingIntervalSeconds } : {}),
  };
  for (let i = 0; i < Math.max(1, o.concurrency ?? 1); i++) {
    await q.boss.work<D>(name, workOptions, async ([job]) => {
      if (!job) return;
      return runJob(q, name, job, handler);
    });
  }
}

export async function stopQueue(q: QueueState, { graceful = true, timeoutMs = 10_000 } = {}) {
  if (q.stopped) return;
  q.stopped = true;
  const abortAll = () => {
    for (const c of q.running) c.abort(new Error("the job queue is stopping"));
  };
  if (!graceful) abortAll();
  const timer = graceful ? setTimeout(abortAll, timeoutMs) : undefined;
  try {
    // pg-boss waits for work in progress (up to its timeout), then fails what is left.
    await q.boss.stop({ graceful, timeout: timeoutMs + 2000, wait: true, close: false });
  } finally {
    clearTimeout(timer);
  }
}
