// A guarded rollout's sample-ratio check (docs/decisions/rollout-decisions.md). Its split grows by its steps, so the
// pooled count of each arm against the current split is no test at all ("1,440 live, 360 new" is exactly what a 5 → 25
// → 50 % ramp makes): each subject counts once, in the step (phase) its first exposure names, against that step's share
// (srmByShare). Read from the hourly exposure counts (experiment_arm_exposures.arrivals), never from the subjects.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { experimentArmExposures } from "../../../db/schema";
import { srmByShare } from "../../stats/srm";
import { LIVE, NEW } from "./rollout-state";
import type { Experiment } from "../store";

type ExposureRow = typeof experimentArmExposures.$inferSelect;

/** The check over the rollout's steps so far, with each step's arrivals per arm. */
export function rolloutSrm(e: Experiment, exposures: readonly ExposureRow[]) {
  const byPhase = e.phases.map((p) => ({
    phase: p.phase,
    weights: p.weights,
    arrivals: Object.fromEntries(
      e.variants.map((v) => [
        v.key,
        exposures
          .filter((x) => x.phase === p.phase && x.variantKey === v.key)
          .reduce((n, x) => n + Number(x.arrivals), 0),
      ]),
    ),
  }));
  const check = srmByShare(
    byPhase.map((b) => ({
      counts: e.variants.map((v) => b.arrivals[v.key] ?? 0),
      weights: e.variants.map((v) => b.weights[v.key] ?? 0),
    })),
  );
  return { ...check, byPhase };
}

/** The check as a rollout's page and GET /api/v1/rollouts/{id} say it: per arm, and per step. */
export async function rolloutSampleRatio(db: Db, e: Experiment) {
  const rows = await db.select().from(experimentArmExposures).where(eq(experimentArmExposures.experimentId, e.id));
  const s = rolloutSrm(e, rows);
  const at = (arr: number[], key: string) => arr[e.variants.findIndex((v) => v.key === key)] ?? 0;
  return {
    pValue: s.pValue,
    ok: s.ok,
    subjects: { live: at(s.observed, LIVE), new: at(s.observed, NEW) },
    expected: { live: at(s.expected, LIVE), new: at(s.expected, NEW) },
    steps: s.byPhase.map((b) => ({
      step: b.phase,
      percent: Math.round((b.weights[NEW] ?? 0) * 1000) / 10,
      live: b.arrivals[LIVE] ?? 0,
      new: b.arrivals[NEW] ?? 0,
    })),
  };
}

/** rolloutSampleRatio's answer. */
export const rolloutSampleRatioSchema = z.object({
  pValue: z.number().nullable(),
  ok: z.boolean(),
  subjects: z.object({ live: z.number().int(), new: z.number().int() }),
  expected: z.object({ live: z.number(), new: z.number() }),
  steps: z.array(
    z.object({ step: z.number().int(), percent: z.number(), live: z.number().int(), new: z.number().int() }),
  ),
});
