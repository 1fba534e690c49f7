// Exposures of HTTP resolves, recorded by the server without ever blocking the answer: buffered in
// memory, deduplicated per subject, and written in bulk (first exposure per subject and phase; the
// per-arm hourly counts follow). flush() on shutdown writes what is pending.
import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { queryRows, type Db } from "../../db/client";
import { experimentArmExposures } from "../../db/schema";

export type Exposure = { experimentId: string; phase: number; variant: string; subject: string; at: Date };

export class ExposureRecorder {
  private pending = new Map<string, Exposure>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  // Subjects already written (per experiment and phase): a busy subject is not re-inserted per request.
  private readonly written = new LRUCache<string, true>({ max: 200_000 });

  constructor(
    private readonly db: () => Db,
    private readonly opts: { flushMs?: number; maxPending?: number; onError?: (e: unknown) => void } = {},
  ) {}

  /**
   * Records that `subject` was served `experiment`'s variant at `atMs`. Called on every resolve of an
   * assigned subject: a repeat (the usual case) builds nothing but the key.
   */
  record(
    experiment: { readonly id: string; readonly phase: number; readonly variant: string },
    subject: string,
    atMs: number,
  ): void {
    const key = `${experiment.id}\u0000${experiment.phase}\u0000${subject}`;
    if (this.written.has(key) || this.pending.has(key)) return;
    this.pending.set(key, {
      experimentId: experiment.id,
      phase: experiment.phase,
      variant: experiment.variant,
      subject,
      at: new Date(atMs),
    });
    if (this.pending.size >= (this.opts.maxPending ?? 1000)) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.opts.flushMs ?? 1000).unref();
  }

  /** Writes everything pending (and waits for a flush already under way). */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending.entries()];
    this.pending.clear();
    this.flushing = this.flushing.then(() => (batch.length ? this.write(batch) : undefined));
    return this.flushing;
  }

  private async write(batch: [string, Exposure][]): Promise<void> {
    try {
      await recordExposures(
        this.db(),
        batch.map(([, e]) => e),
      );
      for (const [key] of batch) this.written.set(key, true);
    } catch (e) {
      // Kept for the next flush: an exposure is not lost because the database blinked.
      for (const [key, x] of batch) if (!this.pending.has(key)) this.pending.set(key, x);
      this.timer ??= setTimeout(() => void this.flush(), (this.opts.flushMs ?? 1000) * 5).unref();
      this.opts.onError?.(e);
    }
  }
}

/**
 * New subjects of an arm in an hour, to add to experiment_arm_exposures, and when the first and last arrived;
 * `arrivals` of them were first seen in the experiment here (in no other phase before).
 */
export type ArmExposureCount = {
  experimentId: string;
  phase: number;
  variantKey: string;
  bucket: Date;
  subjects: number;
  arrivals: number;
  firstAt: Date;
  lastAt: Date;
};

/** Stores first exposures and counts new subjects per arm and hour. Used by the recorder. */
export async function recordExposures(db: Db, exposures: Exposure[]): Promise<number> {
  if (!exposures.length) return 0;
  return db.transaction(async (tx) => {
    const { inserted, counts } = await insertExposures(tx, exposures);
    await addArmExposures(tx, counts);
    return inserted;
  });
}

/**
 * Stores first exposures (a subject's later ones are no-ops) and returns the new subjects per arm and hour.
 * Ingest adds those counts with the other shared sums at the end of its transaction, after its other writes: the
 * arms' rows are shared by every batch, so they are locked for as short a time as possible.
 *
 * A stored row is an arrival when its subject has no row of another phase, stored before or earlier in this batch
 * (the statement's reads see the table as it was before its insert): each subject counts once, in the phase its
 * first stored exposure names, whose split assigned it. Two batches storing one subject in two phases at the same
 * moment may both count it; one index probe per new row.
 */
export async function insertExposures(
  tx: Db,
  exposures: Exposure[],
): Promise<{ inserted: number; counts: ArmExposureCount[] }> {
  if (!exposures.length) return { inserted: 0, counts: [] };
  // Counted per arm and hour by the statement (a few rows back, not one per exposure).
  const counts = (
    await queryRows<{
      experiment_id: string;
      phase: number;
      variant_key: string;
      bucket: string | Date;
      subjects: number;
      arrivals: number;
      first_at: string | Date;
      last_at: string | Date;
    }>(
      tx,
      sql`with input as (
            select * from unnest(${sql.param(exposures.map((e) => e.experimentId))}::uuid[], ${sql.param(exposures.map((e) => e.phase))}::int[],
              ${sql.param(exposures.map((e) => e.subject))}::text[], ${sql.param(exposures.map((e) => e.variant))}::text[],
              ${sql.param(exposures.map((e) => e.at.toISOString()))}::timestamptz[]) as u(experiment_id, phase, subject, variant_key, first_at)
          ), stored as (
            insert into experiment_exposures (experiment_id, phase, subject, variant_key, first_at)
            select * from input
            on conflict do nothing
            returning experiment_id, phase, subject, variant_key, first_at
          ), marked as (
            select s.*, not exists (
                select 1 from experiment_exposures x
                where x.experiment_id = s.experiment_id and x.subject = s.subject and x.phase <> s.phase)
              and not exists (
                select 1 from input i
                where i.experiment_id = s.experiment_id and i.subject = s.subject and i.phase < s.phase) as arrival
            from stored s
          )
          select experiment_id, phase, variant_key, date_trunc('hour', first_at, 'UTC') as bucket, count(*)::int as subjects,
            (count(*) filter (where arrival))::int as arrivals, min(first_at) as first_at, max(first_at) as last_at
          from marked group by 1, 2, 3, 4`,
    )
  ).map((r): ArmExposureCount => ({
    experimentId: r.experiment_id,
    phase: r.phase,
    variantKey: r.variant_key,
    bucket: new Date(r.bucket),
    subjects: r.subjects,
    arrivals: r.arrivals,
    firstAt: new Date(r.first_at),
    lastAt: new Date(r.last_at),
  }));
  // Sorted keys: concurrent batches lock rows in the same order (no deadlocks).
  const key = (c: ArmExposureCount) => `${c.experimentId}|${c.phase}|${c.variantKey}|${c.bucket.getTime()}`;
  return {
    inserted: counts.reduce((n, c) => n + c.subjects, 0),
    counts: counts.sort((a, b) => (key(a) < key(b) ? -1 : 1)),
  };
}
export async function addArmExposures(tx: Db, counts: ArmExposureCount[]): Promise<void> {
  if (!counts.length) return;
  await tx
    .insert(experimentArmExposures)
    .values(counts)
    .onConflictDoUpdate({
      target: [
        experimentArmExposures.experimentId,
        experimentArmExposures.phase,
        experimentArmExposures.variantKey,
        experimentArmExposures.bucket,
      ],
      set: {
        subjects: sql`${experimentArmExposures.subjects} + excluded.subjects`,
        arrivals: sql`${experimentArmExposures.arrivals} + excluded.arrivals`,
        firstAt: sql`least(${experimentArmExposures.firstAt}, excluded.first_at)`,
        lastAt: sql`greatest(${experimentArmExposures.lastAt}, excluded.last_at)`,
      },
    });
}
