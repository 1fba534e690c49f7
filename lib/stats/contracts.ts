// The response contracts of the decisions Lectern shows (docs/testing.md): how sure each one is, as the
// API promises it to applications and CI. The api tier checks every such answer against them
// (test/api/client.ts `expectContract`), so a field renamed or dropped fails a test instead of a caller.
// Objects are loose: a contract names what callers may rely on, and answers may carry more.
import { z } from "zod";

const num = z.number();
const p = z.number().min(0).max(1);
const interval = z.tuple([num, num]).nullable();
const id = z.number().int().positive();

/** A paired comparison of per-item (or per-input) score differences b − a. */
export const pairedContract = z.looseObject({
  n: z.number().int().min(0),
  meanDiff: num.nullable(),
  ci: interval,
  tPValue: p.nullable(),
  wilcoxonPValue: p.nullable(),
  adjustedPValue: p.nullable(),
  significant: z.boolean(),
  direction: z.enum(["better", "worse", "same"]),
});

/** A run's score over items: its interval (clipped to the 0–1 scale), and pass@k and pass^k (shares). */
const runStatistics = z.looseObject({
  unit: z.literal("item"),
  items: z.number().int(),
  ci: z
    .tuple([p, p])
    .refine(([lo, hi]) => lo <= hi, { error: "the interval's low end must not be above its high end" })
    .nullable(),
  passAtK: p.nullable().optional(),
  passHatK: p.nullable().optional(),
});

/** GET /api/v1/eval-runs/compare */
export const compareContract = z.looseObject({
  verdict: z.string().min(1),
  paired: z.looseObject({ alpha: p, items: z.number().int(), test: z.string(), overall: pairedContract }),
  scorers: z.array(z.looseObject({ name: z.string(), type: z.string(), paired: pairedContract })),
  pairwise: z.array(
    z.looseObject({
      name: z.string(),
      wins: z.number().int(),
      ties: z.number().int(),
      losses: z.number().int(),
      signPValue: p.nullable(),
    }),
  ),
  a: z.looseObject({ id: z.string(), statistics: runStatistics.nullable() }),
  b: z.looseObject({ id: z.string(), statistics: runStatistics.nullable() }),
  items: z.array(z.looseObject({ itemId: z.string(), delta: num.nullable() })),
});

/** A CUPED-adjusted comparison, beside the unadjusted one. */
export const adjustedContract = z.looseObject({
  lift: num.nullable(),
  ci: interval,
  pValue: p.nullable(),
  significant: z.boolean(),
  varianceReduction: num,
  covariate: z.looseObject({
    metric: z.string(),
    theta: num,
    subjects: z.number().int(),
    subjectsWithHistory: z.number().int(),
  }),
  lookbackDays: z.number().int().min(1).max(90),
});

const metricComparison = z
  .looseObject({ adjusted: adjustedContract.optional(), adjustedReason: z.string().min(1).optional() })
  .refine((m) => (m.adjusted === undefined) !== (m.adjustedReason === undefined), {
    error: "a comparison carries either adjusted or adjustedReason",
  });

/**
 * The events an experiment counted apart: they named an arm the server did not serve their subject,
 * or came outside the phase's window. Counted in no arm (lib/experiments/served-claims.ts, unattributed.ts).
 */
export const unattributedContract = z.object({
  /** Events that named an arm of this experiment and count in none (in the phases read). */
  events: z.number().int().min(0),
  groups: z.array(
    z.object({
      reason: z.enum(["other_arm", "never_exposed", "before_start", "after_stop"]),
      /** The arm the events named. */
      variant: z.string(),
      /** The arm their subjects were served or assigned instead (other_arm), else null. */
      served: z.string().nullable(),
      events: z.number().int().min(0),
    }),
  ),
  /** In words: "12 events unattributed: 10 from subjects served A (the control), 2 after it stopped". */
  line: z.string().nullable(),
});

/** GET /api/v1/experiments/{id}/results */
export const resultsContract = z.looseObject({
  verdict: z.string(),
  unattributed: unattributedContract,
  comparisons: z.array(z.looseObject({ variant: z.string(), metrics: z.record(z.string(), metricComparison) })),
});

/** GET /api/v1/scorers/agreement: the named (else first) judge flat at the top, every judge in judges. */
export const agreementContract = z.looseObject({
  scorer: z.string().nullable(),
  labels: z.number().int().min(0),
  kappa: num.nullable(),
  weightedKappa: num.nullable().optional(),
  confusion: z.unknown(),
  disagreements: z.array(
    z
      .looseObject({ sampleId: id.nullable(), runItemId: id.nullable(), human: num, judge: num })
      .refine((d) => (d.sampleId === null) !== (d.runItemId === null), {
        error: "a disagreement names its output by either sampleId or runItemId",
      }),
  ),
  judges: z.array(z.looseObject({ scorer: z.string(), labels: z.number().int() })),
});

/** GET /api/v1/prompts/{name}/shadow */
export const shadowContract = z.looseObject({
  /** Each candidate's numbers cover its latest `answers` answers against the live version. */
  window: z.looseObject({ answers: z.number().int().positive() }),
  candidates: z.array(
    z.looseObject({
      version: z.number().int(),
      /** Partial versions it is rendered with instead of the environment's ({} for a plain version). */
      partials: z.record(z.string(), z.number().int().positive()),
      /** How the page names it: "v4", or "support-reply v3 with shared/tone v2". */
      label: z.string(),
      /** Inputs compared on every scorer: the smallest per-scorer count of pairs. */
      n: z.number().int(),
      answered: z.number().int().min(0),
      window: z.looseObject({
        answers: z.number().int().positive(),
        /** When the oldest answer compared was made; null without answers. */
        since: z.iso.datetime({ offset: true }).nullable(),
        leftOut: z.number().int().min(0),
      }),
      pairsPerScorer: z.array(
        z.looseObject({ name: z.string(), pairs: z.number().int().min(0), errorsAsLosses: z.number().int().min(0) }),
      ),
      wins: z.number().int(),
      ties: z.number().int(),
      losses: z.number().int(),
      paired: pairedContract,
      costUsdDiff: num.nullable(),
      latencyMsDiff: num.nullable(),
      verdict: z.string(),
    }),
  ),
});

/** GET /api/v1/prompts/{name}/stats: per version, usage and quality from the kept sums (lib/views/prompt-stats.ts). */
export const promptStatsContract = z.looseObject({
  prompt: z.string(),
  environment: z.string().nullable(),
  from: z.string().nullable(),
  to: z.string(),
  versions: z.array(
    z.looseObject({
      version: id,
      environments: z.array(z.string()),
      generations: z.number().int().min(0),
      inputTokens: z.number().min(0),
      outputTokens: z.number().min(0),
      costUsd: z.number().min(0),
      latencyMs: z.looseObject({ mean: num.nullable(), p50: num.nullable(), p95: num.nullable() }),
      scores: z.looseObject({
        samples: z.number().int().min(0),
        mean: p.nullable(),
        scorers: z.record(z.string(), z.looseObject({ n: z.number().int().min(0), mean: num.nullable() })),
      }),
      feedback: z.looseObject({
        thumbsUp: z.number().min(0),
        thumbsDown: z.number().min(0),
        ratings: z.number().int().min(0),
        meanRating: num.nullable(),
      }),
    }),
  ),
});
