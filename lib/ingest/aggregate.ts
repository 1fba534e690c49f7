// Folding counted events into the aggregates results are read from: per subject and metric the count and
// sum of its values (a subject's value is their mean), per arm, metric and hour the sufficient statistics
// of subject means, and per version, metric and day the plain moments. Every upsert adds deltas
// (commutative), so concurrent batches need no read-then-write; keys are sorted so they lock in one order.
import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { upsertSubjects, type ArmRow, type SubjectRow } from "./aggregate-subjects";
import { hourBucket, metricsOf, type MetricEvent } from "../experiments/metric-events";
import { addUnattributed } from "../experiments/served-claims";
import { insertExposures, type ArmExposureCount, type Exposure } from "../experiments/exposures";
import { ratioDeltas, type RatioDelta } from "../experiments/analysis/ratio-stats";
import { defaultEnvironment, type Attribution, type Unattributed } from "./attribution";
import { latencyBin } from "../stats/latency-bins";

export { column } from "./aggregate-subjects";

/** `unattributed`: an arm the event named that the server did not serve its subject (counted apart, in no arm). */
export type Routed = {
  e: MetricEvent;
  promptId: string;
  at: Date;
  attribution: Attribution | null;
  unattributed?: Unattributed | null;
};

export async function aggregate(tx: Db, counted: Routed[]) {
  const { exposures, subjects, versions, latency, apart } = fold(counted);
  // Rows of one subject first; rows every batch of an experiment shares (its arms', its prompt's) last, in one
  // order (arm exposures, ratios, arms, versions), so that concurrent batches wait on each other only briefly.
  const { counts: armExposures } = await insertExposures(tx, exposures);
  let ratios: RatioDelta[] = [];
  let armRows: ArmRow[] = [];
  // Sorted keys: concurrent batches lock rows in the same order (no deadlocks).
  const subjectRows = byKey(subjects);
  if (subjectRows.length) {
    armRows = await upsertSubjects(tx, subjectRows);
    ratios = await ratioDeltas(
      tx,
      subjectRows.map((r) => ({ ...r, addedCount: r.count, addedSum: r.sum })),
    );
  }
  // Shared by every batch naming the experiment's arms too: locked late, briefly, in one order (keys sorted).
  await addUnattributed(tx, apart);
  await addSharedSums(tx, armExposures, ratios, armRows, byKey(versions), byKey(latency));
}

const byKey = <T>(rows: Map<string, T>) => [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);

/** The batch's events summed in memory, per subject, per version and day, per latency bin. */
function fold(counted: Routed[]) {
  const exposures: Exposure[] = [];
  const subjects = new Map<string, SubjectRow>();
  const versions = new Map<string, VersionRow>();
  const latency = new Map<string, LatencyBinRow>();
  const apart: Unattributed[] = [];
  for (const { e, promptId, at, attribution, unattributed } of counted) {
    if (unattributed) apart.push(unattributed);
    if (attribution && e.type === "exposure") exposures.push({ ...attribution, subject: e.subject, at });
    for (const m of metricsOf(e)) {
      if (attribution) addSubjectValue(subjects, attribution, e.subject, m, at);
      const bucket = new Date(Math.floor(at.getTime() / 86_400_000) * 86_400_000);
      const vkey = `${promptId}|${e.version}|${e.environment ?? defaultEnvironment}|${m.name}|${bucket.getTime()}`;
      const v = versions.get(vkey) ?? {
        promptId,
        version: e.version,
        environment: e.environment ?? defaultEnvironment,
        metric: m.name,
        bucket,
        n: 0,
        sum: 0,
        sumSq: 0,
      };
      v.n++;
      v.sum += m.value;
      v.sumSq += m.value * m.value;
      versions.set(vkey, v);
      if (m.name === "latency_ms") {
        const bin = latencyBin(m.value);
        const lkey = `${vkey}|${bin}`;
        const l = latency.get(lkey) ?? { promptId, version: e.version, environment: v.environment, bucket, bin, n: 0 };
        l.n++;
        latency.set(lkey, l);
      }
    }
  }
  return { exposures, subjects, versions, latency, apart };
}

function addSubjectValue(
  subjects: Map<string, SubjectRow>,
  attribution: Attribution,
  subject: string,
  m: { name: string; value: number },
  at: Date,
) {
  const key = `${attribution.experimentId}|${attribution.phase}|${attribution.variant}|${m.name}|${subject}`;
  const s = subjects.get(key) ?? {
    experimentId: attribution.experimentId,
    phase: attribution.phase,
    variantKey: attribution.variant,
    metric: m.name,
    subject,
    count: 0,
    sum: 0,
    bucket: hourBucket(at),
  };
  s.count++;
  s.sum += m.value;
  if (at < s.bucket) s.bucket = hourBucket(at);
  subjects.set(key, s);
}

type LatencyBinRow = { promptId: string; version: number; environment: string; bucket: Date; bin: number; n: number };

type VersionRow = {
  promptId: string;
  version: number;
  environment: string;
  metric: string;
  bucket: Date;
  n: number;
  sum: number;
  sumSq: number;
};

/**
 * The rows every batch shares (arms' and versions' sums), in one call of lectern_add_shared_sums (migration 0039)
 * at the end of the transaction: its four upserts lock those rows in one order, for one round trip.
 */
async function addSharedSums(
  tx: Db,
  armExposures: ArmExposureCount[],
  ratios: RatioDelta[],
  arms: ArmRow[],
  versions: VersionRow[],
  latency: LatencyBinRow[],
) {
  if (!armExposures.length && !ratios.length && !arms.length && !versions.length) return;
  const json = <T>(rows: T[], row: (r: T) => Record<string, unknown>) => JSON.stringify(rows.map(row));
  await tx.execute(
    sql`select lectern_add_shared_sums(${json(armExposures, (r) => ({
      experiment_id: r.experimentId,
      phase: r.phase,
      variant_key: r.variantKey,
      bucket: r.bucket,
      subjects: r.subjects,
      arrivals: r.arrivals,
      first_at: r.firstAt,
      last_at: r.lastAt,
    }))}::json, ${json(ratios, (r) => ({
      experiment_id: r.experimentId,
      scope: r.scope,
      variant_key: r.variantKey,
      ratio: r.ratio,
      n: r.n,
      sum_x: r.sumX,
      sum_y: r.sumY,
      sum_xx: r.sumXX,
      sum_yy: r.sumYY,
      sum_xy: r.sumXY,
    }))}::json, ${json(arms, (r) => ({
      experiment_id: r.experimentId,
      phase: r.phase,
      variant_key: r.variantKey,
      metric: r.metric,
      bucket: r.bucket,
      n: r.n,
      events: r.events,
      sum: r.sum,
      sum_sq: r.sumSq,
      n_prior: r.nPrior,
      sum_prior: r.sumPrior,
      sum_prior_sq: r.sumPriorSq,
      sum_prior_y: r.sumPriorY,
      sum_y_with_prior: r.sumYWithPrior,
    }))}::json, ${json(versions, (r) => ({
      prompt_id: r.promptId,
      version: r.version,
      environment: r.environment,
      metric: r.metric,
      bucket: r.bucket,
      n: r.n,
      sum: r.sum,
      sum_sq: r.sumSq,
    }))}::json, ${json(latency, (r) => ({
      prompt_id: r.promptId,
      version: r.version,
      environment: r.environment,
      bucket: r.bucket,
      bin: r.bin,
      n: r.n,
    }))}::json)`,
  );
}
