// The windows the regression loop compares, read so that nobody can steer an automatic decision by
// sending many events:
//   - the unit is the subject: each subject counts once per metric, with the mean of its latest
//     `perSubjectCap` values, and a window is the `window` subjects seen most recently;
//   - a value counts only when the version it names is one the subject was served: the version was
//     live in the environment at the event's time (or in the 15 minutes before, for calls in
//     flight), or the subject was exposed to it in an experiment on this prompt there;
//   - values without a subject, and values whose version was not served, are counted apart and
//     reported (they never decide a rollback).
import { sql, type SQL } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";

/** The most recent values of one subject that count towards its mean. */
export const perSubjectCap = 20;
/** How far back a claimed version may have been live when the event happened (calls in flight). */
const graceMinutes = 15;

export interface WindowScope {
  promptId: string;
  environmentId: string;
  environment: string;
  version: number;
  /** The newest subjects kept. */
  window: number;
  /** Only values at or after this instant (an experiment's start, a partial's release). */
  since?: Date | null;
  /** Only values before this instant (what a prompt rendered before a partial's release). */
  until?: Date | null;
}

export type { Excluded } from "./contracts";
import type { Excluded } from "./contracts";

export type SubjectMeans = Map<string, number[]>;

/** SQL: the row (alias o, with version, subject and at) names a version its subject was served. */
function served(s: WindowScope): SQL {
  return sql`(exists (
      select 1 from deployments d
      where d.prompt_id = ${s.promptId} and d.environment_id = ${s.environmentId} and d.version = o.version
        and d.created_at <= o.at
        and not exists (
          select 1 from deployments d2
          where d2.prompt_id = d.prompt_id and d2.environment_id = d.environment_id and d2.id > d.id
            and d2.created_at < o.at - make_interval(mins => ${graceMinutes})))
    or exists (
      select 1 from experiment_exposures x
      join experiments e on e.id = x.experiment_id
      join experiment_variants ev on ev.experiment_id = x.experiment_id and ev.key = x.variant_key
      where e.prompt_id = ${s.promptId} and e.environment_id = ${s.environmentId}
        and x.subject = o.subject and ev.version = o.version))`;
}

const since = (s: WindowScope) => (s.since ? s.since.toISOString() : null);
const until = (s: WindowScope) => (s.until ? s.until.toISOString() : null);
/** SQL: the row (alias o) is inside the scope's time range. */
const inRange = (s: WindowScope): SQL =>
  sql`(${since(s)}::timestamptz is null or o.at >= ${since(s)}::timestamptz)
      and (${until(s)}::timestamptz is null or o.at < ${until(s)}::timestamptz)`;

/**
 * What a window read of its scores: the scored samples it scanned, and the samples accepted in its range
 * but not scored yet — `behind` the newest one it read (a gap: the window is not all that arrived before it) or
 * `newer` than it (not arrived in the scored stream yet). Scoring takes samples oldest first, so a gap is a
 * sample being scored or retried; a decision to roll back waits for it.
 */
export type ScoreCut = { samples: number; behind: number; newer: number };

/** Per scorer: each subject's mean score over its latest scored samples of the version. */
export async function scoreWindows(
  db: Db,
  ruleId: string,
  s: WindowScope,
): Promise<{ scores: Map<string, number[]>; excluded: Excluded; cut: ScoreCut }> {
  const scan = s.window * perSubjectCap;
  const rows = await queryRows<{ subject: string; scorer: string; mean: number }>(
    db,
    sql`with recent as (
          select o.id, o.subject, o.at, (o.subject is not null and ${served(s)}) as ok
          from online_samples o
          where o.rule_id = ${ruleId} and o.version = ${s.version} and o.status = 'scored'
            and ${inRange(s)}
          order by o.at desc, o.id desc
          limit ${scan}),
        ranked as (
          select id, subject, at, row_number() over (partition by subject order by at desc, id desc) as k
          from recent where ok),
        subjects as (select subject from ranked group by subject order by max(at) desc limit ${s.window})
        select r.subject, sc.scorer, avg(sc.score)::float8 as mean
        from ranked r
        join subjects using (subject)
        join online_scores sc on sc.sample_id = r.id
        where r.k <= ${perSubjectCap} and sc.score is not null
        group by r.subject, sc.scorer`,
  );
  const [counts] = await queryRows<{ anonymous: number; unverified: number; samples: number; newest: string | null }>(
    db,
    sql`select count(*) filter (where o.subject is null)::int as anonymous,
               count(*) filter (where o.subject is not null and not ${served(s)})::int as unverified,
               count(*)::int as samples, max(o.id)::text as newest
        from (select * from online_samples o
              where o.rule_id = ${ruleId} and o.version = ${s.version} and o.status = 'scored'
                and ${inRange(s)}
              order by o.at desc, o.id desc limit ${scan}) o`,
  );
  // The samples still to score are a short queue (index on status, id): cheap to count beside the window.
  const newest = counts?.newest ?? null;
  const [waiting] = await queryRows<{ behind: number; newer: number }>(
    db,
    sql`select count(*) filter (where ${newest}::bigint is not null and o.id < ${newest}::bigint)::int as behind,
               count(*) filter (where ${newest}::bigint is null or o.id > ${newest}::bigint)::int as newer
        from online_samples o
        where o.status = 'pending' and o.rule_id = ${ruleId} and o.version = ${s.version} and ${inRange(s)}`,
  );
  const scores = new Map<string, number[]>();
  for (const r of rows) scores.set(r.scorer, [...(scores.get(r.scorer) ?? []), Number(r.mean)]);
  return {
    scores,
    excluded: { anonymous: counts?.anonymous ?? 0, unverified: counts?.unverified ?? 0 },
    cut: { samples: counts?.samples ?? 0, behind: waiting?.behind ?? 0, newer: waiting?.newer ?? 0 },
  };
}

/** The metrics of feedback and outcome events, on 0–1: thumbs, rating ((r − 1) / 4), completed or a named outcome. */
function signalValues(type: string, data: Record<string, unknown>): [string, "binary" | "continuous", number][] {
  const out: [string, "binary" | "continuous", number][] = [];
  if (type === "feedback") {
    if (data.value === 0 || data.value === 1) out.push(["thumbs", "binary", data.value]);
    if (typeof data.rating === "number") out.push(["rating", "continuous", (data.rating - 1) / 4]);
  } else if (type === "outcome" && typeof data.value === "boolean")
    out.push([typeof data.name === "string" ? data.name : "completed", "binary", data.value ? 1 : 0]);
  return out;
}

/** Per signal metric: each subject's mean over its latest events for the version. */
export async function signalWindows(
  db: Db,
  projectId: string,
  signals: readonly string[],
  s: WindowScope,
): Promise<{
  signals: Map<string, { kind: "binary" | "continuous"; values: number[] }>;
  excluded: Excluded;
  /** The feedback and outcome events read (metric events are counted as they are accepted: nothing waits). */
  events: number;
}> {
  const out = new Map<string, { kind: "binary" | "continuous"; values: number[] }>();
  const excluded: Excluded = { anonymous: 0, unverified: 0 };
  if (!signals.length) return { signals: out, excluded, events: 0 };
  const scan = s.window * perSubjectCap;
  const rows = await queryRows<{ subject: string | null; type: string; data: Record<string, unknown>; ok: boolean }>(
    db,
    sql`select o.subject, o.type, o.data, (o.subject is not null and ${served(s)}) as ok
        from (select * from metric_events o
              where o.project_id = ${projectId} and o.prompt_id = ${s.promptId} and o.version = ${s.version}
                and o.environment = ${s.environment} and o.type in ${[...signals]}
                and ${inRange(s)}
              order by o.at desc, o.id desc limit ${scan}) o`,
  );
  // Rows are newest first: a subject's first rows are its latest, and subjects appear in order of recency.
  const perSubject = new Map<string, Map<string, { kind: "binary" | "continuous"; values: number[] }>>();
  for (const r of rows) {
    if (r.subject === null) excluded.anonymous++;
    else if (!r.ok) excluded.unverified++;
    if (r.subject === null || !r.ok) continue;
    if (!perSubject.has(r.subject)) {
      if (perSubject.size >= s.window) continue;
      perSubject.set(r.subject, new Map());
    }
    const metrics = perSubject.get(r.subject)!;
    for (const [name, kind, value] of signalValues(r.type, r.data)) {
      const m = metrics.get(name) ?? { kind, values: [] };
      if (m.values.length < perSubjectCap) m.values.push(value);
      metrics.set(name, m);
    }
  }
  for (const metrics of perSubject.values())
    for (const [name, m] of metrics) {
      const agg = out.get(name) ?? { kind: m.kind, values: [] };
      agg.values.push(m.values.reduce((a, b) => a + b, 0) / m.values.length);
      out.set(name, agg);
    }
  return { signals: out, excluded, events: rows.length };
}

/** How many distinct subjects have scored samples of a version in a rule (whether a version "served its window"). */
export async function scoredSubjects(db: Db, ruleId: string, s: Omit<WindowScope, "window">): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    db,
    sql`select count(distinct o.subject)::int as n from online_samples o
        where o.rule_id = ${ruleId} and o.version = ${s.version} and o.status = 'scored' and o.subject is not null
          and ${served({ ...s, window: 0 })}`,
  );
  return row?.n ?? 0;
}
