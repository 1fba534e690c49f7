// An environment's guarded-rollout rule (docs/decisions/guarded-rollouts.md): every release there ramps as a guarded
// rollout (lib/experiments/rollouts/rollouts.ts) with these steps by default. A promotion is refused with the plan's
// "rollout" step; the rollout's own start and completion, a version shipped from an experiment (which served
// it on live traffic under its own analysis) and rollbacks are not. The step schema is the rollouts' own:
// they import it from here (lib/experiments depends on lib/release, never the other way). Zod only.
import { z } from "zod";

const minutes = z
  .number({ error: "minMinutes must be a number of minutes" })
  .int({ error: "minMinutes must be a whole number of minutes" })
  .min(0, { error: "minMinutes must be between 0 and 10080 (a week)" })
  .max(10_080, { error: "minMinutes must be between 0 and 10080 (a week)" });
const subjects = z
  .number({ error: "minSubjects must be a number" })
  .int({ error: "minSubjects must be a whole number" })
  .min(0, { error: "minSubjects must be between 0 and 10,000,000" })
  .max(10_000_000, { error: "minSubjects must be between 0 and 10,000,000" });

/** Steps of traffic share, growing, the last at 100 %. */
export const rolloutStepsInput = z
  .array(
    z.object({
      percent: z
        .number({ error: "percent must be a number" })
        .gt(0, { error: "percent must be above 0 and at most 100" })
        .max(100, { error: "percent must be above 0 and at most 100" }),
      minMinutes: minutes.default(60),
      minSubjects: subjects.default(100),
    }),
    { error: "steps must be a list of {percent, minMinutes, minSubjects}" },
  )
  .min(2, { error: "steps must have at least two entries, the last at 100 %" })
  .max(10, { error: "steps must have at most 10 entries" })
  .refine((s) => s.every((x, i) => i === 0 || x.percent > s[i - 1]!.percent), {
    error: "steps must grow: each step's percent above the one before",
  })
  .refine((s) => s[s.length - 1]!.percent === 100, { error: "the last step must be at 100 %" });

/** `guardedRollout` of an environment's rules: `{}` (the rollouts' default steps) or `{steps}`; null: off. */
export const guardedRolloutInput = z.strictObject(
  { steps: rolloutStepsInput.nullable().optional() },
  { error: "guardedRollout must be {steps?: [...]} or null" },
);

export type GuardedRolloutRule = { steps: z.output<typeof rolloutStepsInput> | null };

/** The column's value for a rules update: unchanged (undefined), off (null), or the rule. */
export const guardedRolloutColumn = (r: z.output<typeof guardedRolloutInput> | null | undefined) =>
  r === undefined ? {} : { guardedRollout: r === null ? null : { steps: r.steps ?? null } };
