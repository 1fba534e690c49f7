// How long until the planned sample, at the pace of the last hour: new subjects per hour in the arm that
// fills slowest, from the hourly exposure aggregates. An hour's new subjects arrived between its first and
// its last exposure (kept with the count), so only the part of that span inside the last 60 minutes counts:
// traffic that stopped 50 minutes ago is not a pace. Rows without those times (written before they were
// kept) are spread over their hour. Pure.

export interface Eta {
  /** New subjects in the last hour, per arm (the slowest arm's pace decides). */
  perHour: number;
  /** Hours until every arm reaches the planned sample at that pace; null when nothing arrives or no plan. */
  hoursLeft: number | null;
  /** When the newest subject of the phase arrived, in any arm (ISO); null when none did or it is not known. */
  lastExposureAt: string | null;
  /**
   * The last hour's subjects all arrived within a minute and none since (seeded, imported or replayed at once,
   * like the demo's first users): they say nothing about the pace, so no time is projected from them.
   */
  burst: { subjects: number; at: string } | null;
}

/** At least this many subjects within a minute, and nothing after, is a burst, not a pace. */
const BURST_SUBJECTS = 50;
const MINUTE = 60_000;

const HOUR = 3_600_000;

export type ArmHour = { variant: string; bucket: Date; subjects: number; firstAt?: Date | null; lastAt?: Date | null };

/** Subjects of one hour's row that arrived in [from, to]. */
function arrivedBetween(b: ArmHour, from: number, to: number, startedAt: number): number {
  if (b.firstAt && b.lastAt) {
    const [first, last] = [b.firstAt.getTime(), b.lastAt.getTime()];
    if (last <= first) return first >= from && first <= to ? b.subjects : 0;
    return (b.subjects * Math.max(0, Math.min(last, to) - Math.max(first, from))) / (last - first);
  }
  // Subjects of an hour arrived between its start (or the experiment's) and its end (or now).
  const start = Math.max(b.bucket.getTime(), startedAt);
  const end = Math.min(b.bucket.getTime() + HOUR, to);
  const overlap = Math.max(0, end - Math.max(start, from));
  return b.subjects * Math.min(1, overlap / Math.max(end - start, 1));
}

/** `buckets`: new subjects per arm and hour (bucket = the hour's start), with their first and last arrival. */
export function etaToPlan(
  buckets: readonly ArmHour[],
  arms: readonly string[],
  stillNeededPerArm: number | null,
  now: Date,
  startedAt: Date | null,
): Eta {
  const started = startedAt?.getTime() ?? 0;
  const from = Math.max(now.getTime() - HOUR, started);
  const span = Math.max(now.getTime() - from, 60_000) / HOUR;
  const rates = arms.map(
    (arm) =>
      buckets
        .filter((b) => b.variant === arm)
        .reduce((n, b) => n + arrivedBetween(b, from, now.getTime(), started), 0) / span,
  );
  const last = Math.max(...buckets.map((b) => b.lastAt?.getTime() ?? -Infinity));
  const lastExposureAt = Number.isFinite(last) ? new Date(last).toISOString() : null;
  const burst = burstIn(buckets, from, now.getTime());
  const perHour = burst ? 0 : arms.length ? Math.min(...rates) : 0;
  if (!stillNeededPerArm) return { perHour, hoursLeft: stillNeededPerArm === 0 ? 0 : null, lastExposureAt, burst };
  return { perHour, hoursLeft: perHour > 0 ? stillNeededPerArm / perHour : null, lastExposureAt, burst };
}

/** The window's arrivals when they all came within one minute, that minute is over, and there are enough of them. */
function burstIn(buckets: readonly ArmHour[], from: number, now: number): Eta["burst"] {
  const inWindow = buckets.filter((b) => b.lastAt && b.firstAt && b.lastAt.getTime() >= from);
  if (!inWindow.length) return null;
  const first = Math.min(...inWindow.map((b) => Math.max(b.firstAt!.getTime(), from)));
  const last = Math.max(...inWindow.map((b) => b.lastAt!.getTime()));
  const subjects = inWindow.reduce((n, b) => n + b.subjects, 0);
  return last - first < MINUTE && now - last > MINUTE && subjects >= BURST_SUBJECTS
    ? { subjects, at: new Date(first).toISOString() }
    : null;
}
