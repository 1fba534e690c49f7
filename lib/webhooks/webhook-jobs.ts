// The webhook jobs: `webhook-dispatch` (audit entries → deliveries; queued on every commit that
// wrote audit entries, see watchAudit), `webhook-deliver` (one attempt; a failure queues the next
// attempt for its retry time), and the `webhooks` cron job, the sweep that does both for anything
// a lost notification, a crash or a host without workers (serverless) left behind.
import { z } from "zod";
import { declareJob, defineCron, defineJob, type JobLog, type JobSender, type SqlDriver } from "../jobs";
import { attemptDelivery, deliverDue } from "./deliver";
import { dispatchAuditEvents } from "./dispatch";
import { DEFER_SECONDS } from "./turns";
import type { WebhookConfig } from "./webhook-config";

export const dispatchJob = declareJob("webhook-dispatch", z.object({}), {
  policy: "short",
  retryLimit: 5,
  retryDelay: 2,
  retryBackoff: true,
  expireInSeconds: 300,
});

// Retries here only cover a failure to record the attempt (database down); the HTTP retry schedule
// lives on the delivery row (lib/webhooks/backoff.ts).
export const deliverJob = declareJob("webhook-deliver", z.object({ deliveryId: z.uuid() }), {
  retryLimit: 3,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 120,
  concurrency: 4,
});

export function webhookJobs(config: WebhookConfig) {
  const dispatch = defineJob(dispatchJob, async (_data, ctx) => {
    const r = await dispatchAuditEvents(ctx.db);
    for (const d of r.deliveries) await ctx.jobs.send(deliverJob, { deliveryId: d.id });
    // Committed entries held back by an older transaction still running: look again shortly.
    if (r.waiting) await ctx.jobs.send(dispatchJob, {}, { singletonKey: "dispatch-later", startAfter: 2 });
    return { examined: r.examined, deliveries: r.deliveries.length, waiting: r.waiting };
  });

  const deliver = defineJob(deliverJob, async ({ deliveryId }, ctx) => {
    const outcome = await attemptDelivery(ctx.db, deliveryId, config);
    if (outcome.status === "retrying" && outcome.nextAttemptAt)
      await ctx.jobs.send(deliverJob, { deliveryId }, { startAfter: outcome.nextAttemptAt });
    // Its project has its share of attempts in flight (turns.ts): the worker goes to another project's.
    if (outcome.status === "deferred") await ctx.jobs.send(deliverJob, { deliveryId }, { startAfter: DEFER_SECONDS });
    return {
      status: outcome.status,
      ...("attempts" in outcome
        ? { attempts: outcome.attempts, statusCode: outcome.statusCode, error: outcome.error }
        : {}),
    };
  });

  const sweep = defineCron(
    "webhooks",
    async ({ db }) => {
      const dispatched = await dispatchAuditEvents(db);
      const due = await deliverDue(db, config, { limit: 20, concurrency: 5 });
      return {
        dispatched: { examined: dispatched.examined, deliveries: dispatched.deliveries.length },
        delivered: due.delivered,
        retrying: due.retrying,
        failed: due.failed,
        skipped: due.skipped,
        deferred: due.deferred,
      };
    },
    { description: "Turn new audit entries into webhook deliveries and attempt every due delivery." },
  );

  return [dispatch, deliver, sweep];
}

/**
 * Queues a dispatch whenever a transaction that wrote audit entries commits (NOTIFY lectern_audit,
 * sent by a trigger at commit). Sends coalesce: the dispatch queue keeps at most one job waiting.
 */
export async function watchAudit(driver: SqlDriver, jobs: JobSender, log: JobLog): Promise<() => Promise<void>> {
  let sending = false;
  let again = false;
  const kick = () => {
    if (sending) return void (again = true);
    sending = true;
    again = false;
    jobs
      .send(dispatchJob, {}, { singletonKey: "dispatch" })
      .catch((e: Error) => log.warn(`webhook dispatch not queued (the sweep will catch up): ${e.message}`))
      .finally(() => {
        sending = false;
        if (again) kick();
      });
  };
  return driver.listen("lectern_audit", kick, (e) => log.warn(`audit notifications lost, reconnecting: ${e.message}`));
}
