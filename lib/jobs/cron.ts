// One cron run, under a lock per job name: the cron route and the scheduler call the same function,
// on any number of instances at once, and at most one run of a job is in progress anywhere.
import type { Db } from "../../db/client";
import type { CronDefinition, CronResult, JobLog, JobSender } from "./define";
import type { SqlDriver } from "./sql";

export type CronOutcome =
  | { job: string; ran: true; startedAt: string; finishedAt: string; durationMs: number; result: CronResult }
  | { job: string; ran: false; skipped: "locked"; message: string };

export type CronDeps = {
  db: Db;
  driver: SqlDriver;
  jobs: JobSender | null;
  log: JobLog;
  params?: Record<string, string>;
  now?: () => Date;
};

export async function runCron(def: CronDefinition, deps: CronDeps): Promise<CronOutcome> {
  const release = await deps.driver.tryLock(`cron:${def.name}`);
  if (!release)
    return {
      job: def.name,
      ran: false,
      skipped: "locked",
      message: `Another run of ${def.name} holds its lock; this call did nothing.`,
    };
  const clock = deps.now ?? (() => new Date());
  const started = clock();
  try {
    const result = await def.run({
      db: deps.db,
      jobs: deps.jobs,
      log: deps.log,
      lock: (name) => deps.driver.tryLock(name),
      now: started,
      params: deps.params ?? {},
    });
    const finished = clock();
    return {
      job: def.name,
      ran: true,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      result,
    };
  } finally {
    await release();
  }
}
