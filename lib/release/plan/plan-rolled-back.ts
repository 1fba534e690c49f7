// A version rolled back in an environment stays rolled back (docs/decisions/rolled-back-versions.md): serving it there
// again — by a promotion, an experiment's start or weights, a review's deployment or auto-promote — needs a person who
// confirms it, and the plan says which rollback (when, by whom, why). Jobs never confirm. The fact is read
// from the environment's deployment log: the latest time the version stopped being served there ended with a
// rollback (manual or automatic); a version a person released again and that was later replaced by a normal
// release is not "rolled back" any more.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import type { Actor } from "../../auth/permissions";
import type { PlanFacts, PlanStep } from "./plan";

export interface RollbackFact {
  /** When the rollback happened (ISO). */
  at: string;
  /** Who rolled it back: a person's label, or the job's. */
  by: string;
  reason: string;
  automatic: boolean;
  /** The version the rollback returned to. */
  toVersion: number;
  /** What did it automatically, when not online evaluation's rollback of a deployment. */
  via?: string;
}

/** The rollback that last took `version` out of service in the environment, or null. */
export async function rollbackOf(
  db: Db,
  promptId: string,
  environmentId: string,
  version: number,
): Promise<RollbackFact | null> {
  const [row] = await queryRows<{
    action: string;
    created_at: Date | string;
    reason: string;
    actor_label: string;
    version: number;
  }>(
    db,
    sql`select action, created_at, reason, actor_label, version from (
          select id, version, action, created_at, reason, actor_label, lag(version) over (order by id) as prev
            from deployments where prompt_id = ${promptId} and environment_id = ${environmentId}) d
        where d.prev = ${version} and d.version <> ${version} order by d.id desc limit 1`,
  );
  const fromLog: RollbackFact | null =
    !row || (row.action !== "rollback" && row.action !== "auto_rollback")
      ? null
      : {
          at: new Date(row.created_at).toISOString(),
          by: row.actor_label,
          reason: row.reason,
          automatic: row.action === "auto_rollback",
          toVersion: Number(row.version),
        };
  // A guarded rollout of the version that was rolled back counts too, unless the version was
  // released there since.
  const [r] = await queryRows<{
    stopped_at: Date | string;
    reason: string | null;
    last: RolloutLast | null;
    live: number;
  }>(
    db,
    sql`select e.stopped_at, e.decision->>'reason' as reason, e.rollout->'decisions'->-1 as last, v.version as live
          from experiments e join experiment_variants v on v.experiment_id = e.id and v.position = 0
         where e.prompt_id = ${promptId} and e.environment_id = ${environmentId} and e.kind = 'rollout'
           and e.status = 'stopped' and e.decision ? 'keep' and (e.rollout->>'version')::int = ${version}
           and not exists (select 1 from deployments d where d.prompt_id = e.prompt_id
                             and d.environment_id = e.environment_id and d.version = ${version}
                             and d.created_at > e.stopped_at)
         order by e.stopped_at desc limit 1`,
  );
  if (!r) return fromLog;
  const at = new Date(r.stopped_at).toISOString();
  if (fromLog && fromLog.at > at) return fromLog;
  return {
    at,
    by: r.last?.by ?? "",
    reason: r.reason ?? "",
    automatic: r.last?.automatic ?? false,
    toVersion: Number(r.live),
    via:
      r.last?.by === "rollouts"
        ? "its guarded rollout's guardrails"
        : `${r.last?.by ?? "a job"} during its guarded rollout`,
  };
}

type RolloutLast = { by?: string; automatic?: boolean };

/** A confirmation counts only from a person (a session, or a person's API key); never from a job. */
export const personConfirmed = (actor: Actor, confirmed: boolean | undefined) =>
  Boolean(confirmed) && actor.type !== "system";

const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** The rollback in words: "Version 4 was rolled back in production on 2026-11-26 22:10 UTC automatically (…)". */
export function rollbackSentence(f: Pick<PlanFacts, "version" | "environment">, r: RollbackFact): string {
  const who = r.automatic ? `automatically by ${r.via ?? "online evaluation"}` : `by ${r.by || "a person"}`;
  return `Version ${f.version} was rolled back in ${f.environment.name} on ${when(r.at)} ${who}, back to version ${r.toVersion}${r.reason ? ` (“${r.reason.slice(0, 300)}”)` : ""}.`;
}

/** The plan's first step for a rolled-back version that is not live: met once a person confirms. */
export function rolledBackStep(f: PlanFacts, confirmed: boolean): PlanStep | null {
  const r = f.rolledBack;
  if (!r || f.live === f.version) return null;
  const said = rollbackSentence(f, r);
  return {
    id: "rolled_back",
    met: confirmed,
    title: "A person confirms releasing a rolled-back version",
    detail: confirmed
      ? `${said} A person confirmed releasing it there again.`
      : `${said} Only a person who confirms it may release it there again; automation never does.`,
    action: confirmed ? null : { kind: "confirm_rolled_back" },
  };
}
