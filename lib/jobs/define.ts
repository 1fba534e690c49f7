// Job and cron definitions, registered by name. Domain code defines its jobs as values
// (`defineJob`, `defineCron`); lib/server puts them in one registry and starts the queue with it,
// and the cron route looks them up by name in the same registry.
import type { Db } from "../../db/client";

export type JobLog = {
  debug(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
};

export type SendOptions = {
  /** With a `short` queue: at most one job with this key waits at a time (a second send returns null). */
  singletonKey?: string;
  /** Not before this instant, or this many seconds from now. */
  startAfter?: Date | number;
  retryLimit?: number;
  /** Seconds before the first retry. */
  retryDelay?: number;
  /** Exponential backoff with jitter: about retryDelay × 2^n before retry n. */
  retryBackoff?: boolean;
  /** A job still active this long after it started is failed (and retried if it has retries left). */
  expireInSeconds?: number;
  priority?: number;
};

export interface JobSender {
  /** Queues a job durably (a row in the database); returns its id, or null when a singleton key suppressed it. */
  send(name: string, data?: object, options?: SendOptions): Promise<string | null>;
}

export type JobContext = {
  db: Db;
  jobs: JobSender;
  log: JobLog;
  job: { id: string; name: string; retryCount: number; retryLimit: number };
  /** Aborted when the job expires or the queue stops: stop work, the job will be retried. */
  signal: AbortSignal;
};

/**
 * pg-boss queue policies: `standard`; `short` (at most one job per singleton key waiting);
 * `singleton` (at most one per key active); `stately` (at most one per key in each state).
 */
export type QueuePolicy = "standard" | "short" | "singleton" | "stately";

export type JobOptions = {
  policy?: QueuePolicy;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  retentionMinutes?: number;
  /** Jobs of this queue run at the same time in one process (each worker takes one job at a time). */
  concurrency?: number;
  pollingIntervalSeconds?: number;
};

export type JobHandler<D = any> = (data: D, ctx: JobContext) => Promise<unknown>;

export type JobDefinition<D = any> = { kind: "job"; name: string; options: JobOptions; handler: JobHandler<D> };

export type CronContext = {
  db: Db;
  /** The queue, when this process runs one (not on hosts that only call the cron routes). */
  jobs: JobSender | null;
  log: JobLog;
  now: Date;
  /** Query parameters of the cron route; empty when the scheduler runs the job. */
  params: Record<string, string>;
};

/** What a cron run did, in JSON: counts and decisions. */
export type CronResult = Record<string, unknown>;

export type CronDefinition = {
  kind: "cron";
  name: string;
  /** Cron expression (UTC) when the in-process scheduler runs it; default LECTERN_SCHEDULER_CRON. */
  schedule?: string;
  description: string;
  run: (ctx: CronContext) => Promise<CronResult>;
};

const namePattern = /^[a-z][a-z0-9-]{0,62}$/;

function checkName(name: string) {
  if (!namePattern.test(name))
    throw new Error(`job name "${name}" must be lower-case letters, digits and hyphens, starting with a letter`);
}

export function defineJob<D extends object>(
  name: string,
  options: JobOptions,
  handler: JobHandler<D>,
): JobDefinition<D> {
  checkName(name);
  return { kind: "job", name, options, handler };
}

export function defineCron(
  name: string,
  run: CronDefinition["run"],
  opts: { schedule?: string; description?: string } = {},
): CronDefinition {
  checkName(name);
  return { kind: "cron", name, run, schedule: opts.schedule, description: opts.description ?? name };
}

/** The pg-boss queue a cron job runs on when the scheduler fires it. Job names cannot contain dots. */
export const cronQueue = (name: string) => `cron.${name}`;

export class JobRegistry {
  private readonly jobDefs = new Map<string, JobDefinition>();
  private readonly cronDefs = new Map<string, CronDefinition>();

  constructor(defs: (JobDefinition | CronDefinition)[] = []) {
    this.add(...defs);
  }

  add(...defs: (JobDefinition | CronDefinition)[]): this {
    for (const d of defs) {
      const map = d.kind === "job" ? this.jobDefs : this.cronDefs;
      if (map.has(d.name)) throw new Error(`${d.kind} "${d.name}" is defined twice`);
      if (d.kind === "job") this.jobDefs.set(d.name, d);
      else this.cronDefs.set(d.name, d);
    }
    return this;
  }

  job(name: string): JobDefinition | undefined {
    return this.jobDefs.get(name);
  }

  cron(name: string): CronDefinition | undefined {
    return this.cronDefs.get(name);
  }

  jobs(): JobDefinition[] {
    return [...this.jobDefs.values()];
  }

  crons(): CronDefinition[] {
    return [...this.cronDefs.values()];
  }
}
