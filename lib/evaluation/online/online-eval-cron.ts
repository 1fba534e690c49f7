// The `online-eval` cron tick (every minute): score the sampled production outputs, then check the
// rules that got new scores at once (a regression is acted on in the same tick, not the next one).
// auto-rollback checks every rule, signals included; a rollback is conditional on what is live, so the
// two never both act. Shadow candidates answer in jobs of their own (shadow/shadow-job.ts, one per project):
// the tick only queues them, so slow candidate models never hold it.
import { defineCron } from "../../jobs";
import type { EventSink } from "../../announcements";
import { runRegressionChecks } from "./loop/loop";
import { scorePendingSamples, type ModelsFor } from "./scoring";
import { queueShadow } from "./shadow/shadow-job";

export function onlineEvalCron(deps: { modelsFor: ModelsFor; events: () => Promise<EventSink> }) {
  return defineCron(
    "online-eval",
    async ({ db, jobs, now }) => {
      const { ruleIds, ...run } = await scorePendingSamples(db, deps.modelsFor);
      const checks = await runRegressionChecks(db, await deps.events(), now, { ruleIds });
      // No queue in this process (a host that only calls the cron routes): the shadow-sweep route answers.
      const shadowQueued = jobs ? await queueShadow(db, jobs) : 0;
      return {
        ...run,
        shadowQueued,
        checks: checks.map((d) => ({
          prompt: d.prompt,
          environment: d.environment,
          live: d.live,
          action: d.action,
          reason: d.reason,
        })),
      };
    },
    {
      schedule: "* * * * *",
      description:
        "Score sampled production outputs with each online-evaluation rule's scorers, check the rules that got new scores, then queue an online-shadow job per project with shadow candidates.",
    },
  );
}
