// What "Lift over time" is computed from (lift-timeline.ts): the hourly aggregates the results already read, or,
// when the data span a few hours only and the page asked for per-subject reads, each subject of the primary
// metric at the time it arrived (its first exposure, else the hour of its first value), so that minutes of data
// are binned by the minute. O(subjects) then, bounded by `maxSubjectRows`; otherwise O(arms × hours).
import { and, eq, inArray } from "drizzle-orm";
import { readTogether, type Db } from "../../../db/client";
import {
  experimentArmExposures,
  experimentArmStats,
  experimentExposures,
  experimentSubjectStats,
} from "../../../db/schema";
import type { CompareOptions } from "../../stats/compare";
import type { CupedMoments } from "../../stats/cuped";
import { HOUR, MINUTE } from "./bins";
import { liftTimeline, subjectRow, type CohortRow, type TimelinePoint } from "./lift-timeline";

type ArmStatsRow = typeof experimentArmStats.$inferSelect;
type ArmExposureRow = typeof experimentArmExposures.$inferSelect;

/** An hour's CUPED moments of an arm and metric, as experiment_arm_stats keeps them. */
export const cupedMomentsOf = (s: ArmStatsRow): CupedMoments => ({
  n: Number(s.n),
  sumY: s.sum,
  sumYY: s.sumSq,
  withHistory: Number(s.nPrior),
  sumX: s.sumPrior,
  sumXX: s.sumPriorSq,
  sumXY: s.sumPriorY,
  sumYH: s.sumYWithPrior,
});

/** Data within this span (first to last hour with data) are read per subject and binned by the minute. */
export const fineSpan = 6 * HOUR;
/** At most this many subjects are read one by one; more are binned from the hourly aggregates. */
export const maxSubjectRows = 20_000;

export async function readLiftTimeline(
  db: Db,
  e: { id: string; variants: readonly { key: string }[] },
  phases: readonly number[],
  primary: string,
  aggregates: { stats: readonly ArmStatsRow[]; exposures: readonly ArmExposureRow[] },
  compare: CompareOptions,
  perSubject: boolean,
): Promise<{ width: number; points: TimelinePoint[] }> {
  const variants = e.variants.map((v) => v.key);
  const stats = aggregates.stats.filter((s) => s.metric === primary);
  const hours = [...stats, ...aggregates.exposures].map((r) => r.bucket.getTime());
  const subjects =
    stats.reduce((n, s) => n + Number(s.n), 0) + aggregates.exposures.reduce((n, x) => n + Number(x.subjects), 0);
  const fine =
    perSubject && hours.length > 0 && Math.max(...hours) - Math.min(...hours) < fineSpan && subjects <= maxSubjectRows;
  if (!fine)
    return liftTimeline({
      rows: stats.map((s): CohortRow => ({
        at: s.bucket.getTime(),
        variant: s.variantKey,
        stats: { n: Number(s.n), sum: s.sum, sumSq: s.sumSq },
        moments: cupedMomentsOf(s),
      })),
      exposures: aggregates.exposures.map((x) => ({
        at: x.bucket.getTime(),
        variant: x.variantKey,
        subjects: Number(x.subjects),
      })),
      variants,
      compare,
      minWidth: HOUR,
    });
  const [values, exposed] = await readSubjects(db, e.id, phases, primary);
  const arrived = new Map(exposed.map((x) => [`${x.phase}|${x.subject}`, x.firstAt.getTime()]));
  return liftTimeline({
    rows: values.map((v) =>
      subjectRow(
        arrived.get(`${v.phase}|${v.subject}`) ?? v.bucket.getTime(),
        v.variant,
        v.sum / Number(v.count),
        Number(v.priorCount) > 0 ? v.priorSum / Number(v.priorCount) : null,
      ),
    ),
    exposures: exposed.map((x) => ({ at: x.firstAt.getTime(), variant: x.variant, subjects: 1 })),
    variants,
    compare,
    minWidth: MINUTE,
  });
}

/** The primary metric's per-subject rows and the subjects' first exposures, for a timeline by the minute. */
function readSubjects(db: Db, experimentId: string, phases: readonly number[], primary: string) {
  return readTogether(db, [
    () =>
      db
        .select({
          phase: experimentSubjectStats.phase,
          subject: experimentSubjectStats.subject,
          variant: experimentSubjectStats.variantKey,
          count: experimentSubjectStats.count,
          sum: experimentSubjectStats.sum,
          priorCount: experimentSubjectStats.priorCount,
          priorSum: experimentSubjectStats.priorSum,
          bucket: experimentSubjectStats.bucket,
        })
        .from(experimentSubjectStats)
        .where(
          and(
            eq(experimentSubjectStats.experimentId, experimentId),
            inArray(experimentSubjectStats.phase, [...phases]),
            eq(experimentSubjectStats.metric, primary),
          ),
        ),
    () =>
      db
        .select({
          phase: experimentExposures.phase,
          subject: experimentExposures.subject,
          variant: experimentExposures.variantKey,
          firstAt: experimentExposures.firstAt,
        })
        .from(experimentExposures)
        .where(
          and(eq(experimentExposures.experimentId, experimentId), inArray(experimentExposures.phase, [...phases])),
        ),
  ]);
}
