// The closed loop (cron `auto-rollback`): for every rule, the live version's last window against the
// last known-good version's, per scorer and per signal (detect.ts). Past the alert threshold people are
// told; past the rollback threshold — when enabled, with a known-good version, outside the cooldown —
// the environment is rolled back through the release log by a system actor (action auto_rollback,
// the numbers in its reason), and the bad version is marked so nothing automatic brings it back.
// It never flaps: after a rollback the known-good version is live and compares well.
import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { autoRollbacks, deployments, environments, onlineEvalRules, prompts } from "../../../db/schema";
import type { Actor } from "../../auth/permissions";
import { isAppError } from "../../errors";
import type { EventSink } from "../../release/events";
import { rollback } from "../../release/deployments";
import { raiseAlert } from "./alerts";
import { describeVerdict, detectRegressions, type MetricWindow } from "./detect";

const system: Actor = { type: "system", label: "online-evaluation" };

export type LoopDecision = {
  ruleId: string;
  prompt: string;
  environment: string;
  live: number | null;
  baseline: number | null;
  level: "none" | "alert" | "rollback";
  action: "none" | "alerted" | "rolled_back" | "withheld" | "skipped";
  reason: string;
  metrics: ReturnType<typeof detectRegressions>["verdicts"];
};

async function scorerWindows(db: Db, ruleId: string, version: number, window: number): Promise<Map<string, number[]>> {
  const rows = await queryRows<{ scorer: string; score: number }>(
    db,
    sql`select s.scorer, s.score from online_scores s
        join (select id from online_samples where rule_id = ${ruleId} and version = ${version} and status = 'scored' order by at desc, id desc limit ${window}) x on x.id = s.sample_id
        where s.score is not null`,
  );
  const out = new Map<string, number[]>();
  for (const r of rows) out.set(r.scorer, [...(out.get(r.scorer) ?? []), Number(r.score)]);
  return out;
}

async function signalWindows(
  db: Db,
  rule: { projectId: string; promptId: string; signals: string[]; window: number },
  environment: string,
  version: number,
) {
  const out = new Map<string, { kind: "binary" | "continuous"; values: number[] }>();
  const add = (name: string, kind: "binary" | "continuous", v: number) => {
    const m = out.get(name) ?? { kind, values: [] };
    m.values.push(v);
    out.set(name, m);
  };
  for (const type of rule.signals) {
    const rows = await queryRows<{ data: Record<string, unknown> }>(
      db,
      sql`select data from metric_events where project_id = ${rule.projectId} and prompt_id = ${rule.promptId} and version = ${version}
          and environment = ${environment} and type = ${type} order by at desc, id desc limit ${rule.window}`,
    );
    for (const { data } of rows) {
      if (type === "feedback") {
        if (data.value === 0 || data.value === 1) add("thumbs", "binary", data.value);
        if (typeof data.rating === "number") add("rating", "continuous", (data.rating - 1) / 4);
      } else if (type === "outcome" && typeof data.value === "boolean")
        add(typeof data.name === "string" ? data.name : "completed", "binary", data.value ? 1 : 0);
    }
  }
  return out;
}

async function windowsFor(db: Db, rule: typeof onlineEvalRules.$inferSelect, environment: string, version: number) {
  const [scores, signals] = await Promise.all([
    scorerWindows(db, rule.id, version, rule.window),
    signalWindows(db, rule, environment, version),
  ]);
  return { scores, signals };
}

/** Checks every rule (or only `ruleIds`: the online-eval job checks the rules it just scored). */
export async function runRegressionChecks(
  db: Db,
  events?: EventSink,
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
  rule: typeof onlineEvalRules.$inferSelect,
  prompt: string,
  environment: string,
  events: EventSink | undefined,
  now: Date,
): Promise<LoopDecision> {
  const base = { ruleId: rule.id, prompt, environment, metrics: [] as LoopDecision["metrics"] };
  const history = await db
    .select({ version: deployments.version })
    .from(deployments)
    .where(and(eq(deployments.promptId, rule.promptId), eq(deployments.environmentId, rule.environmentId)))
    .orderBy(desc(deployments.id))
    .limit(500);
  const live = history[0]?.version ?? null;
  if (live === null)
    return { ...base, live, baseline: null, level: "none", action: "skipped", reason: "nothing is live" };
  const marks = await db
    .select()
    .from(autoRollbacks)
    .where(and(eq(autoRollbacks.promptId, rule.promptId), eq(autoRollbacks.environmentId, rule.environmentId)));
  const marked = new Set(marks.map((m) => m.version));
  // The last known-good version: the most recent other version this environment served that no automatic rollback condemned.
  const knownGood = history.find((h) => h.version !== live && !marked.has(h.version))?.version ?? null;
  const previous = history.find((h) => h.version !== live)?.version ?? null;
  const baseline = knownGood ?? previous;
  if (baseline === null)
    return { ...base, live, baseline, level: "none", action: "skipped", reason: "no earlier version to compare with" };

  const [now_, before] = await Promise.all([
    windowsFor(db, rule, environment, live),
    windowsFor(db, rule, environment, baseline),
  ]);
  const metrics: MetricWindow[] = [];
  for (const name of new Set([...now_.scores.keys(), ...before.scores.keys()]))
    metrics.push({
      name,
      kind: "continuous",
      live: now_.scores.get(name) ?? [],
      baseline: before.scores.get(name) ?? [],
    });
  for (const name of new Set([...now_.signals.keys(), ...before.signals.keys()])) {
    const kind = (now_.signals.get(name) ?? before.signals.get(name))!.kind;
    metrics.push({
      name,
      kind,
      live: now_.signals.get(name)?.values ?? [],
      baseline: before.signals.get(name)?.values ?? [],
    });
  }
  const alertCfg = rule.alert as { maxDrop: number } | null;
  const rollbackCfg = rule.rollback as { enabled: boolean; maxDrop: number; cooldownMinutes: number };
  const { verdicts, level } = detectRegressions(metrics, {
    alpha: rule.alpha,
    minSamples: rule.minSamples,
    alertDrop: alertCfg?.maxDrop ?? null,
    rollbackDrop: rollbackCfg.enabled ? rollbackCfg.maxDrop : null,
  });
  const summary = verdicts
    .filter((v) => v.level !== "none")
    .map(describeVerdict)
    .join("; ");
  const decision = { ...base, live, baseline, level, metrics: verdicts };
  if (level === "none")
    return {
      ...decision,
      action: "none",
      reason: verdicts.length ? "no regression" : "no scored samples or signals yet",
    };

  const details = { liveVersion: live, baselineVersion: baseline, metrics: verdicts };
  const alert = (kind: string, severity: "warning" | "critical", message: string) =>
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
      live,
      system,
    );

  if (level === "alert") {
    await alert(
      "regression",
      "warning",
      `${prompt} v${live} in ${environment} is doing worse than v${baseline}: ${summary}.`,
    );
    return { ...decision, action: "alerted", reason: summary };
  }
  // Past the rollback threshold: roll back, unless something says a person must decide.
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
  const withheld =
    knownGood === null
      ? "no known-good version to roll back to"
      : marked.has(live)
        ? `v${live} was rolled back automatically before and a person put it back`
        : recent
          ? `an automatic rollback already happened in the last ${rollbackCfg.cooldownMinutes} minutes`
          : null;
  if (withheld) {
    await alert(
      "rollback_withheld",
      "critical",
      `${prompt} v${live} in ${environment} regressed past the rollback threshold, but it was not rolled back (${withheld}): ${summary}.`,
    );
    return { ...decision, action: "withheld", reason: withheld };
  }
  const reason = `Automatic rollback from v${live} to v${knownGood}: ${summary}`.slice(0, 1000);
  let deployment;
  try {
    deployment = await rollback(
      { db, actor: system, projectId: rule.projectId, events },
      prompt,
      { environment, version: knownGood!, reason },
      { action: "auto_rollback", expectLive: live },
    );
  } catch (e) {
    // Someone (a person, or another check running at the same moment) changed what is live: their move stands.
    if (isAppError(e) && e.code === "conflict") return { ...decision, action: "skipped", reason: e.message };
    throw e;
  }
  await db
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
  await alert(
    "auto_rollback",
    "critical",
    `${prompt} in ${environment} was rolled back automatically from v${live} to v${knownGood}: ${summary}.`,
  );
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
