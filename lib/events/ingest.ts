// Metric events in: validated as a batch (any bad event → 422 listing each, nothing stored), stored
// once per client id, and folded into the aggregates results are read from — all in one transaction,
// so an acknowledged batch is durable and counted exactly once.
//
// Aggregation keeps per subject and metric the count and sum of its values (a subject's value is
// their mean), and per arm, metric and hour the sufficient statistics of subject means. Both upserts
// add deltas (commutative), so concurrent batches need no read-then-write.
import { and, eq, inArray, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { experimentArmStats, prompts, versionMetricStats } from "../../db/schema";
import { AppError } from "../errors";
import {
  eventData,
  hourBucket,
  metricsOf,
  parseEvents,
  type EventProblem,
  type MetricEvent,
} from "../experiments/events";
import { recordExposures, type Exposure } from "../experiments/exposures";
import { checkExposures } from "../experiments/exposure-check";
import { sampleOutputs } from "../evaluation/online/sampling";

type Attribution = { experimentId: string; phase: number; variant: string };
type ExperimentInfo = {
  id: string;
  promptId: string;
  environment: string;
  status: string;
  phase: number;
  variants: { key: string; version: number }[];
};

const defaultEnvironment = "production";
const maxFutureMs = 5 * 60_000;

async function experimentsFor(
  db: Db,
  projectId: string,
  ids: string[],
  promptIds: string[],
): Promise<ExperimentInfo[]> {
  if (!ids.length && !promptIds.length) return [];
  const rows = await db.execute(sql`
    select e.id, e.prompt_id, en.name as environment, e.status, e.phase, v.key, v.version
    from experiments e join environments en on en.id = e.environment_id join experiment_variants v on v.experiment_id = e.id
    where e.project_id = ${projectId}
      and (${ids.length ? sql`e.id in ${ids}` : sql`false`} or (${promptIds.length ? sql`e.prompt_id in ${promptIds}` : sql`false`} and e.status = 'running'))
    order by v.position`);
  const byId = new Map<string, ExperimentInfo>();
  for (const r of (rows as unknown as { rows: Record<string, unknown>[] }).rows) {
    const id = String(r.id);
    const e = byId.get(id) ?? {
      id,
      promptId: String(r.prompt_id),
      environment: String(r.environment),
      status: String(r.status),
      phase: Number(r.phase),
      variants: [],
    };
    e.variants.push({ key: String(r.key), version: Number(r.version) });
    byId.set(id, e);
  }
  return [...byId.values()];
}

/** Which experiment arm an event counts for: the one it names, or the running one whose variant serves its version. */
function attribute(
  e: MetricEvent,
  promptId: string,
  exps: ExperimentInfo[],
): Attribution | EventProblem["field"][] | null {
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
    return { experimentId: x.id, phase: e.phase ?? x.phase, variant: v.key };
  }
  const environment = e.environment ?? defaultEnvironment;
  const x = exps.find((c) => c.status === "running" && c.promptId === promptId && c.environment === environment);
  const v = x?.variants.find((c) => c.version === e.version);
  return x && v ? { experimentId: x.id, phase: x.phase, variant: v.key } : null;
}

export async function ingestEvents(
  db: Db,
  projectId: string,
  raw: unknown,
  now = new Date(),
  /** The environments the sending key is limited to (null: all), as resolve refuses the others. */
  allowed: readonly string[] | null = null,
): Promise<{ accepted: number; duplicates: number }> {
  const parsed = parseEvents(raw);
  const problems: EventProblem[] = parsed.problems;
  if (problems.some((p) => p.index < 0)) throw invalid(problems);
  if (allowed) {
    const outside = parsed.events.find(({ event }) => !allowed.includes(event.environment ?? defaultEnvironment));
    if (outside) {
      const environment = outside.event.environment ?? defaultEnvironment;
      throw new AppError(
        "forbidden",
        `This API key may only send events for ${allowed.join(", ")}; events[${outside.index}] is for ${environment}. Nothing was stored.`,
        { field: `events[${outside.index}].environment`, environment, allowed: [...allowed] },
      );
    }
  }
  const events = parsed.events.map((x) => x.event);
  const total = (raw as { events: unknown[] }).events.length;

  const names = [...new Set(events.map((e) => e.prompt))];
  const promptRows = await db
    .select({ id: prompts.id, name: prompts.name, latest: prompts.latestVersion })
    .from(prompts)
    .where(and(eq(prompts.projectId, projectId), inArray(prompts.name, names)));
  const promptByName = new Map(promptRows.map((p) => [p.name, p]));
  const exps = await experimentsFor(
    db,
    projectId,
    [...new Set(events.flatMap((e) => (e.experimentId ? [e.experimentId] : [])))],
    promptRows.map((p) => p.id),
  );

  const routed: { e: MetricEvent; promptId: string; at: Date; attribution: Attribution | null }[] = [];
  const indexOf = new Map<(typeof routed)[number], number>();
  parsed.events.forEach(({ event: e, index }) => {
    const problem = (field: string, message: string) => problems.push({ index, field, message });
    const p = promptByName.get(e.prompt);
    if (!p) return problem("prompt", `no prompt named ${e.prompt} in this project`);
    if (e.version > p.latest) return problem("version", `${e.prompt} has no version ${e.version}`);
    const at = e.at ? new Date(e.at) : now;
    if (at.getTime() > now.getTime() + maxFutureMs) return problem("at", "at is in the future");
    const attribution = attribute(e, p.id, exps);
    if (Array.isArray(attribution)) return problem(attribution[0]!, attribution[1]!);
    const r = { e, promptId: p.id, at, attribution };
    routed.push(r);
    indexOf.set(r, index);
  });
  if (!problems.length) {
    const claims = routed.flatMap(({ e, attribution }, i) =>
      e.type === "exposure" && attribution
        ? [{ index: indexOf.get(routed[i]!)!, ...attribution, subject: e.subject }]
        : [],
    );
    problems.push(...(await checkExposures(db, claims)));
  }
  if (problems.length) throw invalid(problems.sort((a, b) => a.index - b.index));

  // The first of several events with one id in a batch counts; the others are duplicates like any resend.
  const unique = new Map<string, (typeof routed)[number]>();
  for (const r of routed) if (!unique.has(r.e.id)) unique.set(r.e.id, r);
  const batch = [...unique.values()];

  return db.transaction(async (tx) => {
    // One statement with one array per column (unnest): the per-value work of a 500-row VALUES list
    // (building, binding and planning thousands of parameters) was most of an ingest's cost.
    const inserted = await queryRows<{ event_id: string }>(
      tx,
      sql`insert into metric_events (project_id, event_id, type, prompt_id, version, environment, experiment_id, phase, variant_key, subject, at, data)
          select ${projectId}::uuid, * from unnest(
            ${column(batch, (r) => r.e.id)}::text[], ${column(batch, (r) => r.e.type)}::text[], ${column(batch, (r) => r.promptId)}::uuid[],
            ${column(batch, (r) => r.e.version)}::int[], ${column(batch, (r) => r.e.environment ?? defaultEnvironment)}::text[],
            ${column(batch, (r) => r.attribution?.experimentId ?? null)}::uuid[], ${column(batch, (r) => r.attribution?.phase ?? null)}::int[],
            ${column(batch, (r) => r.attribution?.variant ?? null)}::text[], ${column(batch, (r) => r.e.subject)}::text[],
            ${column(batch, (r) => r.at.toISOString())}::timestamptz[], ${column(batch, (r) => JSON.stringify(eventData(r.e)))}::jsonb[])
          on conflict (project_id, event_id) do nothing
          returning event_id`,
    );
    const fresh = new Set(inserted.map((r) => r.event_id));
    const counted = batch.filter((r) => fresh.has(r.e.id));
    await aggregate(tx, counted);
    // Online evaluation samples production outputs in the same transaction: acknowledged means queued for scoring.
    await sampleOutputs(
      tx,
      projectId,
      counted.flatMap(({ e, promptId, at }) =>
        e.type === "generation" && e.output !== undefined
          ? [
              {
                eventId: e.id,
                promptId,
                version: e.version,
                environment: e.environment ?? defaultEnvironment,
                subject: e.subject,
                input: e.input ?? null,
                output: e.output,
                at,
              },
            ]
          : [],
      ),
    );
    return { accepted: fresh.size, duplicates: total - fresh.size };
  });
}

/** One query parameter holding a column's values, for `unnest($n::type[])`. */
function column<T>(rows: readonly T[], pick: (row: T) => unknown) {
  return sql.param(rows.map(pick));
}

function invalid(problems: EventProblem[]): AppError {
  const first = problems[0]!;
  const where = first.index >= 0 ? `events[${first.index}].${first.field}` : first.field;
  return new AppError(
    "unprocessable",
    `${problems.length} invalid event${problems.length === 1 ? "" : "s"}; nothing was stored. First: ${where}: ${first.message}`,
    {
      field: where,
      problems: problems.map((p) => ({ index: p.index, field: p.field, message: p.message })),
    },
  );
}

type Routed = { e: MetricEvent; promptId: string; at: Date; attribution: Attribution | null };

async function aggregate(tx: Db, counted: Routed[]) {
  const exposures: Exposure[] = [];
  const subjects = new Map<
    string,
    {
      experimentId: string;
      phase: number;
      variantKey: string;
      metric: string;
      subject: string;
      count: number;
      sum: number;
      bucket: Date;
    }
  >();
  const versions = new Map<
    string,
    {
      promptId: string;
      version: number;
      environment: string;
      metric: string;
      bucket: Date;
      n: number;
      sum: number;
      sumSq: number;
    }
  >();
  for (const { e, promptId, at, attribution } of counted) {
    if (attribution && e.type === "exposure") exposures.push({ ...attribution, subject: e.subject, at });
    for (const m of metricsOf(e)) {
      if (attribution) {
        const key = `${attribution.experimentId}|${attribution.phase}|${attribution.variant}|${m.name}|${e.subject}`;
        const s = subjects.get(key) ?? {
          experimentId: attribution.experimentId,
          phase: attribution.phase,
          variantKey: attribution.variant,
          metric: m.name,
          subject: e.subject,
          count: 0,
          sum: 0,
          bucket: hourBucket(at),
        };
        s.count++;
        s.sum += m.value;
        if (at < s.bucket) s.bucket = hourBucket(at);
        subjects.set(key, s);
      }
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
    }
  }
  if (exposures.length) await recordExposures(tx, exposures);
  // Sorted keys: concurrent batches lock rows in the same order (no deadlocks).
  const subjectRows = [...subjects.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  if (subjectRows.length) {
    const updated = (
      await queryRows<{
        experiment_id: string;
        phase: number;
        variant_key: string;
        metric: string;
        subject: string;
        count: string | number;
        sum: number;
        bucket: string | Date;
      }>(
        tx,
        sql`insert into experiment_subject_stats (experiment_id, phase, variant_key, metric, subject, count, sum, bucket)
            select * from unnest(
              ${column(subjectRows, (r) => r.experimentId)}::uuid[], ${column(subjectRows, (r) => r.phase)}::int[], ${column(subjectRows, (r) => r.variantKey)}::text[],
              ${column(subjectRows, (r) => r.metric)}::text[], ${column(subjectRows, (r) => r.subject)}::text[], ${column(subjectRows, (r) => r.count)}::bigint[],
              ${column(subjectRows, (r) => r.sum)}::float8[], ${column(subjectRows, (r) => r.bucket.toISOString())}::timestamptz[])
            on conflict (experiment_id, phase, variant_key, metric, subject)
              do update set count = experiment_subject_stats.count + excluded.count, sum = experiment_subject_stats.sum + excluded.sum
            returning experiment_id, phase, variant_key, metric, subject, count, sum, bucket`,
      )
    ).map((r) => ({
      experimentId: r.experiment_id,
      phase: r.phase,
      variantKey: r.variant_key,
      metric: r.metric,
      subject: r.subject,
      count: Number(r.count),
      sum: Number(r.sum),
      bucket: new Date(r.bucket),
    }));
    const arms = new Map<
      string,
      {
        experimentId: string;
        phase: number;
        variantKey: string;
        metric: string;
        bucket: Date;
        n: number;
        sum: number;
        sumSq: number;
      }
    >();
    for (const r of updated) {
      const added = subjects.get(`${r.experimentId}|${r.phase}|${r.variantKey}|${r.metric}|${r.subject}`)!;
      const oldCount = Number(r.count) - added.count;
      const oldMean = oldCount > 0 ? (r.sum - added.sum) / oldCount : 0;
      const newMean = r.sum / Number(r.count);
      const key = `${r.experimentId}|${r.phase}|${r.variantKey}|${r.metric}|${r.bucket.getTime()}`;
      const a = arms.get(key) ?? {
        experimentId: r.experimentId,
        phase: r.phase,
        variantKey: r.variantKey,
        metric: r.metric,
        bucket: r.bucket,
        n: 0,
        sum: 0,
        sumSq: 0,
      };
      a.n += oldCount === 0 ? 1 : 0;
      a.sum += newMean - oldMean;
      a.sumSq += newMean * newMean - (oldCount > 0 ? oldMean * oldMean : 0);
      arms.set(key, a);
    }
    const armRows = [...arms.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
    await tx
      .insert(experimentArmStats)
      .values(armRows)
      .onConflictDoUpdate({
        target: [
          experimentArmStats.experimentId,
          experimentArmStats.phase,
          experimentArmStats.variantKey,
          experimentArmStats.metric,
          experimentArmStats.bucket,
        ],
        set: {
          n: sql`${experimentArmStats.n} + excluded.n`,
          sum: sql`${experimentArmStats.sum} + excluded.sum`,
          sumSq: sql`${experimentArmStats.sumSq} + excluded.sum_sq`,
        },
      });
  }
  const versionRows = [...versions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
  if (versionRows.length)
    await tx
      .insert(versionMetricStats)
      .values(versionRows)
      .onConflictDoUpdate({
        target: [
          versionMetricStats.promptId,
          versionMetricStats.version,
          versionMetricStats.environment,
          versionMetricStats.metric,
          versionMetricStats.bucket,
        ],
        set: {
          n: sql`${versionMetricStats.n} + excluded.n`,
          sum: sql`${versionMetricStats.sum} + excluded.sum`,
          sumSq: sql`${versionMetricStats.sumSq} + excluded.sum_sq`,
        },
      });
}
