// What the closed loop does about a partial's change, or a group of changes too close together to tell apart,
// after which a prompt that includes them regressed (loop-partials.ts finds it). Past the alert threshold it
// alerts on the prompt's rule, naming the change; past the rollback threshold every partial blamed goes back to
// what it served before, each through the release log by the online-evaluation actor (action auto_rollback,
// an auto_rollbacks row each so automation leaves those versions alone) — unless a person put one of them back
// after an automatic rollback, or one was rolled back within the cooldown: then none is, since rolling back
// part of a group is a guess, and people are told. A partial someone changed since keeps their move.
import { and, eq, gt } from "drizzle-orm";
import { readEach, readTogether, type Db } from "../../../../db/client";
import { autoRollbacks } from "../../../../db/schema";
import { isAppError } from "../../../errors";
import type { EventSink } from "../../../announcements";
import type { LoopDecision, PartialChange } from "../contracts";
import type { MetricVerdict } from "../detect";
import {
  alerter,
  autoRollback,
  summaryOf,
  waitingForScores,
  type LoopTarget,
  type Rule,
  type Windows,
} from "./loop-compare";

/** A partial the loop may roll back: from what it served before the change (or group) to what it served after. */
export type Blamed = { partial: string; partialId: string; from: number; to: number; at: string };

const and_ = (xs: string[]) => (xs.length < 2 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs.at(-1)}`);
const minutes = (ms: number) => {
  const m = Math.max(1, Math.ceil(ms / 60_000));
  return m === 1 ? "1 minute" : `${m} minutes`;
};

/** The change in words: one release, or the group's partials and how close together they changed. */
function describe(change: PartialChange, environment: string, spanMs: number) {
  if (!change.together) return `${change.partial} v${change.to} (released in ${environment} after v${change.from})`;
  const names = and_(change.together.map((s) => `${s.partial} v${s.to}`));
  return `${names} (released within ${minutes(spanMs)} of each other in ${environment}: too close to tell apart)`;
}

type PartialsCheck = LoopTarget & {
  base: Pick<LoopDecision, "ruleId" | "prompt" | "environment" | "experiment">;
  change: PartialChange;
  /** From the group's first change to its last (0 for one change). */
  spanMs: number;
  blamed: Blamed[];
  after: Windows;
  before: Windows;
  verdicts: MetricVerdict[];
  level: "alert" | "rollback";
};

export async function actOnPartials(
  db: Db,
  rule: Rule,
  events: EventSink,
  now: Date,
  c: PartialsCheck,
): Promise<LoopDecision> {
  const { prompt, environment, live, change, blamed, verdicts, level } = c;
  const summary = summaryOf(verdicts);
  const what = describe(change, environment, c.spanMs);
  const { details, decision } = judged(c);
  const alert = alerter(db, rule, details);
  if (level === "alert") {
    await alert(
      "regression",
      "warning",
      `${prompt} v${live} in ${environment} is doing worse since ${what}: ${summary}.`,
      live,
    );
    return { ...decision, action: "alerted", reason: `since ${what}: ${summary}` };
  }
  // Rolled back only on every sample accepted before the newest one read: while some are scored, it waits.
  const waiting = waitingForScores([
    { version: `v${live} since the change`, read: c.after.read },
    { version: `v${live} before it`, read: c.before.read },
  ]);
  if (waiting) return { ...decision, action: "waiting", reason: `${waiting}; since ${what}: ${summary}` };
  const withheld = (await readEach(db, blamed, (b) => withheldBecause(db, rule, b, now))).filter(
    (w): w is string => w !== null,
  );
  if (withheld.length) {
    const names = and_(blamed.map((b) => b.partial));
    await alert(
      "rollback_withheld",
      "critical",
      `${prompt} v${live} in ${environment} regressed past the rollback threshold since ${what}, but ${names} ${blamed.length > 1 ? "were" : "was"} not rolled back (${withheld.join("; ")}): ${summary}.`,
      live,
    );
    return { ...decision, action: "withheld", reason: withheld.join("; ") };
  }
  const since = change.together ? ` since ${what}` : "";
  const reasonOf = (b: Blamed) =>
    `Automatic rollback of ${b.partial} from v${b.to} to v${b.from}: ${prompt} (which includes it) regressed in ${environment}${since}: ${summary}`.slice(
      0,
      1000,
    );
  const message = (done: Blamed[]) => rolledBackMessage(done, { change, environment, prompt, live, what, summary });
  // One partial: the mark and the alert commit with its rollback. Several: each its own rollback and mark, then
  // one alert naming those rolled back (an alert is unique per rule, kind and version).
  const alone = blamed.length === 1;
  const { done, stood } = await rollBackEach(db, rule, events, blamed, {
    environment,
    reasonOf,
    alert: alone ? (tx, b) => alerter(tx, rule, details)("auto_rollback", "critical", message([b]), live) : null,
  });
  if (!done.length) return { ...decision, action: "skipped", reason: stood.join(" ") };
  const standing = stood.length ? ` ${stood.join(" ")}` : "";
  if (!alone) await alert("auto_rollback", "critical", `${message(done)}${standing}`, live);
  const reason = alone
    ? reasonOf(done[0]!)
    : `Automatic rollback of ${and_(done.map((b) => `${b.partial} from v${b.to} to v${b.from}`))}: ${prompt} (which includes ${done.length > 1 ? "them" : "it"}) regressed in ${environment} since ${what}: ${summary}.${standing}`;
  return { ...decision, action: "rolled_back", reason };
}

/** The check's decision (one version, judged before and after the change) and the alerts' details. */
function judged(c: PartialsCheck) {
  const { live, change, verdicts, level } = c;
  const details = {
    liveVersion: live,
    partial: { name: change.partial, from: change.from, to: change.to, at: change.at },
    ...(change.together && { together: change.together }),
    metrics: verdicts,
  };
  const decision = {
    ...c.base,
    live,
    baseline: live,
    knownGood: false,
    level,
    metrics: verdicts,
    excluded: { [live]: c.after.excluded },
    // One version, read before and after the change: the window the change is judged on.
    read: { [live]: c.after.read },
    partial: change,
  };
  return { details, decision };
}

/** The alert's words for the partials rolled back. */
function rolledBackMessage(
  done: Blamed[],
  w: { change: PartialChange; environment: string; prompt: string; live: number; what: string; summary: string },
): string {
  const { change, environment, prompt, live, what, summary } = w;
  return done.length === 1 && !change.together
    ? `${done[0]!.partial} in ${environment} was rolled back automatically from v${done[0]!.to} to v${done[0]!.from}: ${prompt} v${live}, which includes it, regressed since its release: ${summary}.`
    : `${and_(done.map((b) => `${b.partial} (v${b.to} → v${b.from})`))} in ${environment} ${done.length > 1 ? "were" : "was"} rolled back automatically: ${prompt} v${live}, which includes ${done.length > 1 ? "them" : "it"}, regressed since ${what}: ${summary}.`;
}

/** Each blamed partial rolled back on its own (with its mark, and `alert` in its transaction); a conflict stands. */
async function rollBackEach(
  db: Db,
  rule: Rule,
  events: EventSink,
  blamed: Blamed[],
  o: {
    environment: string;
    reasonOf: (b: Blamed) => string;
    alert: ((tx: Db, b: Blamed) => Promise<unknown>) | null;
  },
) {
  const done: Blamed[] = [];
  const stood: string[] = [];
  for (const b of blamed) {
    const reason = o.reasonOf(b);
    try {
      await autoRollback(
        db,
        rule,
        events,
        { prompt: b.partial, promptId: b.partialId, environment: o.environment, from: b.to, to: b.from, reason },
        async (tx) => {
          if (o.alert) await o.alert(tx, b);
        },
      );
      done.push(b);
    } catch (e) {
      // Someone changed what the partial serves since: their move stands.
      if (isAppError(e) && e.code === "conflict") stood.push(e.message);
      else throw e;
    }
  }
  return { done, stood };
}

/** Why the partial is not rolled back automatically: a person put this version back after one, or a cooldown. */
async function withheldBecause(db: Db, rule: Rule, b: Blamed, now: Date): Promise<string | null> {
  const mine = and(eq(autoRollbacks.promptId, b.partialId), eq(autoRollbacks.environmentId, rule.environmentId));
  const cooldownSince = new Date(now.getTime() - rule.rollback.cooldownMinutes * 60_000);
  const [[marked], [recent]] = await readTogether(db, [
    () =>
      db
        .select({ v: autoRollbacks.version })
        .from(autoRollbacks)
        .where(and(mine, eq(autoRollbacks.version, b.to))),
    () =>
      db
        .select({ at: autoRollbacks.createdAt })
        .from(autoRollbacks)
        .where(and(mine, gt(autoRollbacks.createdAt, cooldownSince)))
        .limit(1),
  ]);
  if (marked) return `${b.partial} v${b.to} was rolled back automatically before and a person put it back`;
  if (recent)
    return `${b.partial} was already rolled back automatically in the last ${rule.rollback.cooldownMinutes} minutes`;
  return null;
}
