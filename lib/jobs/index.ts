// Durable jobs: pg-boss on PostgreSQL or PGlite, job and cron definitions, cron runs under a lock.
export { declareJob, defineCron, defineJob, cronQueue, JobRegistry } from "./define";
export type {
  CronContext,
  CronDefinition,
  CronResult,
  JobContext,
  JobDefinition,
  JobHandler,
  JobLog,
  JobOptions,
  JobRef,
  JobSchema,
  JobSender,
  QueuePolicy,
  SendOptions,
  TryLock,
} from "./define";
export { runCron, type CronDeps, type CronOutcome } from "./cron";
export { checkCronAuth, cronClock, type CronAuth } from "./cron-auth";
export { startJobs, DEFAULT_SCHEDULE, type JobInfo, type JobQueue, type StartJobsOptions } from "./queue";
export { discardQueuedJobs, sqlDriver, postgresDriver, pgliteDriver, type SqlDriver, type SqlRows } from "./sql";
