// What the server served, checked against what an event claims (docs/decisions/unattributed-events.md): an event that
// names an experiment counts in the arm it names only when the server assigned its subject that arm in the phase it
// names — an exposure it recorded, else the assignment recomputed (a bandit's stored one, else the phase's hash) — and
// only when it is dated in that phase's window (from the phase's start, less clock skew, to the experiment's stop).
// Any other is kept and counted apart, with its reason (experiment_unattributed), never in an arm's sums.
// One statement per batch: each claim is an index probe into the phases, the exposures and (bandits) the
// stored assignments, whatever the number of subjects the experiment has.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { compileAssignment, type AssignFn } from "./assign";

/**
 * How far before its phase began an event may be dated and still count in it: clocks disagree (the same bound
 * as an event dated in the future, lib/ingest). After the stop there is none: a stopped experiment's numbers
 * stay as they were decided.
 */
export const clockSkewMs = 5 * 60_000;

export const unattributedReasons = ["other_arm", "never_exposed", "before_start", "after_stop"] as const;
export type UnattributedReason = (typeof unattributedReasons)[number];

/** An event's claim on an experiment's arm: the phase it names (null: the one in force at `at`). */
export type ArmClaim = {
  experimentId: string;
  phase: number | null;
  variant: string;
  subject: string;
  at: Date;
  /** An exposure claims the serving itself: only its window is checked here (checkExposures refuses the rest). */
  exposure: boolean;
};

/** What the server served the claim's subject, and when the phase and the experiment ran. */
export type ServedFacts = {
  /** The phase named, or the one in force at `at`; null when none had begun by then. */
  phase: number | null;
  phaseStartedAt: Date | null;
  stoppedAt: Date | null;
  /** The arm of the subject's recorded exposure in that phase, if any. */
  exposed: string | null;
  /** The arm the server assigns the subject in that phase (stored for a bandit, else the hash); null: none. */
  assigned: string | null;
  /** What each arm served in that phase ({<variant>: `name@version,…`}), when the phase recorded it. */
  compositions: Record<string, string> | null;
};

export type ClaimVerdict =
  | { counted: true; phase: number; partials: string | null }
  | { counted: false; phase: number; reason: UnattributedReason; served: string | null; partials: string | null };

/**
 * The rule, pure: counted in the arm named, or why not. The composition returned is the one the phase served
 * the named arm (null when the phase recorded none: the event's own stands).
 */
export function judgeClaim(c: ArmClaim, f: ServedFacts): ClaimVerdict {
  const phase = f.phase ?? 0;
  const partials = f.compositions?.[c.variant] ?? null;
  const apart = (reason: UnattributedReason, served: string | null = null): ClaimVerdict => ({
    counted: false,
    phase,
    reason,
    served,
    partials,
  });
  if (f.phase === null || !f.phaseStartedAt || c.at.getTime() < f.phaseStartedAt.getTime() - clockSkewMs)
    return apart("before_start");
  if (f.stoppedAt && c.at >= f.stoppedAt) return apart("after_stop");
  if (!c.exposure) {
    const served = f.exposed ?? f.assigned;
    if (served === null) return apart("never_exposed");
    if (served !== c.variant) return apart("other_arm", served);
  }
  return { counted: true, phase, partials };
}

type Row = {
  i: number;
  phase: number | null;
  started_at: string | Date | null;
  stopped_at: string | Date | null;
  seed: string | null;
  weights: Record<string, number> | null;
  compositions: Record<string, string> | null;
  mode: string;
  coverage: number;
  namespace: string | null;
  namespace_start: number | null;
  namespace_end: number | null;
  keys: string[];
  exposed: string | null;
  stored: string | null;
};

/** The verdict of each claim, in order, from one statement over the batch. */
export async function verifyClaims(db: Db, claims: ArmClaim[]): Promise<ClaimVerdict[]> {
  if (!claims.length) return [];
  const col = <T>(pick: (c: ArmClaim) => T) => sql.param(claims.map(pick));
  const rows = await queryRows<Row>(
    db,
    sql`with c as (
          select * from unnest(${col((c) => c.experimentId)}::uuid[], ${col((c) => c.phase)}::int[],
            ${col((c) => c.subject)}::text[], ${col((c) => c.at.toISOString())}::timestamptz[])
            with ordinality as c(experiment_id, phase, subject, at, i)
        )
        select c.i::int as i, p.phase, p.started_at, e.stopped_at, p.seed, p.weights, p.compositions, e.mode, e.coverage,
               e.namespace, e.namespace_start, e.namespace_end,
               array(select v.key from experiment_variants v where v.experiment_id = e.id order by v.position) as keys,
               x.variant_key as exposed, a.variant_key as stored
        from c join experiments e on e.id = c.experiment_id
        -- The phase named, else the last one begun by the event's time (the first, when none had: judgeClaim
        -- says whether the event is too early for it).
        left join lateral (
          select p.phase, p.started_at, p.seed, p.weights, p.compositions from experiment_phases p
          where p.experiment_id = c.experiment_id and (c.phase is null or p.phase = c.phase)
          order by p.started_at <= c.at desc, case when p.started_at <= c.at then p.phase end desc nulls last, p.phase
          limit 1) p on true
        left join experiment_exposures x
          on x.experiment_id = c.experiment_id and x.phase = p.phase and x.subject = c.subject
        left join experiment_assignments a
          on e.mode = 'bandit' and a.experiment_id = c.experiment_id and a.subject = c.subject
        order by c.i`,
  );
  // One compiled assignment per experiment and phase in the batch.
  const assigners = new Map<string, AssignFn>();
  const assignerOf = (r: Row, experimentId: string): AssignFn | null => {
    if (r.phase === null || r.seed === null || r.weights === null) return null;
    const key = `${experimentId}|${r.phase}`;
    let fn = assigners.get(key);
    if (!fn) {
      fn = compileAssignment({
        seed: r.seed,
        coverage: Number(r.coverage),
        namespace:
          r.namespace === null
            ? null
            : { name: r.namespace, range: [Number(r.namespace_start), Number(r.namespace_end)] },
        variants: r.keys.map((k) => ({ key: k, weight: Number(r.weights![k] ?? 0) })),
      });
      assigners.set(key, fn);
    }
    return fn;
  };
  const byIndex = new Map(rows.map((r) => [Number(r.i), r]));
  return claims.map((c, n) => {
    const r = byIndex.get(n + 1);
    if (!r)
      return judgeClaim(c, {
        phase: null,
        phaseStartedAt: null,
        stoppedAt: null,
        exposed: null,
        assigned: null,
        compositions: null,
      });
    // Only a bandit stores its subjects' assignments (sticky.ts); the others' are the hash of the phase.
    const assigned = r.mode === "bandit" ? r.stored : (assignerOf(r, c.experimentId)?.(c.subject)?.key ?? null);
    return judgeClaim(c, {
      phase: r.phase === null ? null : Number(r.phase),
      phaseStartedAt: r.started_at ? new Date(r.started_at) : null,
      stoppedAt: r.stopped_at ? new Date(r.stopped_at) : null,
      exposed: r.exposed,
      assigned,
      compositions: r.compositions,
    });
  });
}

/** One event counted apart: the arm it named, the arm its subject was served instead (or null), and why. */
export type ApartEvent = {
  experimentId: string;
  phase: number;
  reason: UnattributedReason;
  variant: string;
  served: string | null;
};

/** Adds events counted apart to experiment_unattributed, per experiment, phase, reason and arms (keys sorted). */
export async function addUnattributed(tx: Db, events: readonly ApartEvent[]): Promise<void> {
  if (!events.length) return;
  const counts = new Map<string, ApartEvent & { events: number }>();
  for (const u of events) {
    const key = `${u.experimentId}|${u.phase}|${u.reason}|${u.variant}|${u.served ?? ""}`;
    counts.set(key, { ...u, events: (counts.get(key)?.events ?? 0) + 1 });
  }
  // Sorted keys: concurrent batches lock rows in the same order (no deadlocks).
  const rows = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  const col = <T>(pick: (r: (typeof rows)[number]) => T) => sql.param(rows.map(pick));
  await tx.execute(
    sql`insert into experiment_unattributed (experiment_id, phase, reason, variant_key, served_key, events)
        select * from unnest(${col((r) => r.experimentId)}::uuid[], ${col((r) => r.phase)}::int[],
          ${col((r) => r.reason)}::text[], ${col((r) => r.variant)}::text[], ${col((r) => r.served ?? "")}::text[],
          ${col((r) => r.events)}::bigint[])
        on conflict (experiment_id, phase, reason, variant_key, served_key)
          do update set events = experiment_unattributed.events + excluded.events`,
  );
}
