// The closed loop where prompts depend on each other (issue 42). A prompt renders `{{> tone}}` as its
// environment serves tone, so a release of tone changes what the prompt serves without a deployment of
// its own. When the newest change to what a rule's prompt renders is such a release (after the prompt's
// own deployment), the loop compares the prompt's window since that release with its window just before
// it (same version of the prompt, only the partial changed), and a regression is the partial's: the
// partial goes back to what it served before, through the release log, by the online-evaluation actor
// (action auto_rollback, marked so automation leaves that version alone), and the alert on the prompt's
// rule names the partial's release. The prompt's own version is not judged on a window the partial spoiled:
// while a partial's release is the newest change, the prompt's live window starts at it (loop.ts).
import { and, eq, gt, sql } from "drizzle-orm";
import { queryRows, readTogether, type Db } from "../../../db/client";
import { autoRollbacks } from "../../../db/schema";
import { isAppError } from "../../errors";
import { parsePartialRef } from "../../registry/partial-refs";
import { environmentGraph } from "../../registry/served";
import type { Content } from "../../registry/content";
import type { EventSink } from "../../release/events";
import { rollback } from "../../release/rollback";
import type { LoopDecision, PartialChange } from "./contracts";
import { alerter, compare, summaryOf, system, windowsFor, type Rule } from "./loop-compare";

/**
 * The newest release, after `liveSince`, of a partial that the live version of the rule's prompt includes as
 * its environment serves it (`{{> name}}` or `{{> name|label=<environment>}}`; a pin to a version or another
 * label does not follow this environment's releases), and when what the prompt rendered changed before it.
 */
export async function latestPartialChange(
  db: Db,
  rule: Rule,
  environment: string,
  live: number,
  liveSince: Date,
): Promise<PartialChange | null> {
  const [root] = await queryRows<{ name: string; content: Content }>(
    db,
    sql`select p.name, v.content from prompts p join prompt_versions v on v.prompt_id = p.id
        where p.id = ${rule.promptId} and v.version = ${live}`,
  );
  if (!root || !JSON.stringify(root.content).includes("{{>")) return null;
  let refs: string[];
  try {
    refs = Object.keys((await environmentGraph(db, rule.projectId, { ...root, version: live }, environment)).partials);
  } catch (e) {
    if (isAppError(e) && e.code === "unprocessable") return null; // a graph the environment cannot serve
    throw e;
  }
  const names = [
    ...new Set(
      refs.flatMap((ref) => {
        const r = parsePartialRef(ref);
        return r && r.version === undefined && (r.label === undefined || r.label === environment) ? [r.name] : [];
      }),
    ),
  ].filter((n) => n !== root.name);
  if (!names.length) return null;
  // The two newest changes after the prompt's deployment: the newest decides, the one before bounds its "before".
  const rows = await queryRows<{
    partial_id: string;
    name: string;
    version: number;
    action: string;
    at: Date | string;
    previous: number | null;
  }>(
    db,
    sql`select d.prompt_id as partial_id, p.name, d.version, d.action, d.created_at as at,
          (select d2.version from deployments d2
           where d2.prompt_id = d.prompt_id and d2.environment_id = d.environment_id and d2.id < d.id
           order by d2.id desc limit 1) as previous
        from deployments d join prompts p on p.id = d.prompt_id
        where d.environment_id = ${rule.environmentId} and p.project_id = ${rule.projectId}
          and p.name in ${names} and d.created_at > ${liveSince.toISOString()}::timestamptz
        order by d.created_at desc, d.id desc limit 2`,
  );
  const [latest, before] = rows;
  if (!latest) return null;
  return {
    partial: latest.name,
    partialId: latest.partial_id,
    from: latest.previous === null ? null : Number(latest.previous),
    to: Number(latest.version),
    action: latest.action,
    at: new Date(latest.at).toISOString(),
    previousChangeAt: new Date(before?.at ?? liveSince).toISOString(),
  };
}

/** Whether the change is a release the loop may judge (a rollback is not judged, nor a first deployment). */
export const judgeable = (c: PartialChange) =>
  (c.action === "promote" || c.action === "auto_promote") && c.from !== null && c.from !== c.to;

/**
 * The rule's prompt since the partial's release against just before it. Null when nothing regressed (the
 * loop goes on to the prompt's own check); else the decision: alerted, the partial rolled back, or withheld.
 */
export async function checkPartialRelease(
  db: Db,
  rule: Rule,
  events: EventSink,
  now: Date,
  c: {
    prompt: string;
    environment: string;
    live: number;
    change: PartialChange;
    base: Pick<LoopDecision, "ruleId" | "prompt" | "environment" | "experiment">;
  },
): Promise<LoopDecision | null> {
  const { prompt, environment, live, change } = c;
  const scope = {
    promptId: rule.promptId,
    environmentId: rule.environmentId,
    environment,
    version: live,
    window: rule.window,
  };
  const [after, before] = await readTogether(db, [
    () => windowsFor(db, rule, { ...scope, since: new Date(change.at) }),
    () => windowsFor(db, rule, { ...scope, since: new Date(change.previousChangeAt), until: new Date(change.at) }),
  ]);
  const { verdicts, level } = compare(rule, after, before);
  if (level === "none") return null;
  const summary = summaryOf(verdicts);
  const what = `${change.partial} v${change.to} (released in ${environment} after v${change.from})`;
  const details = {
    liveVersion: live,
    partial: { name: change.partial, from: change.from, to: change.to, at: change.at },
    metrics: verdicts,
  };
  const decision = {
    ...c.base,
    live,
    baseline: live,
    knownGood: false,
    level,
    metrics: verdicts,
    excluded: { [live]: after.excluded },
    partial: change,
  };
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
  const withheld = await withheldBecause(db, rule, change, now);
  if (withheld) {
    await alert(
      "rollback_withheld",
      "critical",
      `${prompt} v${live} in ${environment} regressed past the rollback threshold since ${what}, but ${change.partial} was not rolled back (${withheld}): ${summary}.`,
      live,
    );
    return { ...decision, action: "withheld", reason: withheld };
  }
  const reason =
    `Automatic rollback of ${change.partial} from v${change.to} to v${change.from}: ${prompt} (which includes it) regressed in ${environment}: ${summary}`.slice(
      0,
      1000,
    );
  try {
    await rollback(
      { db, actor: system, projectId: rule.projectId, events },
      change.partial,
      { environment, version: change.from!, reason },
      {
        action: "auto_rollback",
        expectLive: change.to,
        also: async (tx, deployment) => {
          await tx
            .insert(autoRollbacks)
            .values({
              promptId: change.partialId,
              environmentId: rule.environmentId,
              version: change.to,
              toVersion: change.from!,
              deploymentId: deployment.id,
              reason,
            })
            .onConflictDoNothing();
          await alerter(tx, rule, details)(
            "auto_rollback",
            "critical",
            `${change.partial} in ${environment} was rolled back automatically from v${change.to} to v${change.from}: ${prompt} v${live}, which includes it, regressed since its release: ${summary}.`,
            live,
          );
        },
      },
    );
  } catch (e) {
    // Someone changed what the partial serves since: their move stands.
    if (isAppError(e) && e.code === "conflict") return { ...decision, action: "skipped", reason: e.message };
    throw e;
  }
  return { ...decision, action: "rolled_back", reason };
}

/** Why the partial is not rolled back automatically: a person put this version back after one, or a cooldown. */
async function withheldBecause(db: Db, rule: Rule, change: PartialChange, now: Date): Promise<string | null> {
  const mine = and(eq(autoRollbacks.promptId, change.partialId), eq(autoRollbacks.environmentId, rule.environmentId));
  const cooldownSince = new Date(now.getTime() - rule.rollback.cooldownMinutes * 60_000);
  const [[marked], [recent]] = await readTogether(db, [
    () =>
      db
        .select({ v: autoRollbacks.version })
        .from(autoRollbacks)
        .where(and(mine, eq(autoRollbacks.version, change.to))),
    () =>
      db
        .select({ at: autoRollbacks.createdAt })
        .from(autoRollbacks)
        .where(and(mine, gt(autoRollbacks.createdAt, cooldownSince)))
        .limit(1),
  ]);
  if (marked) return `${change.partial} v${change.to} was rolled back automatically before and a person put it back`;
  if (recent)
    return `${change.partial} was already rolled back automatically in the last ${rule.rollback.cooldownMinutes} minutes`;
  return null;
}
