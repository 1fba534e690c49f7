// The release log (docs/decisions/guarded-rollouts.md): what the deployments log says, interleaved by time with each
// guarded rollout's events — started, each step, paused, resumed, rolled back (by its guardrails, naming the metric, or
// by a person), completed, or stopped by a release meanwhile. A rollout's events are the decisions kept in its
// experiment's `rollout` (lib/experiments writes them); this reads that table through the schema, since
// lib/release never imports lib/experiments. Both reads are ordered and limited in SQL: the cost follows
// the limit, not the prompt's history.
import { sql } from "drizzle-orm";
import { queryRows, readTogether, type Db } from "../../db/client";
import type { PromptRow } from "../registry/prompts";
import { deploymentHistory } from "./deployments";
import { deploymentDto, type releaseLogEntrySchema, type rolloutEntrySchema } from "./dto";
import type { z } from "zod";

export type RolloutEntry = z.output<typeof rolloutEntrySchema>;
export type ReleaseLogEntry = z.output<typeof releaseLogEntrySchema>;
export type DeploymentEntry = Extract<ReleaseLogEntry, { kind: "deployment" }>;

/** A decision as experiments.rollout keeps it (lib/experiments/contracts.ts), as far as the log reads it. */
type StoredDecision = {
  at: string;
  step: number;
  action: "start" | "advance" | "complete" | "rollback" | "pause" | "resume" | "stopped";
  reason: string;
  by: string;
  automatic: boolean;
  guardrails?: { metric: string; significant: boolean }[];
};

type Row = {
  id: string;
  environment: string;
  version: number;
  steps: { percent: number }[];
  step: number;
  at: string;
  /** null on the row of a rollout a deployment stopped (the database's trigger writes no decision). */
  decision: StoredDecision | null;
  stop_reason: string | null;
  stopped_by: string | null;
  stopped_action: string | null;
};

const events = {
  start: "started",
  advance: "step",
  pause: "paused",
  resume: "resumed",
  rollback: "rolled_back",
  complete: "completed",
  stopped: "stopped",
} as const;

/** One row of the query as the log shows it: the new version's share before and after the event (null: a kind of decision this log does not know). */
export function rolloutEntry(r: Row): RolloutEntry | null {
  const percent = (i: number) => r.steps[Math.min(Math.max(i, 0), r.steps.length - 1)]?.percent ?? 0;
  const base = { kind: "rollout" as const, rollout: r.id, environment: r.environment, version: r.version, at: r.at };
  const d = r.decision;
  if (!d)
    return {
      ...base,
      event: "stopped",
      fromPercent: percent(r.step),
      toPercent: 0,
      actor: r.stopped_by || "someone",
      automatic: r.stopped_action?.startsWith("auto_") ?? false,
      reason: r.stop_reason ?? "",
      metric: null,
    };
  if (!Object.hasOwn(events, d.action)) return null;
  const at = percent(d.step);
  const [fromPercent, toPercent] =
    d.action === "start"
      ? [0, percent(0)]
      : d.action === "advance"
        ? [at, percent(d.step + 1)]
        : d.action === "complete"
          ? [at, 100]
          : d.action === "rollback" || d.action === "stopped"
            ? [at, 0]
            : [at, at];
  // The guardrails' rollback names the metric that regressed; a person's names none.
  const metric =
    d.action === "rollback" && d.automatic ? (d.guardrails?.find((g) => g.significant)?.metric ?? null) : null;
  return {
    ...base,
    event: events[d.action],
    fromPercent,
    toPercent,
    actor: d.by,
    automatic: d.automatic,
    reason: d.reason,
    metric,
  };
}

/**
 * A prompt's rollout events, newest first, at most `limit` (of one environment, or all). Only the `limit`
 * rollouts that ended last (running ones first) are read: each has an event at its end, so an older one's
 * events could not be among the newest `limit`.
 */
export async function rolloutEvents(
  db: Db,
  projectId: string,
  promptId: string,
  opts: { environment?: string; limit?: number } = {},
): Promise<RolloutEntry[]> {
  const limit = Math.min(opts.limit ?? 200, 2000);
  const env = opts.environment
    ? sql`and e.environment_id = (select id from environments where project_id = ${projectId} and name = ${opts.environment})`
    : sql``;
  const rows = await queryRows<Row>(
    db,
    sql`with recent as (
          select e.id, e.environment_id, e.rollout, e.decision, e.stopped_at
          from experiments e
          where e.prompt_id = ${promptId} and e.kind = 'rollout' ${env}
          order by coalesce(e.stopped_at, 'infinity'::timestamptz) desc, e.created_at desc
          limit ${limit}
        ), log as (
          select r.id, r.environment_id, r.rollout, d.value->>'at' as at, d.n as n, d.value as decision,
                 null::text as stop_reason, null::text as stopped_by, null::text as stopped_action
          from recent r cross join lateral jsonb_array_elements(r.rollout->'decisions') with ordinality as d(value, n)
          union all
          select r.id, r.environment_id, r.rollout,
                 to_char(r.stopped_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 1000000, null,
                 r.decision->>'reason', dep.actor_label, dep.action::text
          from recent r
          left join deployments dep on dep.id = (r.decision->'deployment'->>'id')::bigint
          where r.decision->>'stoppedBy' is not null
        )
        select l.id, env.name as environment, (l.rollout->>'version')::int as version,
               l.rollout->'steps' as steps, (l.rollout->>'step')::int as step, l.at, l.decision,
               l.stop_reason, l.stopped_by, l.stopped_action
        from log l join environments env on env.id = l.environment_id
        order by l.at desc, l.id, l.n desc
        limit ${limit}`,
  );
  return rows.map(rolloutEntry).filter((e) => e !== null);
}

/** Deployments and rollout events in one list, newest first, at most `limit`. */
export function mergeReleaseLog(
  deployments: Omit<DeploymentEntry, "kind">[],
  rollouts: RolloutEntry[],
  limit: number,
): ReleaseLogEntry[] {
  const all: ReleaseLogEntry[] = [
    ...rollouts,
    ...deployments.map((d): DeploymentEntry => ({ kind: "deployment", ...d })),
  ];
  // Stable: at the same instant a rollout's event stays above the deployment it made.
  return all.sort((a, b) => Date.parse(b.at) - Date.parse(a.at)).slice(0, limit);
}

/** The release log of a prompt (of one environment, or all): deployments and rollout events, newest first. */
export async function releaseLog(
  db: Db,
  projectId: string,
  prompt: PromptRow,
  opts: { environment?: string; limit?: number } = {},
): Promise<ReleaseLogEntry[]> {
  const limit = Math.min(opts.limit ?? 200, 2000);
  const [rows, rollouts] = await readTogether(db, [
    () => deploymentHistory(db, projectId, prompt, { ...opts, limit }),
    () => rolloutEvents(db, projectId, prompt.id, { ...opts, limit }),
  ]);
  const deployments = rows.map((r) => deploymentDto(r.deployment, r.environment, r.actorName));
  return mergeReleaseLog(deployments, rollouts, limit);
}
