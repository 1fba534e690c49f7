// The closed loop (cron `auto-rollback`). For every rule:
//   1. While an experiment runs on the prompt in the rule's environment, each variant's window since
//      the start is compared with the control's (what the environment serves). A variant past the
//      rollback threshold stops the experiment, keeping the control, with an alert; past the alert
//      threshold people are told. The environment itself is not rolled back for a variant.
//   2. The environment's own version is compared with the last known-good version. Past the alert
//      threshold people are told; past the rollback threshold — when enabled, with a known-good
//      version, outside the cooldown — the environment is rolled back through the release log by a
//      system actor (action auto_rollback, the numbers in its reason), which also stops a running
//      experiment; the mark that keeps automation away from the bad version and the alert commit in
//      the same transaction.
// "Known-good": a version this environment served that served its window (at least minSamples
// subjects) without a regression, and was not rolled back by a person or a job. Windows count
// subjects, not events, and only values for versions the subject was served (../windows.ts).
// It never flaps: after a rollback the known-good version is live and compares well.
// Step 1: loop-experiment.ts; the comparison and alerts: loop-compare.ts; known-good and the rollback:
// loop-rollback.ts.
import { and, asc, eq, inArray } from "drizzle-orm";
import { readTogether, type Db } from "../../../../db/client";
import { deployments, environments, onlineEvalRules, prompts } from "../../../../db/schema";
import type { EventSink } from "../../../announcements";
import { ruleJudgeTrust } from "../rule-agreement";
import type { MetricVerdict } from "../detect";
import type { ExperimentCheck, LoopDecision } from "../contracts";
import { alerter, compare, summaryOf, waitingForScores, windowsFor, type Rule, type Windows } from "./loop-compare";
import { checkExperiment } from "./loop-experiment";
import { lastEndedByRollback } from "../known-good";
import { checkPartialReleases, newestChange, partialChanges } from "./loop-partials";
import { knownGoodVersion, rollBackOrWithhold } from "./loop-rollback";

export type { ExperimentCheck, LoopDecision };
export { wasAutoRolledBack } from "./loop-rollback";

/** Checks every rule (or only `ruleIds`: the online-eval job checks the rules it just scored). */
export async function runRegressionChecks(
  db: Db,
  events: EventSink,
  now = new Date(),
  opts: { ruleIds?: string[] } = {},
): Promise<LoopDecision[]> {
  if (opts.ruleIds && !opts.ruleIds.length) return [];
  const rules = await db
    .select({ rule: onlineEvalRules, prompt: prompts.name, environment: environments.name })
    .from(onlineEvalRules)
    .innerJoin(prompts, eq(prompts.id, onlineEvalRules.promptId))
    .innerJoin(environments, eq(environments.id, onlineEvalRules.environmentId))
    .where(opts.ruleIds ? inArray(onlineEvalRules.id, opts.ruleIds) : undefined)
    .orderBy(onlineEvalRules.createdAt);
  const decisions: LoopDecision[] = [];
  for (const { rule, prompt, environment } of rules) {
    const d = await checkRule(db, rule, prompt, environment, events, now);
    await db
      .update(onlineEvalRules)
      .set({ lastCheckedAt: now, lastDecision: d })
      .where(eq(onlineEvalRules.id, rule.id));
    decisions.push(d);
  }
  return decisions;
}

async function checkRule(
  db: Db,
  rule: Rule,
  prompt: string,
  environment: string,
  events: EventSink,
  now: Date,
): Promise<LoopDecision> {
  const experiment = await checkExperiment(db, rule, prompt, environment, events);
  const base = {
    ruleId: rule.id,
    prompt,
    environment,
    metrics: [] as MetricVerdict[],
    excluded: {} as LoopDecision["excluded"],
    experiment,
    knownGood: false,
    partial: undefined as LoopDecision["partial"],
  };
  const history = await db
    .select({ version: deployments.version, action: deployments.action, at: deployments.createdAt })
    .from(deployments)
    .where(and(eq(deployments.promptId, rule.promptId), eq(deployments.environmentId, rule.environmentId)))
    .orderBy(asc(deployments.id));
  const live = history.at(-1)?.version ?? null;
  if (live === null)
    return { ...base, live, baseline: null, level: "none", action: "skipped", reason: "nothing is live" };
  // Partials' releases since the prompt's own deployment changed what it renders: judged first, as the partials'.
  const changes = await partialChanges(db, rule, environment, live, history.at(-1)!.at);
  const partial = changes && newestChange(changes);
  if (partial) base.partial = partial;
  if (changes) {
    const d = await checkPartialReleases(db, rule, events, now, { prompt, environment, live, history: changes, base });
    if (d) return d;
  }
  const windowOf = windowsCache(db, rule, environment);
  const knownGood = await knownGoodVersion(db, rule, environment, history, live, windowOf);
  // Without a known-good version, the newest earlier one, but never one a rollback last ended: comparing with
  // the version just rolled back would call the restored one "no regression" against what was judged bad.
  const rolledBack = lastEndedByRollback(history);
  const previous =
    [...history].reverse().find((h) => h.version !== live && !rolledBack.has(h.version))?.version ?? null;
  const baseline = knownGood ?? previous;
  if (baseline === null)
    return {
      ...base,
      live,
      baseline,
      level: "none",
      action: "skipped",
      reason: rolledBack.size
        ? `no earlier version to compare with (a rollback ended ${[...rolledBack].map((v) => `v${v}`).join(", ")}, which is not compared with)`
        : "no earlier version to compare with",
    };
  // What the prompt renders now started at the partial's release, if one came after its own deployment.
  const liveWindow = () =>
    partial
      ? windowsFor(db, rule, {
          promptId: rule.promptId,
          environmentId: rule.environmentId,
          environment,
          version: live,
          window: rule.window,
          since: new Date(partial.at),
        })
      : windowOf(live);
  const [now_, before] = await readTogether(db, [liveWindow, () => windowOf(baseline)]);
  const { verdicts, level } = compare(rule, now_, before);
  const decision = {
    ...base,
    live,
    baseline,
    knownGood: knownGood !== null,
    level,
    metrics: verdicts,
    excluded: { [live]: now_.excluded, [baseline]: before.excluded },
    read: { [baseline]: before.read, [live]: now_.read },
  };
  return actOnLevel(db, rule, events, now, { prompt, environment, live, baseline, knownGood, decision, now_, before });
}

/** The rule's windows of a version, each read once per check. */
function windowsCache(db: Db, rule: Rule, environment: string) {
  const cache = new Map<number, Promise<Windows>>();
  const windowOf = (version: number) => {
    if (!cache.has(version))
      cache.set(
        version,
        windowsFor(db, rule, {
          promptId: rule.promptId,
          environmentId: rule.environmentId,
          environment,
          version,
          window: rule.window,
        }),
      );
    return cache.get(version)!;
  };
  return windowOf;
}

type Compared = Omit<LoopDecision, "action" | "reason">;

/** Past the alert threshold people are told; past the rollback threshold the live version is rolled back or withheld. */
async function actOnLevel(
  db: Db,
  rule: Rule,
  events: EventSink,
  now: Date,
  c: {
    prompt: string;
    environment: string;
    live: number;
    baseline: number;
    knownGood: number | null;
    decision: Compared;
    now_: Windows;
    before: Windows;
  },
): Promise<LoopDecision> {
  const { prompt, environment, live, baseline, knownGood, decision, now_, before } = c;
  const { level, metrics: verdicts } = decision;
  const summary = summaryOf(verdicts);
  if (level === "none")
    return {
      ...decision,
      action: "none",
      reason: verdicts.length ? "no regression" : "no scored samples or signals yet",
    };

  // A decision on the rule's scores relies on its LLM judges: the alert says how far people trust them.
  const judges = await ruleJudgeTrust(db, rule);
  const trust = judges.map((j) => ` ${j.sentence}`).join("");
  const details = {
    liveVersion: live,
    baselineVersion: baseline,
    knownGood: knownGood !== null,
    metrics: verdicts,
    ...(judges.length ? { judges } : {}),
  };
  const alert = alerter(db, rule, details);
  if (level === "alert") {
    await alert(
      "regression",
      "warning",
      `${prompt} v${live} in ${environment} is doing worse than v${baseline}: ${summary}.${trust}`,
      live,
    );
    return { ...decision, action: "alerted", reason: summary };
  }
  // A rollback decides on every sample accepted before the newest one read: while some are being scored, it waits.
  const waiting = waitingForScores([
    { version: `v${live}`, read: now_.read },
    { version: `v${baseline}`, read: before.read },
  ]);
  if (waiting)
    return { ...decision, action: "waiting", reason: `${waiting}; past the rollback threshold so far: ${summary}` };
  return rollBackOrWithhold(db, rule, events, now, {
    prompt,
    environment,
    live,
    knownGood,
    decision,
    summary,
    trust,
    details,
  });
}
