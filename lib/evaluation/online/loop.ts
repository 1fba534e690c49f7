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
// subjects, not events, and only values for versions the subject was served (windows.ts).
// It never flaps: after a rollback the known-good version is live and compares well.
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import {
  alerts,
  autoRollbacks,
  deployments,
  environments,
  experimentVariants,
  experiments,
  onlineEvalRules,
  prompts,
} from "../../../db/schema";
import type { Actor } from "../../auth/permissions";
import { isAppError } from "../../errors";
import { stopExperiment } from "../../experiments/lifecycle";
import type { EventSink } from "../../release/events";
import { rollback } from "../../release/rollback";
import { ruleJudgeTrust } from "./agreement";
import { raiseAlert } from "./alerts";
import { describeVerdict, detectRegressions, type MetricVerdict, type MetricWindow } from "./detect";
import { endedByRollback } from "./known-good";
import type { ExperimentCheck, LoopDecision } from "./contracts";
import { scoreWindows, signalWindows, type Excluded, type WindowScope } from "./windows";

export type { ExperimentCheck, LoopDecision };

const system: Actor = { type: "system", label: "online-evaluation" };

type Rule = typeof onlineEvalRules.$inferSelect;

type Windows = { metrics: Map<string, { kind: "binary" | "continuous"; values: number[] }>; excluded: Excluded };

async function windowsFor(db: Db, rule: Rule, scope: WindowScope): Promise<Windows> {
  const [scored, signals] = await Promise.all([
    scoreWindows(db, rule.id, scope),
    signalWindows(db, rule.projectId, rule.signals, scope),
  ]);
  const metrics = new Map<string, { kind: "binary" | "continuous"; values: number[] }>();
  for (const [name, values] of scored.scores) metrics.set(name, { kind: "continuous", values });
  for (const [name, m] of signals.signals) metrics.set(name, m);
  return {
    metrics,
    excluded: {
      anonymous: scored.excluded.anonymous + signals.excluded.anonymous,
      unverified: scored.excluded.unverified + signals.excluded.unverified,
    },
  };
}

const subjectsIn = (w: Windows) => Math.max(0, ...[...w.metrics.values()].map((m) => m.values.length));

function compare(rule: Rule, live: Windows, baseline: Windows) {
  const metrics: MetricWindow[] = [];
  for (const name of new Set([...live.metrics.keys(), ...baseline.metrics.keys()])) {
    const kind = (live.metrics.get(name) ?? baseline.metrics.get(name))!.kind;
    metrics.push({
      name,
      kind,
      live: live.metrics.get(name)?.values ?? [],
      baseline: baseline.metrics.get(name)?.values ?? [],
    });
  }
  const alertCfg = rule.alert;
  const rollbackCfg = rule.rollback;
  return detectRegressions(metrics, {
    alpha: rule.alpha,
    minSamples: rule.minSamples,
    alertDrop: alertCfg?.maxDrop ?? null,
    rollbackDrop: rollbackCfg.enabled ? rollbackCfg.maxDrop : null,
  });
}

const summaryOf = (verdicts: MetricVerdict[]) =>
  verdicts
    .filter((v) => v.level !== "none")
    .map(describeVerdict)
    .join("; ");

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

function alerter(db: Db, rule: Rule, details: Record<string, unknown>) {
  return (kind: string, severity: "warning" | "critical", message: string, version: number) =>
    raiseAlert(
      db,
      {
        projectId: rule.projectId,
        promptId: rule.promptId,
        environmentId: rule.environmentId,
        ruleId: rule.id,
        kind,
        severity,
        message,
        details,
      },
      version,
      system,
    );
}

/** Step 1: the variants of a running experiment against its control, since it started. */
async function checkExperiment(
  db: Db,
  rule: Rule,
  prompt: string,
  environment: string,
  events: EventSink,
): Promise<ExperimentCheck | null> {
  const [e] = await db
    .select({ id: experiments.id, name: experiments.name, startedAt: experiments.startedAt })
    .from(experiments)
    .where(
      and(
        eq(experiments.promptId, rule.promptId),
        eq(experiments.environmentId, rule.environmentId),
        eq(experiments.status, "running"),
      ),
    );
  if (!e) return null;
  const variants = await db
    .select({ key: experimentVariants.key, version: experimentVariants.version })
    .from(experimentVariants)
    .where(eq(experimentVariants.experimentId, e.id))
    .orderBy(asc(experimentVariants.position));
  const [control, ...others] = variants;
  const scope = (version: number): WindowScope => ({
    promptId: rule.promptId,
    environmentId: rule.environmentId,
    environment,
    version,
    window: rule.window,
    since: e.startedAt,
  });
  const base = await windowsFor(db, rule, scope(control!.version));
  const checked: ExperimentCheck["variants"] = [];
  for (const v of others) {
    const { verdicts, level } = compare(rule, await windowsFor(db, rule, scope(v.version)), base);
    checked.push({ key: v.key, version: v.version, level, metrics: verdicts });
  }
  const worst = checked.find((c) => c.level === "rollback") ?? checked.find((c) => c.level === "alert");
  const result = { id: e.id, name: e.name, variants: checked };
  if (!worst) return { ...result, action: "none", reason: "no variant does worse than the control" };
  const what = `variant "${worst.key}" (v${worst.version}) of experiment “${e.name}” is doing worse than the control "${control!.key}" (v${control!.version}) in ${environment}: ${summaryOf(worst.metrics)}`;
  const alert = alerter(db, rule, { experiment: e.id, variant: worst.key, metrics: worst.metrics });
  if (worst.level === "alert") {
    await alert("regression", "warning", `${prompt}: ${what}.`, worst.version);
    return { ...result, action: "alerted", reason: what };
  }
  try {
    await stopExperiment(
      { db, actor: system, projectId: rule.projectId, events },
      e.id,
      { decision: { keep: "control" }, reason: `Stopped by online evaluation: ${what}`.slice(0, 2000) },
      {
        also: async (tx) => {
          await alerter(tx, rule, { experiment: e.id, variant: worst.key, metrics: worst.metrics })(
            "experiment_regression",
            "critical",
            `${prompt}: experiment “${e.name}” was stopped, keeping the control: ${what}.`,
            worst.version,
          );
        },
      },
    );
  } catch (err) {
    // A person stopped it (or a deployment did) meanwhile: their move stands.
    if (isAppError(err) && err.code === "conflict") return { ...result, action: "skipped", reason: err.message };
    throw err;
  }
  return { ...result, action: "stopped", reason: what };
}

/** The last known-good version of the environment, walking its history back from the newest. */
async function knownGoodVersion(
  db: Db,
  rule: Rule,
  environment: string,
  history: { version: number; action: string }[],
  live: number,
  windowOf: (version: number) => Promise<Windows>,
): Promise<number | null> {
  const [marks, flagged] = await Promise.all([
    db
      .select({ version: autoRollbacks.version })
      .from(autoRollbacks)
      .where(and(eq(autoRollbacks.promptId, rule.promptId), eq(autoRollbacks.environmentId, rule.environmentId))),
    db
      .select({ version: alerts.version })
      .from(alerts)
      .where(
        and(
          eq(alerts.ruleId, rule.id),
          inArray(alerts.kind, ["regression", "auto_rollback", "rollback_withheld"]),
          // A variant doing worse than an experiment's control is not a regression of the environment.
          sql`${alerts.details}->>'experiment' is null`,
        ),
      ),
  ]);
  const excluded = new Set([
    live,
    ...marks.map((m) => m.version),
    ...flagged.flatMap((f) => (f.version === null ? [] : [f.version])),
    ...endedByRollback(history),
  ]);
  const seen = new Set<number>();
  for (const h of [...history].reverse()) {
    if (seen.has(h.version) || excluded.has(h.version)) continue;
    seen.add(h.version);
    if (seen.size > 10) break;
    if (subjectsIn(await windowOf(h.version)) >= rule.minSamples) return h.version;
  }
  return null;
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
  };
  const history = await db
    .select({ version: deployments.version, action: deployments.action })
    .from(deployments)
    .where(and(eq(deployments.promptId, rule.promptId), eq(deployments.environmentId, rule.environmentId)))
    .orderBy(asc(deployments.id));
  const live = history.at(-1)?.version ?? null;
  if (live === null)
    return { ...base, live, baseline: null, level: "none", action: "skipped", reason: "nothing is live" };

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
  const knownGood = await knownGoodVersion(db, rule, environment, history, live, windowOf);
  const previous = [...history].reverse().find((h) => h.version !== live)?.version ?? null;
  const baseline = knownGood ?? previous;
  if (baseline === null)
    return {
      ...base,
      live,
      baseline,
      level: "none",
      action: "skipped",
      reason: "no earlier version to compare with",
    };
  const [now_, before] = await Promise.all([windowOf(live), windowOf(baseline)]);
  const { verdicts, level } = compare(rule, now_, before);
  const decision = {
    ...base,
    live,
    baseline,
    knownGood: knownGood !== null,
    level,
    metrics: verdicts,
    excluded: { [live]: now_.excluded, [baseline]: before.excluded },
  };
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
  // Past the rollback threshold: roll back, unless something says a person must decide.
  const rollbackCfg = rule.rollback;
  const cooldownSince = new Date(now.getTime() - rollbackCfg.cooldownMinutes * 60_000);
  const [recent] = await db
    .select({ at: autoRollbacks.createdAt })
    .from(autoRollbacks)
    .where(
      and(
        eq(autoRollbacks.promptId, rule.promptId),
        eq(autoRollbacks.environmentId, rule.environmentId),
        gt(autoRollbacks.createdAt, cooldownSince),
      ),
    )
    .limit(1);
  const [markedLive] = await db
    .select({ v: autoRollbacks.version })
    .from(autoRollbacks)
    .where(
      and(
        eq(autoRollbacks.promptId, rule.promptId),
        eq(autoRollbacks.environmentId, rule.environmentId),
        eq(autoRollbacks.version, live),
      ),
    );
  const withheld =
    knownGood === null
      ? "no known-good version to roll back to (one that served its window without a regression and was not rolled back)"
      : markedLive
        ? `v${live} was rolled back automatically before and a person put it back`
        : recent
          ? `an automatic rollback already happened in the last ${rollbackCfg.cooldownMinutes} minutes`
          : null;
  if (withheld) {
    // Another check (or a person) may have acted since the history was read: their move stands, and a
    // cooldown that their rollback just started is no reason to alert about a version no longer live.
    const [now] = await db
      .select({ version: deployments.version })
      .from(deployments)
      .where(and(eq(deployments.promptId, rule.promptId), eq(deployments.environmentId, rule.environmentId)))
      .orderBy(desc(deployments.id))
      .limit(1);
    if (now?.version !== live)
      return { ...decision, action: "skipped", reason: `v${now?.version} is live now; nothing to do` };
    await alert(
      "rollback_withheld",
      "critical",
      `${prompt} v${live} in ${environment} regressed past the rollback threshold, but it was not rolled back (${withheld}): ${summary}.${trust}`,
      live,
    );
    return { ...decision, action: "withheld", reason: withheld };
  }
  const reason = `Automatic rollback from v${live} to v${knownGood}: ${summary}`.slice(0, 1000);
  const stops = experiment && experiment.action !== "stopped" ? ` Experiment “${experiment.name}” was stopped.` : "";
  try {
    await rollback(
      { db, actor: system, projectId: rule.projectId, events },
      prompt,
      { environment, version: knownGood!, reason },
      {
        action: "auto_rollback",
        expectLive: live,
        // The mark that keeps automation away from the bad version, and the alert, commit with the deployment.
        also: async (tx, deployment) => {
          await tx
            .insert(autoRollbacks)
            .values({
              promptId: rule.promptId,
              environmentId: rule.environmentId,
              version: live,
              toVersion: knownGood!,
              deploymentId: deployment.id,
              reason,
            })
            .onConflictDoNothing();
          await alerter(tx, rule, details)(
            "auto_rollback",
            "critical",
            `${prompt} in ${environment} was rolled back automatically from v${live} to v${knownGood}: ${summary}.${stops}${trust}`,
            live,
          );
        },
      },
    );
  } catch (e) {
    // Someone (a person, or another check running at the same moment) changed what is live: their move stands.
    if (isAppError(e) && e.code === "conflict") return { ...decision, action: "skipped", reason: e.message };
    throw e;
  }
  return { ...decision, action: "rolled_back", reason };
}

/** Whether automatic promotions must leave this version alone (it was rolled back automatically here). */
export async function wasAutoRolledBack(
  db: Db,
  promptId: string,
  environmentId: string,
  version: number,
): Promise<boolean> {
  const [row] = await db
    .select({ v: autoRollbacks.version })
    .from(autoRollbacks)
    .where(
      and(
        eq(autoRollbacks.promptId, promptId),
        eq(autoRollbacks.environmentId, environmentId),
        eq(autoRollbacks.version, version),
      ),
    );
  return Boolean(row);
}
