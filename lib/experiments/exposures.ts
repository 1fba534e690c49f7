// Exposures of HTTP resolves, recorded by the server without ever blocking the answer: buffered in
// memory, deduplicated per subject, and written in bulk (first exposure per subject and phase; the
// per-arm hourly counts follow). flush() on shutdown writes what is pending.
import { sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { queryRows, type Db } from "../../db/client";
import { experimentArmExposures } from "../../db/schema";
import { hourBucket } from "./events";

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

/** New subjects of an arm in an hour, to add to experiment_arm_exposures, and when the first and last arrived. */
export type ArmExposureCount = {
  experimentId: string;
  phase: number;
  variantKey: string;
  bucket: Date;
  subjects: number;
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
 * Ingest adds those counts with addArmExposures at the end of its transaction, after its other writes: the
 * arms' rows are shared by every batch, so they are locked for as short a time as possible.
 */
export async function insertExposures(
  tx: Db,
  exposures: Exposure[],
): Promise<{ inserted: number; counts: ArmExposureCount[] }> {
  if (!exposures.length) return { inserted: 0, counts: [] };
  const inserted = (
    await queryRows<{ experiment_id: string; phase: number; variant_key: string; first_at: string | Date }>(
      tx,
      sql`insert into experiment_exposures (experiment_id, phase, subject, variant_key, first_at)
          select * from unnest(${sql.param(exposures.map((e) => e.experimentId))}::uuid[], ${sql.param(exposures.map((e) => e.phase))}::int[],
            ${sql.param(exposures.map((e) => e.subject))}::text[], ${sql.param(exposures.map((e) => e.variant))}::text[],
            ${sql.param(exposures.map((e) => e.at.toISOString()))}::timestamptz[])
          on conflict do nothing
          returning experiment_id, phase, variant_key, first_at`,
    )
  ).map((r) => ({ experimentId: r.experiment_id, phase: r.phase, variant: r.variant_key, at: new Date(r.first_at) }));
  const counts = new Map<string, ArmExposureCount>();
  for (const r of inserted) {
    const bucket = hourBucket(r.at);
    const key = `${r.experimentId}|${r.phase}|${r.variant}|${bucket.getTime()}`;
    const c = counts.get(key) ?? {
      experimentId: r.experimentId,
      phase: r.phase,
      variantKey: r.variant,
      bucket,
      subjects: 0,
      firstAt: r.at,
      lastAt: r.at,
    };
    c.subjects++;
    if (r.at < c.firstAt) c.firstAt = r.at;
    if (r.at > c.lastAt) c.lastAt = r.at;
    counts.set(key, c);
  }
  // Sorted keys: concurrent batches lock rows in the same order (no deadlocks).
  return {
    inserted: inserted.length,
    counts: [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v),
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
        firstAt: sql`least(${experimentArmExposures.firstAt}, excluded.first_at)`,
        lastAt: sql`greatest(${experimentArmExposures.lastAt}, excluded.last_at)`,
      },
    });
}
