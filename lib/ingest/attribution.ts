// Attribution of metric events to experiment arms: the experiments a batch may count for (named by its
// events, or running on their prompts) and, per event, the arm it counts for or why it cannot.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { compileAssignment, type AssignFn } from "../experiments/assign";
import type { EventProblem, MetricEvent } from "../experiments/metric-events";
import type { UnattributedReason } from "../experiments/served-claims";

/** The environment of an event that names none. */
export const defaultEnvironment = "production";

export type Attribution = {
  experimentId: string;
  phase: number;
  variant: string;
  /** What the phase served the arm (`name@version,…`), stored as the event's composition; null: not recorded. */
  partials?: string | null;
};
/** An event that named an experiment's arm the server did not serve it: kept, counted apart. */
export type Unattributed = {
  experimentId: string;
  phase: number;
  variant: string;
  reason: UnattributedReason;
  /** The arm the subject was served or assigned instead (other_arm), else null. */
  served: string | null;
  partials: string | null;
};
/**
 * An event that names its experiment: the arm it claims, checked against what the server served
 * (lib/experiments/served-claims.ts) before it counts. `phase` null: the one in force at the event's time.
 */
export type NamedClaim = { experimentId: string; phase: number | null; variant: string; named: true };
type ExperimentInfo = {
  id: string;
  promptId: string;
  environment: string;
  status: string;
  phase: number;
  /** null until the experiment starts. */
  startedAt: Date | null;
  variants: { key: string; version: number }[];
  /** What each arm serves in the current phase (`name@version,…`), when recorded. */
  compositions: Record<string, string> | null;
  /**
   * Which variant a subject is in, as resolve assigns it: a bandit's stored assignment (null: none stored),
   * else the hash of the current phase (null: outside coverage or the namespace share). Null until the
   * experiment starts.
   */
  assigned: ((subject: string) => string | null) | null;
};

type ExperimentRow = {
  id: string;
  prompt_id: string;
  environment: string;
  status: string;
  mode: string;
  phase: number;
  started_at: string | Date | null;
  coverage: number;
  namespace: string | null;
  namespace_start: number | null;
  namespace_end: number | null;
  seed: string | null;
  weights: Record<string, number> | null;
  compositions: Record<string, string> | null;
  key: string;
  version: number;
};

/**
 * The experiments a batch may count for, with what assigning its subjects needs: the current phase's seed
 * and weights, the coverage and namespace share, and (bandits) the stored assignments of `subjects`.
 */
export async function experimentsFor(
  db: Db,
  projectId: string,
  ids: string[],
  promptIds: string[],
  subjects: string[] = [],
): Promise<ExperimentInfo[]> {
  if (!ids.length && !promptIds.length) return [];
  const rows = await queryRows<ExperimentRow>(
    db,
    sql`
    select e.id, e.prompt_id, en.name as environment, e.status, e.mode, e.phase, e.started_at, e.coverage,
           e.namespace, e.namespace_start, e.namespace_end, ph.seed, ph.weights, ph.compositions, v.key, v.version
    from experiments e join environments en on en.id = e.environment_id join experiment_variants v on v.experiment_id = e.id
      left join experiment_phases ph on ph.experiment_id = e.id and ph.phase = e.phase
    where e.project_id = ${projectId}
      and (${ids.length ? sql`e.id in ${ids}` : sql`false`} or (${promptIds.length ? sql`e.prompt_id in ${promptIds}` : sql`false`} and e.status = 'running'))
    order by v.position`,
  );
  const byId = new Map<string, { info: ExperimentInfo; rows: ExperimentRow[] }>();
  for (const r of rows) {
    const id = String(r.id);
    const e = byId.get(id) ?? {
      info: {
        id,
        promptId: String(r.prompt_id),
        environment: String(r.environment),
        status: String(r.status),
        phase: Number(r.phase),
        startedAt: r.started_at ? new Date(r.started_at) : null,
        variants: [],
        compositions: r.compositions,
        assigned: null,
      },
      rows: [],
    };
    e.info.variants.push({ key: String(r.key), version: Number(r.version) });
    e.rows.push(r);
    byId.set(id, e);
  }
  const bandits = [...byId.values()].filter((e) => e.rows[0]!.mode === "bandit").map((e) => e.info.id);
  const stored = await storedAssignments(db, bandits, subjects);
  for (const { info, rows: rs } of byId.values()) {
    const first = rs[0]!;
    if (first.seed === null || first.weights === null) continue; // not started: no phase yet
    if (first.mode === "bandit") {
      info.assigned = (subject) => stored.get(`${info.id}|${subject}`) ?? null;
      continue;
    }
    const assign: AssignFn = compileAssignment({
      seed: first.seed,
      coverage: Number(first.coverage),
      namespace:
        first.namespace === null
          ? null
          : { name: first.namespace, range: [Number(first.namespace_start), Number(first.namespace_end)] },
      variants: rs.map((r) => ({ key: String(r.key), weight: Number(first.weights![r.key] ?? 0) })),
    });
    info.assigned = (subject) => assign(subject)?.key ?? null;
  }
  return [...byId.values()].map((e) => e.info);
}

/** The stored (bandit) assignments of `subjects` in `experimentIds`, by "experimentId|subject". */
async function storedAssignments(db: Db, experimentIds: string[], subjects: string[]): Promise<Map<string, string>> {
  if (!experimentIds.length || !subjects.length) return new Map();
  const rows = await queryRows<{ experiment_id: string; subject: string; variant_key: string }>(
    db,
    sql`select experiment_id, subject, variant_key from experiment_assignments
        where experiment_id = any(${sql.param(experimentIds)}::uuid[]) and subject = any(${sql.param([...new Set(subjects)])}::text[])`,
  );
  return new Map(rows.map((r) => [`${r.experiment_id}|${r.subject}`, r.variant_key]));
}

/**
 * Which experiment arm an event counts for. An event that names its experiment claims an arm: the claim is
 * returned (after the checks that make it a bad event: no such experiment, variant or phase) and counts only if
 * the server served that arm (verifyClaims, lib/experiments/served-claims.ts), else it is counted apart. An event that
 * names none counts for the running experiment whose variant serves its version in the event's environment, if
 * the event is dated at or after that experiment's start. An event from before the start happened outside the
 * experiment (the subject was not yet assigned, whatever version it saw): it stays the subject's history, which
 * CUPED reads as its covariate. Implicitly, an event counts only when its subject is in the experiment and
 * assigned that variant (resolve's hash, or a bandit's stored assignment): a subject outside the coverage or the
 * namespace share is served the control's version with no exposure, and counting it in the control arm would
 * bias the control. An exposure is attributed by its version alone, so that one the subject's assignment
 * contradicts is refused (checkExposures), not dropped.
 */
export function attribute(
  e: MetricEvent,
  promptId: string,
  at: Date,
  exps: ExperimentInfo[],
): Attribution | NamedClaim | EventProblem["field"][] | null {
  if (e.experimentId) {
    const x = exps.find((c) => c.id === e.experimentId);
    if (!x) return ["experimentId", `no experiment ${e.experimentId} in this project`];
    if (x.promptId !== promptId) return ["experimentId", `experiment ${e.experimentId} is not on prompt ${e.prompt}`];
    const v = e.variant ? x.variants.find((c) => c.key === e.variant) : x.variants.find((c) => c.version === e.version);
    if (!v)
      return e.variant
        ? ["variant", `experiment ${x.id} has no variant ${e.variant}`]
        : ["version", `version ${e.version} is not a variant of experiment ${x.id}`];
    if (e.phase !== undefined && e.phase > x.phase) return ["phase", `experiment ${x.id} is in phase ${x.phase}`];
    return { experimentId: x.id, phase: e.phase ?? null, variant: v.key, named: true };
  }
  const environment = e.environment ?? defaultEnvironment;
  const x = exps.find((c) => c.status === "running" && c.promptId === promptId && c.environment === environment);
  if (!x?.startedAt || at < x.startedAt) return null;
  const v = x.variants.find((c) => c.version === e.version);
  if (!v) return null;
  // An exposure claims the subject was served this variant: checkExposures refuses it when untrue.
  if (e.type !== "exposure" && (!e.subject || x.assigned?.(e.subject) !== v.key)) return null;
  return { experimentId: x.id, phase: x.phase, variant: v.key, partials: x.compositions?.[v.key] ?? null };
}
