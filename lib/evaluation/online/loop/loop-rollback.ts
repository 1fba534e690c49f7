// The closed loop, past the rollback threshold (loop.ts): the environment goes back to its last
// known-good version through the release log, by a system actor (action auto_rollback, the numbers in its
// reason), which also stops a running experiment; the mark that keeps automation away from the bad version
// and the alert commit in the same transaction. Withheld, with a critical alert, without a known-good
// version, inside the cooldown, or for a version a person put back after an automatic rollback.
// "Known-good": a version this environment served that served its window (at least minSamples subjects)
// without a regression, and was not rolled back by a person or a job.
import { and, desc, eq, gt, inArray, sql, type SQL } from "drizzle-orm";
import { readTogether, type Db } from "../../../../db/client";
import { alerts, autoRollbacks, deployments } from "../../../../db/schema";
import { isAppError } from "../../../errors";
import type { EventSink } from "../../../announcements";
import type { LoopDecision } from "../contracts";
import { endedByRollback } from "../known-good";
import { alerter, autoRollback, subjectsIn, type LoopTarget, type Rule, type Windows } from "./loop-compare";

/** The last known-good version of the environment, walking its history back from the newest. */
export async function knownGoodVersion(
  db: Db,
  rule: Rule,
  environment: string,
  history: { version: number; action: string }[],
  live: number,
  windowOf: (version: number) => Promise<Windows>,
): Promise<number | null> {
  const [marks, flagged] = await readTogether(db, [
    () =>
      db
        .select({ version: autoRollbacks.version })
        .from(autoRollbacks)
        .where(and(eq(autoRollbacks.promptId, rule.promptId), eq(autoRollbacks.environmentId, rule.environmentId))), // A variant doing worse than an experiment's control is not a regression of the environment.
    () =>
      db
        .select({ version: alerts.version })
        .from(alerts)
        .where(
          and(
            eq(alerts.ruleId, rule.id),
            inArray(alerts.kind, ["regression", "auto_rollback", "rollback_withheld"]),
            sql`${alerts.details}->>'experiment' is null`,
            // Nor is a regression a partial's release caused (loop-partials.ts): the partial was rolled back.
            sql`${alerts.details}->'partial' is null`,
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

/** Past the rollback threshold: rolls back to the known-good version, unless something says a person must decide. */
export async function rollBackOrWithhold(
  db: Db,
  rule: Rule,
  events: EventSink,
  now: Date,
  c: LoopTarget & {
    knownGood: number | null;
    decision: Omit<LoopDecision, "action" | "reason">;
    summary: string;
    /** How far people trust the rule's judges, a sentence for each, for the alerts. */
    trust: string;
    details: Record<string, unknown>;
  },
): Promise<LoopDecision> {
  const { prompt, environment, live, knownGood, decision, summary, trust, details } = c;
  const experiment = decision.experiment;
  const alert = alerter(db, rule, details);
  const withheld = await whyWithheld(db, rule, now, live, knownGood);
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
    await autoRollback(
      db,
      rule,
      events,
      { prompt, promptId: rule.promptId, environment, from: live, to: knownGood!, reason },
      (tx) =>
        alerter(tx, rule, details)(
          "auto_rollback",
          "critical",
          `${prompt} in ${environment} was rolled back automatically from v${live} to v${knownGood}: ${summary}.${stops}${trust}`,
          live,
        ),
    );
  } catch (e) {
    // Someone (a person, or another check running at the same moment) changed what is live: their move stands.
    if (isAppError(e) && e.code === "conflict") return { ...decision, action: "skipped", reason: e.message };
    throw e;
  }
  return { ...decision, action: "rolled_back", reason };
}

/** Why the rollback must wait for a person: no known-good version, the version was put back by one, or the cooldown. */
async function whyWithheld(db: Db, rule: Rule, now: Date, live: number, knownGood: number | null) {
  const rollbackCfg = rule.rollback;
  const cooldownSince = new Date(now.getTime() - rollbackCfg.cooldownMinutes * 60_000);
  // The rule's prompt's automatic rollbacks in its environment that also meet `more`.
  const marksOfRule = (more: SQL) =>
    and(eq(autoRollbacks.promptId, rule.promptId), eq(autoRollbacks.environmentId, rule.environmentId), more);
  const [recent] = await db
    .select({ at: autoRollbacks.createdAt })
    .from(autoRollbacks)
    .where(marksOfRule(gt(autoRollbacks.createdAt, cooldownSince)))
    .limit(1);
  const [markedLive] = await db
    .select({ v: autoRollbacks.version })
    .from(autoRollbacks)
    .where(marksOfRule(eq(autoRollbacks.version, live)));
  return knownGood === null
    ? "no known-good version to roll back to (one that served its window without a regression and was not rolled back)"
    : markedLive
      ? `v${live} was rolled back automatically before and a person put it back`
      : recent
        ? `an automatic rollback already happened in the last ${rollbackCfg.cooldownMinutes} minutes`
        : null;
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
