// The closed loop's comparison (loop.ts): a version's window of scores and signals (../windows.ts) against
// another's, judged by the rule's thresholds (../detect.ts), in words for alerts, and the alert itself.
import { readTogether, type Db } from "../../../../db/client";
import { autoRollbacks, type AlertKind, type onlineEvalRules } from "../../../../db/schema";
import type { EventSink } from "../../../announcements";
import type { Actor } from "../../../auth/permissions";
import { projectContext } from "../../../context";
import { rollbackPrompt } from "../../../release/rollback";
import { raiseAlert } from "../alerts";
import { describeVerdict, detectRegressions, type MetricVerdict, type MetricWindow } from "../detect";
import type { WindowRead } from "../contracts";
import { scoreWindows, signalWindows, type Excluded, type WindowScope } from "../windows";

export const system: Actor = { type: "system", label: "online-evaluation" };

export type Rule = typeof onlineEvalRules.$inferSelect;

/** What a check acts on: a rule's prompt in its environment, and the version live there. */
export type LoopTarget = { prompt: string; environment: string; live: number };

export type Windows = {
  metrics: Map<string, { kind: "binary" | "continuous"; values: number[] }>;
  excluded: Excluded;
  /** What the window read: scored samples and signal events, and the samples accepted but not scored yet. */
  read: WindowRead;
};

export async function windowsFor(db: Db, rule: Rule, scope: WindowScope): Promise<Windows> {
  const [scored, signals] = await readTogether(db, [
    () => scoreWindows(db, rule.id, scope),
    () => signalWindows(db, rule.projectId, rule.signals, scope),
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
    read: { ...scored.cut, events: signals.events },
  };
}

/**
 * An automatic rollback decides only on windows that hold every sample accepted before the newest one they read
 *: while some are still being scored (a gap), it waits, saying so. Samples newer than the newest read
 * have not arrived in the scored stream yet; waiting for them would never end under steady traffic.
 */
export function waitingForScores(windows: { version: string; read: WindowRead }[]): string | null {
  const gaps = windows.filter((w) => w.read.behind > 0);
  if (!gaps.length) return null;
  return `waiting for data: ${gaps
    .map(
      (w) =>
        `${w.read.behind} sample${w.read.behind === 1 ? "" : "s"} of ${w.version} accepted before the newest one read`,
    )
    .join(" and ")} not scored yet`;
}

export const subjectsIn = (w: Windows) => Math.max(0, ...[...w.metrics.values()].map((m) => m.values.length));

export function compare(rule: Rule, live: Windows, baseline: Windows) {
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

export const summaryOf = (verdicts: MetricVerdict[]) =>
  verdicts
    .filter((v) => v.level !== "none")
    .map(describeVerdict)
    .join("; ");

export function alerter(db: Db, rule: Rule, details: Record<string, unknown>) {
  return (kind: AlertKind, severity: "warning" | "critical", message: string, version: number) =>
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

/**
 * Rolls `prompt` (of id `promptId`) back from v`from` to v`to` in the rule's environment as the loop, if v`from` is
 * still live; the mark that keeps automation away from the bad version, and `alert`, commit with the deployment.
 */
export async function autoRollback(
  db: Db,
  rule: Rule,
  events: EventSink,
  r: { prompt: string; promptId: string; environment: string; from: number; to: number; reason: string },
  alert: (tx: Db) => Promise<unknown>,
) {
  await rollbackPrompt(
    projectContext(db, system, rule.projectId, events),
    r.prompt,
    { environment: r.environment, version: r.to, reason: r.reason },
    {
      action: "auto_rollback",
      expectLive: r.from,
      also: async (tx, deployment) => {
        await tx
          .insert(autoRollbacks)
          .values({
            promptId: r.promptId,
            environmentId: rule.environmentId,
            version: r.from,
            toVersion: r.to,
            deploymentId: deployment.id,
            reason: r.reason,
          })
          .onConflictDoNothing();
        await alert(tx);
      },
    },
  );
}
