// How long until the planned sample, at the pace of the last hour: new subjects per hour from the
// hourly exposure aggregates (the current hour counted in full, the hour before prorated by how much
// of it lies within the last 60 minutes), in the arm that fills slowest. Pure.

export interface Eta {
  /** New subjects in the last hour, per arm (the slowest arm's pace decides). */
  perHour: number;
  /** Hours until every arm reaches the planned sample at that pace; null when nothing arrives or no plan. */
  hoursLeft: number | null;
}

const HOUR = 3_600_000;

/** `buckets`: new subjects per arm and hour (bucket = the hour's start). */
export function etaToPlan(
  buckets: readonly { variant: string; bucket: Date; subjects: number }[],
  arms: readonly string[],
  stillNeededPerArm: number | null,
  now: Date,
  startedAt: Date | null,
): Eta {
  const from = Math.max(now.getTime() - HOUR, startedAt?.getTime() ?? 0);
  const span = Math.max(now.getTime() - from, 60_000) / HOUR;
  const rates = arms.map((arm) => {
    let n = 0;
    for (const b of buckets) {
      if (b.variant !== arm) continue;
      // Subjects of an hour arrived between its start (or the experiment's) and its end (or now).
      const start = Math.max(b.bucket.getTime(), startedAt?.getTime() ?? 0);
      const end = Math.min(b.bucket.getTime() + HOUR, now.getTime());
      const overlap = Math.max(0, end - Math.max(start, from));
      const length = Math.max(end - start, 1);
      n += b.subjects * Math.min(1, overlap / length);
    }
    return n / span;
  });
  const perHour = arms.length ? Math.min(...rates) : 0;
  if (!stillNeededPerArm) return { perHour, hoursLeft: stillNeededPerArm === 0 ? 0 : null };
  return { perHour, hoursLeft: perHour > 0 ? stillNeededPerArm / perHour : null };
}
