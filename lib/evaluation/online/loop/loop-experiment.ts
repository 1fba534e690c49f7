// The closed loop, step 1 (loop.ts): while an experiment runs on the rule's prompt in its environment,
// each variant's window since the start against the control's. A variant past the rollback threshold
// stops the experiment, keeping the control, with an alert (in the same transaction); past the alert
// threshold people are told. The environment itself is not rolled back for a variant.
import { projectContext } from "../../../context";
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { experimentVariants, experiments, runningExperimentOn } from "../../../../db/schema";
import { isAppError } from "../../../errors";
import { stopExperiment } from "../../../experiments/lifecycle";
import type { EventSink } from "../../../announcements";
import type { ExperimentCheck } from "../contracts";
import { alerter, compare, summaryOf, system, waitingForScores, windowsFor, type Rule } from "./loop-compare";
import type { WindowScope } from "../windows";

/** Step 1: the variants of a running experiment against its control, since it started. */
export async function checkExperiment(
  db: Db,
  rule: Rule,
  prompt: string,
  environment: string,
  events: EventSink,
): Promise<ExperimentCheck | null> {
  const [e] = await db
    .select({ id: experiments.id, name: experiments.name, startedAt: experiments.startedAt })
    .from(experiments)
    .where(runningExperimentOn(rule.promptId, rule.environmentId));
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
    const w = await windowsFor(db, rule, scope(v.version));
    const { verdicts, level } = compare(rule, w, base);
    checked.push({ key: v.key, version: v.version, level, metrics: verdicts, read: w.read });
  }
  const worst = checked.find((c) => c.level === "rollback") ?? checked.find((c) => c.level === "alert");
  const result = { id: e.id, name: e.name, variants: checked, controlRead: base.read };
  if (!worst) return { ...result, action: "none", reason: "no variant does worse than the control" };
  const what = `variant "${worst.key}" (v${worst.version}) of experiment “${e.name}” is doing worse than the control "${control!.key}" (v${control!.version}) in ${environment}: ${summaryOf(worst.metrics)}`;
  const alert = alerter(db, rule, { experiment: e.id, variant: worst.key, metrics: worst.metrics });
  if (worst.level === "alert") {
    await alert("regression", "warning", `${prompt}: ${what}.`, worst.version);
    return { ...result, action: "alerted", reason: what };
  }
  // Stopped only on every sample accepted before the newest one read: while some are scored, it waits.
  const waiting = waitingForScores([
    { version: `v${worst.version}`, read: worst.read! },
    { version: `v${control!.version}`, read: base.read },
  ]);
  if (waiting) return { ...result, action: "waiting", reason: `${waiting}; ${what}` };
  try {
    await stopExperiment(
      projectContext(db, system, rule.projectId, events),
      e.id,
      { decision: { keep: "control" }, reason: `Stopped by online evaluation: ${what}`.slice(0, 2000) },
      {
        // Whatever splits the traffic there, a guarded rollout too: its log says online evaluation ended it.
        rollout: true,
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
