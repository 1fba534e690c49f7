// What an experiment is, as callers write it (POST /api/v1/experiments, the experiment form): one prompt
// in one environment, variants[0] the control, a primary metric and guardrails, the planned sample.
// Pure: validation and the sample-size plan; lib/experiments/store.ts writes it.
import { z } from "zod";
import { AppError } from "../errors";
import { promptNameSchema } from "../registry/names";
import { versionNumber } from "../number-params";
import { DEFAULT_BURN_IN, DEFAULT_FLOOR } from "../stats/bandits";
import { DEFAULT_LOOKBACK_DAYS, MAX_LOOKBACK_DAYS } from "./analysis/lookback";
import { sampleSizePerArm } from "../stats/sample-size";

export const experimentModes = ["fixed", "sequential", "bandit"] as const;
export const metricKinds = ["binary", "continuous"] as const;

/** Metrics derived from events (lib/experiments/metric-events.ts), with their kind and which way is better. */
export const builtInMetrics: Record<string, { kind: (typeof metricKinds)[number]; goal: "increase" | "decrease" }> = {
  thumbs: { kind: "binary", goal: "increase" },
  rating: { kind: "continuous", goal: "increase" },
  completed: { kind: "binary", goal: "increase" },
  latency_ms: { kind: "continuous", goal: "decrease" },
  ttft_ms: { kind: "continuous", goal: "decrease" },
  input_tokens: { kind: "continuous", goal: "decrease" },
  output_tokens: { kind: "continuous", goal: "decrease" },
  cost_usd: { kind: "continuous", goal: "decrease" },
  refusal: { kind: "binary", goal: "decrease" },
};

const metricName = z.string({ error: "metric name is required" }).regex(/^[a-z][a-z0-9_.-]{0,63}$/, {
  error: "metric name must be 1–64 lowercase letters, digits, '_', '.' or '-', starting with a letter",
});
const key = z
  .string({ error: "variant key is required" })
  .regex(/^[A-Za-z0-9_-]{1,32}$/, { error: "variant key must be 1–32 letters, digits, '_' or '-'" });
const unit = (field: string, open = false) =>
  z.number({ error: `${field} must be a number` }).refine((v) => (open ? v > 0 && v < 1 : v >= 0 && v <= 1), {
    error: `${field} must be between 0 and 1${open ? " (exclusive)" : ""}`,
  });

/** CUPED's look-back in whole days, 1 to 90 (the field named in the message). */
export const lookbackDays = (field: string) =>
  z
    .number({ error: `${field} must be a number of days` })
    .int({ error: `${field} must be a whole number of days` })
    .min(1, { error: `${field} must be between 1 and ${MAX_LOOKBACK_DAYS} days` })
    .max(MAX_LOOKBACK_DAYS, { error: `${field} must be between 1 and ${MAX_LOOKBACK_DAYS} days` });

/** GET …/results?lookbackDays=N: overrides the experiment's look-back for this reading only. */
export const resultsQueryInput = z.object({
  lookbackDays: z
    .string()
    .regex(/^\d{1,3}$/, { error: `lookbackDays must be a whole number of days between 1 and ${MAX_LOOKBACK_DAYS}` })
    .transform(Number)
    .pipe(lookbackDays("lookbackDays"))
    .optional()
    .describe("Days of events to read, for this reading only (default: the experiment's own look-back)"),
  phase: z
    .string()
    .regex(/^[1-9]\d{0,5}$/, { error: "phase must be a phase number (1, 2, …)" })
    .transform(Number)
    .optional()
    .describe("Another phase's results than the current one's (1, 2, …)"),
});

/**
 * A secondary metric that is a ratio of two metrics' totals, e.g. cost per completed task
 * {numerator: "cost_usd", denominator: "completed"}: Σ numerator / Σ denominator per arm, with the subject
 * as the unit (lib/stats/ratio.ts). Shown beside the results; it never decides the experiment.
 */
export const ratioMetricSchema = z.object(
  {
    name: metricName,
    numerator: metricName,
    denominator: metricName,
    goal: z.enum(["increase", "decrease"], { error: 'ratio goal must be "increase" or "decrease"' }).optional(),
  },
  { error: "each ratio metric must be {name, numerator, denominator, goal?}" },
);
export type RatioMetric = z.output<typeof ratioMetricSchema>;

/** Which way is better for a ratio: as given, else the numerator's (cost per task: down), else up. */
export const ratioGoal = (r: RatioMetric) => r.goal ?? builtInMetrics[r.numerator]?.goal ?? "increase";

/** A namespace (layer): experiments in one never share a subject. */
export const namespaceName = z.string({ error: "namespace.name is required" }).regex(/^[a-z][a-z0-9_.-]{0,63}$/, {
  error: "namespace.name must be 1–64 lowercase letters, digits, '_', '.' or '-', starting with a letter",
});

/** The experiment's share of the namespace: [start, end) of its hash space, 0 ≤ start < end ≤ 1. */
export const namespaceInput = z
  .object(
    {
      name: namespaceName,
      range: z.tuple([unit("namespace.range start"), unit("namespace.range end")], {
        error: "namespace.range must be [start, end], shares between 0 and 1",
      }),
    },
    { error: "namespace must be {name, range: [start, end]}" },
  )
  .refine((n) => n.range[0] < n.range[1], {
    path: ["range"],
    error: "namespace.range must start before it ends",
  });

export const createExperimentInput = z
  .object({
    prompt: promptNameSchema,
    environment: z.string({ error: "environment is required" }).min(1).max(36),
    name: z
      .string({ error: "name is required" })
      .trim()
      .min(1, { error: "name is required" })
      .max(200, { error: "name must be at most 200 characters" }),
    hypothesis: z.string().max(4000, { error: "hypothesis must be at most 4000 characters" }).default(""),
    variants: z
      .array(z.object({ key, version: versionNumber("variants[].version"), weight: unit("variant weight") }), {
        error: "variants must be a list of {key, version, weight}",
      })
      .min(2, { error: "variants must have a control and at least one other variant" })
      .max(10, { error: "variants must have at most 10 entries" }),
    coverage: unit("coverage").default(1),
    namespace: namespaceInput.optional(),
    mode: z.enum(experimentModes, { error: `mode must be one of ${experimentModes.join(", ")}` }),
    bandit: z
      .object({
        algorithm: z
          .enum(["thompson", "ucb1"], { error: 'bandit.algorithm must be "thompson" or "ucb1"' })
          .default("thompson"),
        floor: z
          .number()
          .min(0, { error: "bandit.floor must be between 0 and 0.5" })
          .max(0.5, { error: "bandit.floor must be between 0 and 0.5" })
          .default(DEFAULT_FLOOR),
        burnIn: z
          .number()
          .int()
          .min(1, { error: "bandit.burnIn must be at least 1" })
          .max(1_000_000)
          .default(DEFAULT_BURN_IN),
      })
      .optional(),
    primaryMetric: z.object(
      {
        name: metricName,
        kind: z.enum(metricKinds, { error: 'primaryMetric.kind must be "binary" or "continuous"' }),
        goal: z.enum(["increase", "decrease"]).optional(),
      },
      { error: "primaryMetric must be {name, kind}" },
    ),
    guardrails: z
      .array(
        z.object({
          name: metricName,
          kind: z.enum(metricKinds, { error: 'guardrail kind must be "binary" or "continuous"' }),
          direction: z.enum(["increase_is_bad", "decrease_is_bad"], {
            error: 'guardrail direction must be "increase_is_bad" or "decrease_is_bad"',
          }),
        }),
      )
      .max(20)
      .default([]),
    ratioMetrics: z
      .array(ratioMetricSchema, { error: "ratioMetrics must be a list of {name, numerator, denominator}" })
      .max(10, { error: "ratioMetrics must have at most 10 entries" })
      .default([]),
    alpha: unit("alpha", true).default(0.05),
    power: unit("power", true).default(0.8),
    // Relative: 0.1 = a 10% lift. Default 10%.
    minDetectableEffect: z
      .number({ error: "minDetectableEffect must be a number" })
      .refine((v) => v !== 0 && Math.abs(v) <= 10, {
        error: "minDetectableEffect must be a non-zero relative effect, e.g. 0.1 for 10%",
      })
      .default(0.1),
    // The control's current level, for the sample size: {rate} for a binary metric, {mean, sd} for a continuous one.
    baseline: z
      .union(
        [
          z.object({ rate: unit("baseline.rate", true) }),
          z.object({ mean: z.number(), sd: z.number().positive({ error: "baseline.sd must be greater than 0" }) }),
        ],
        { error: "baseline must be {rate} or {mean, sd}" },
      )
      .optional(),
    seed: z.string().min(1).max(200).optional(),
    cupedLookbackDays: lookbackDays("cupedLookbackDays").default(DEFAULT_LOOKBACK_DAYS),
  })
  .superRefine((v, ctx) => {
    const keys = v.variants.map((x) => x.key);
    if (new Set(keys).size !== keys.length)
      ctx.addIssue({ code: "custom", path: ["variants"], message: "variant keys must be distinct" });
    const versions = v.variants.map((x) => x.version);
    if (new Set(versions).size !== versions.length)
      ctx.addIssue({ code: "custom", path: ["variants"], message: "each variant must serve a different version" });
    const total = v.variants.reduce((s, x) => s + x.weight, 0);
    if (Math.abs(total - 1) > 1e-9)
      ctx.addIssue({
        code: "custom",
        path: ["variants"],
        message: `variant weights must sum to 1 (they sum to ${Number(total.toFixed(6))})`,
      });
    if (v.mode !== "bandit" && v.bandit)
      ctx.addIssue({ code: "custom", path: ["bandit"], message: 'bandit settings apply only when mode is "bandit"' });
    if (v.bandit && v.bandit.floor * v.variants.length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["bandit", "floor"],
        message: `bandit.floor × ${v.variants.length} variants must not exceed 1`,
      });
    if (v.baseline && v.primaryMetric.kind === "binary" && !("rate" in v.baseline))
      ctx.addIssue({
        code: "custom",
        path: ["baseline"],
        message: "baseline must be {rate} for a binary primary metric",
      });
    if (v.baseline && v.primaryMetric.kind === "continuous" && !("mean" in v.baseline))
      ctx.addIssue({
        code: "custom",
        path: ["baseline"],
        message: "baseline must be {mean, sd} for a continuous primary metric",
      });
    const taken = new Set([v.primaryMetric.name, ...v.guardrails.map((g) => g.name)]);
    v.ratioMetrics.forEach((r, i) => {
      if (taken.has(r.name))
        ctx.addIssue({
          code: "custom",
          path: ["ratioMetrics", i, "name"],
          message: `ratio metric name "${r.name}" is already used by another metric of this experiment`,
        });
      taken.add(r.name);
      if (r.numerator === r.denominator)
        ctx.addIssue({
          code: "custom",
          path: ["ratioMetrics", i, "denominator"],
          message: "a ratio's numerator and denominator must be different metrics",
        });
    });
    const builtIn = builtInMetrics[v.primaryMetric.name];
    if (builtIn && builtIn.kind !== v.primaryMetric.kind)
      ctx.addIssue({
        code: "custom",
        path: ["primaryMetric", "kind"],
        message: `${v.primaryMetric.name} is a ${builtIn.kind} metric`,
      });
  })
  .transform((v) => ({
    ...v,
    bandit:
      v.mode === "bandit"
        ? (v.bandit ?? { algorithm: "thompson" as const, floor: DEFAULT_FLOOR, burnIn: DEFAULT_BURN_IN })
        : undefined,
  }));

export type CreateExperimentInput = z.input<typeof createExperimentInput>;
export type ExperimentDefinition = z.output<typeof createExperimentInput>;

/** Which way is better for the primary metric: as given, else the built-in metric's, else up. */
export const primaryGoal = (m: { name: string; goal?: "increase" | "decrease" }) =>
  m.goal ?? builtInMetrics[m.name]?.goal ?? "increase";

/**
 * The pre-registered sample per arm from α, power, the MDE and the baseline. A binary metric without a
 * baseline is planned at a 50% rate; a continuous one needs {mean, sd} (without it there is no plan, and
 * fixed mode refuses to start).
 */
export function plannedSample(
  d: Pick<ExperimentDefinition, "primaryMetric" | "alpha" | "power" | "minDetectableEffect" | "baseline">,
): number | null {
  try {
    if (d.primaryMetric.kind === "binary") {
      const rate = d.baseline && "rate" in d.baseline ? d.baseline.rate : 0.5;
      return sampleSizePerArm({
        kind: "binary",
        baselineRate: rate,
        minDetectableEffect: d.minDetectableEffect,
        alpha: d.alpha,
        power: d.power,
      });
    }
    if (!d.baseline || !("mean" in d.baseline)) return null;
    return sampleSizePerArm({
      kind: "continuous",
      baselineMean: d.baseline.mean,
      baselineSd: d.baseline.sd,
      minDetectableEffect: d.minDetectableEffect,
      alpha: d.alpha,
      power: d.power,
    });
  } catch (e) {
    if (e instanceof RangeError)
      throw new AppError("unprocessable", `The sample size cannot be planned: ${e.message}.`, {
        field: "minDetectableEffect",
      });
    throw e;
  }
}
