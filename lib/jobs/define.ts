// Job and cron definitions. A job is declared once (`declareJob`: name, zod schema of its data,
// queue and retry policy) as a reference that anything may send to with typed data; the process that
// runs workers binds its handler, which may need configuration, with `defineJob(ref, handler)`.
// lib/server puts the definitions in one registry and starts the queue with it, and the cron route
// looks cron jobs up by name in the same registry.
import type { z } from "zod";
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

/** Any zod schema whose input and output are objects (pg-boss stores job data as a JSON object). */
export type JobSchema = z.ZodType<object, object>;

export interface JobSender {
  /**
   * Queues a job durably (a row in the database); returns its id, or null when a singleton key
   * suppressed it. The data is checked against the job's schema first: data that does not match is
   * refused with an `invalid_input` AppError naming the job, and nothing is queued.
   */
  send<S extends JobSchema>(job: JobRef<S>, data: z.input<S>, options?: SendOptions): Promise<string | null>;
}

/**
 * Takes a lock by name, held until the returned release is called, or null when another holder (in
 * any process of the cluster) has it: an advisory lock on PostgreSQL, released if the process dies.
 */
export type TryLock = (name: string) => Promise<(() => Promise<void>) | null>;

export type JobContext = {
  db: Db;
  jobs: JobSender;
  log: JobLog;
  /** For work that must not run twice at once for one key (a project, say), whichever job runs it. */
  lock: TryLock;
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

/** A job as senders know it: its name, the schema of its data and its queue and retry policy. */
export type JobRef<S extends JobSchema = JobSchema> = {
  readonly kind: "job-ref";
  readonly name: string;
  readonly schema: S;
  readonly options: JobOptions;
};

/** A declared job with its handler: what the registry runs. The handler gets data its schema parsed. */
export type JobDefinition<S extends JobSchema = JobSchema> = {
  kind: "job";
  name: string;
  ref: JobRef<S>;
  options: JobOptions;
  handler: JobHandler<z.output<S>>;
};

export type CronContext = {
  db: Db;
  /** The queue, when this process runs one (not on hosts that only call the cron routes). */
  jobs: JobSender | null;
  log: JobLog;
  /** The same locks as JobContext.lock (a cron run already holds its own job's lock). */
  lock: TryLock;
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

/** Declares a job once: `send(ref, data)` checks data against `schema` before anything is queued. */
export function declareJob<S extends JobSchema>(name: string, schema: S, options: JobOptions = {}): JobRef<S> {
  checkName(name);
  return { kind: "job-ref", name, schema, options };
}

/**
 * Binds a declared job's handler. `overrides` adjust the declared policy for this process (tests use
 * short retry delays); the name and the schema cannot change.
 */
export function defineJob<S extends JobSchema>(
  ref: JobRef<S>,
  handler: JobHandler<z.output<S>>,
  overrides: Partial<JobOptions> = {},
): JobDefinition<S> {
  return { kind: "job", name: ref.name, ref, options: { ...ref.options, ...overrides }, handler };
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

// The registry holds definitions of any schema; each is only ever called with data its own schema parsed.
type AnyJobDefinition = JobDefinition<any>;

export class JobRegistry {
  private readonly jobDefs = new Map<string, AnyJobDefinition>();
  private readonly cronDefs = new Map<string, CronDefinition>();

  constructor(defs: (AnyJobDefinition | CronDefinition)[] = []) {
    this.add(...defs);
  }

  add(...defs: (AnyJobDefinition | CronDefinition)[]): this {
    for (const d of defs) {
      const map = d.kind === "job" ? this.jobDefs : this.cronDefs;
      if (map.has(d.name)) throw new Error(`${d.kind} "${d.name}" is defined twice`);
      if (d.kind === "job") this.jobDefs.set(d.name, d);
      else this.cronDefs.set(d.name, d);
    }
    return this;
  }

  job(name: string): AnyJobDefinition | undefined {
    return this.jobDefs.get(name);
  }

  cron(name: string): CronDefinition | undefined {
    return this.cronDefs.get(name);
  }

  jobs(): AnyJobDefinition[] {
    return [...this.jobDefs.values()];
  }

  crons(): CronDefinition[] {
    return [...this.cronDefs.values()];
  }
}
