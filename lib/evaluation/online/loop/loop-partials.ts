// The closed loop where prompts depend on each other (docs/decisions/partial-releases.md). A prompt renders `{{>
// tone}}` as its environment serves it, so a release of tone changes what the prompt serves without a deployment of its
// own. The partials' changes after the prompt's own deployment are judged newest first, each on the prompt's window
// since it (up to the next change, or now) against its window just before it (back to the change before; the
// same version of the prompt, only partials changed). A change whose "before" window holds too few subjects
// for the rule to judge (minSamples, as the comparison needs) cannot be told apart from the change before it:
// the two are judged as one, the window after the newest against the window before the oldest. The first
// change (or group) found regressing is blamed — the older one when the regression started between two
// changes, since the window between them is then already bad and the newer change looks harmless. Past the
// rollback threshold every partial blamed goes back to what it served before (loop-partials-act.ts). A change
// undone or superseded since (a later change of the same partial) is not judged again, so nothing flaps. The
// prompt's own version is not judged on a window a partial spoiled: while partials changed after its
// deployment, its live window starts at the newest change (loop.ts).
import { sql } from "drizzle-orm";
import { queryRows, readTogether, type Db } from "../../../../db/client";
import { isAppError } from "../../../errors";
import { parsePartialRef } from "../../../registry/templates/partial-refs";
import { environmentGraph } from "../../../registry/live-versions";
import type { Content } from "../../../registry/content";
import type { EventSink } from "../../../announcements";
import type { LoopDecision, PartialChange } from "../contracts";
import { compare, subjectsIn, windowsFor, type LoopTarget, type Rule, type Windows } from "./loop-compare";
import { actOnPartials, type Blamed } from "./loop-partials-act";

/** A deployment of an included partial in the rule's environment (a release, a rollback). */
export type PartialDeployment = {
  partialId: string;
  name: string;
  version: number;
  action: string;
  at: Date;
  /** What the partial served there before this deployment (null: nothing). */
  previous: number | null;
};

/** The partials' changes a check walks, oldest first, and when what the prompt rendered changed before them. */
export type PartialHistory = { since: Date; changes: PartialDeployment[] };

/** The newest changes a check walks through; an older one only bounds the oldest's "before" window. */
const maxChanges = 20;

/**
 * The changes, after `liveSince`, of the partials that the live version of the rule's prompt includes as its
 * environment serves them (`{{> name}}` or `{{> name|label=<environment>}}`; a pin to a version or another
 * label does not follow this environment's releases). Null when it includes none that follow them.
 */
export async function partialChanges(
  db: Db,
  rule: Rule,
  environment: string,
  live: number,
  liveSince: Date,
): Promise<PartialHistory | null> {
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
        order by d.created_at desc, d.id desc limit ${maxChanges + 1}`,
  );
  if (!rows.length) return null;
  const changes = rows.reverse().map((r) => ({
    partialId: r.partial_id,
    name: r.name,
    version: Number(r.version),
    action: r.action,
    at: new Date(r.at),
    previous: r.previous === null ? null : Number(r.previous),
  }));
  const bound = changes.length > maxChanges ? changes.shift()!.at : liveSince;
  return { since: bound, changes };
}

/** The newest change, where the prompt's live window starts, as the decision shows it. */
export function newestChange(h: PartialHistory): PartialChange {
  const n = h.changes.length;
  return changeOf([h.changes[n - 1]!], h.changes[n - 2]?.at ?? h.since);
}

/**
 * Walks the partials' changes newest first, grouping those too close together to tell apart, and acts on the
 * first that regressed. Null when none did (the loop goes on to the prompt's own check); else the decision:
 * alerted, the partials rolled back, or withheld.
 */
export async function checkPartialReleases(
  db: Db,
  rule: Rule,
  events: EventSink,
  now: Date,
  c: LoopTarget & {
    history: PartialHistory;
    base: Pick<LoopDecision, "ruleId" | "prompt" | "environment" | "experiment">;
  },
): Promise<LoopDecision | null> {
  const { changes } = c.history;
  // Change i (1-based) starts segment i; segment 0 starts at `since`; the last one runs until now.
  const points = [c.history.since, ...changes.map((ch) => ch.at)];
  const segments = new Map<number, Promise<Windows>>();
  const segment = (k: number) => {
    if (!segments.has(k))
      segments.set(
        k,
        windowsFor(db, rule, {
          promptId: rule.promptId,
          environmentId: rule.environmentId,
          environment: c.environment,
          version: c.live,
          window: rule.window,
          since: points[k]!,
          until: points[k + 1] ?? null,
        }),
      );
    return segments.get(k)!;
  };
  const judgeable = async (k: number) => subjectsIn(await segment(k)) >= rule.minSamples;
  for (let hi = changes.length; hi >= 1;) {
    let lo = hi;
    while (lo > 1 && !(await judgeable(lo - 1))) lo--;
    const group = changes.slice(lo - 1, hi);
    const change = changeOf(group, points[lo - 1]!);
    const blamed = blamedIn(group, changes.slice(hi));
    if (blamed.length) {
      const [after, before] = await readTogether(db, [() => segment(hi), () => segment(lo - 1)]);
      const { verdicts, level } = compare(rule, after, before);
      if (level !== "none")
        return actOnPartials(db, rule, events, now, {
          ...c,
          change,
          spanMs: group.at(-1)!.at.getTime() - group[0]!.at.getTime(),
          blamed,
          after,
          before,
          verdicts,
          level,
        });
    }
    hi = lo - 1;
  }
  return null;
}

type Step = Omit<Blamed, "from"> & { from: number | null; action: string; last: PartialDeployment };

/** Per partial of the group: what it served before the group's first change of it, and after its last. */
function stepsOf(group: PartialDeployment[]): Step[] {
  const steps = new Map<string, Step>();
  for (const d of group) {
    const s = steps.get(d.partialId);
    if (s) Object.assign(s, { to: d.version, at: d.at.toISOString(), action: d.action, last: d });
    else
      steps.set(d.partialId, {
        partial: d.name,
        partialId: d.partialId,
        from: d.previous,
        to: d.version,
        at: d.at.toISOString(),
        action: d.action,
        last: d,
      });
  }
  return [...steps.values()].sort((a, b) => a.last.at.getTime() - b.last.at.getTime());
}

/**
 * The partials of the group the loop may roll back: released (a rollback is not judged, nor a first deployment)
 * and still served (no later change of the same partial, which would be someone's move or an earlier rollback).
 */
function blamedIn(group: PartialDeployment[], later: PartialDeployment[]): Blamed[] {
  return stepsOf(group)
    .filter(
      (s) =>
        (s.action === "promote" || s.action === "auto_promote") &&
        s.from !== null &&
        s.from !== s.to &&
        !later.some((l) => l.partialId === s.partialId),
    )
    .map(({ partial, partialId, from, to, at }) => ({ partial, partialId, from: from!, to, at }));
}

/** The group as the decision records it: its newest partial's step, and every partial's when there are several. */
function changeOf(group: PartialDeployment[], before: Date): PartialChange {
  const steps = stepsOf(group);
  const newest = steps.at(-1)!;
  return {
    partial: newest.partial,
    partialId: newest.partialId,
    from: newest.from,
    to: newest.to,
    action: newest.action,
    at: newest.at,
    previousChangeAt: before.toISOString(),
    ...(steps.length > 1 && { together: steps.map(({ partial, from, to, at }) => ({ partial, from, to, at })) }),
  };
}
