// The results of an experiment as the API serves them: per-arm summaries, per-variant comparisons on the
// primary metric and guardrails (with CUPED beside them when covariates are given), SRM, progress towards
// the planned sample and a plain-words verdict.
import type { Goal } from "../../stats/compare";
import { DEFAULT_PLANNED_TOTAL } from "../../stats/sequential";
import { srmCheck, type SrmResult } from "../../stats/srm";
import { describeArm, type MetricKind, type SufficientStats } from "../../stats/summary";
import { decidingComparison, withAdjusted, type ComparisonWithAdjusted } from "./adjusted";
import { compareVariants, guardrailChecks } from "./analyze-guardrails";
import type { CovariateMoments } from "./covariates";
import { buildVerdict } from "./verdict";

export type ExperimentMode = "fixed" | "sequential" | "bandit";
export type GuardrailDirection = "increase_is_bad" | "decrease_is_bad";

export interface AnalysisDefinition {
  mode: ExperimentMode;
  /** variants[0] is the control; weights are the planned split (used by the SRM check). */
  variants: readonly { key: string; weight: number }[];
  /** goal: which direction is better, default "increase" (thumbs, completed); "decrease" for cost or latency. */
  primaryMetric: { name: string; kind: MetricKind; goal?: Goal };
  guardrails?: readonly { name: string; kind: MetricKind; direction: GuardrailDirection }[];
  /** Two-sided significance level, default 0.05. */
  alpha?: number;
  /** Pre-registered subjects per arm (sampleSizePerArm). Fixed mode calls nothing before every arm has it. */
  plannedSamplePerArm?: number | null;
  /** Plural noun for subjects in the verdict, e.g. "conversations"; default "subjects". */
  unitNoun?: string;
  /**
   * A guarded rollout's rule: each guardrail reads its CUPED-adjusted comparison where CUPED applies to it
   * (options.covariates), else its unadjusted one. Experiments leave it off (their guardrails read unadjusted).
   */
  cupedGuardrails?: boolean;
}

/**
 * Aggregates of one arm: subjects exposed, and per-metric sufficient statistics over the subjects that
 * have a value for that metric (metric n may be below `subjects`; a missing metric counts as empty).
 */
export interface ArmInput {
  variant: string;
  subjects: number;
  metrics: Readonly<Record<string, SufficientStats>>;
}

export interface AnalyzeOptions {
  /** The latest bandit reweight (bandits.ts), for the verdict and the winner in bandit mode. */
  bandit?: { pBest: readonly number[] | null; winner: number | null } | null;
  /**
   * Each arm's CUPED moments per metric (sums of the subjects' values and pre-exposure values) and the look-back
   * they were read with: CUPED is added beside every comparison, and where it applies to the primary
   * metric the adjusted comparison decides (the winner and the verdict). Absent: unadjusted only.
   */
  covariates?: Covariates | null;
  /**
   * Covariates read with another look-back than the experiment's own (`?lookbackDays=N`): their adjustment
   * is the one shown in `comparisons`, but the decision stays with `covariates`, the look-back fixed before
   * the start, so that trying look-backs cannot make a winner.
   */
  shownCovariates?: Covariates | null;
  /**
   * The sample-ratio check made by the caller instead of against `variants`' weights: a guarded rollout's, each
   * subject against the share in force where it arrived (srmByShare), since its split grows by steps.
   */
  srm?: SrmResult;
}

/** `only`: the metrics the pairs were read for (default every metric compared). */
export type Covariates = { moments: CovariateMoments; lookbackDays: number; only?: readonly string[] };

export interface ArmSummary {
  variant: string;
  subjects: number;
  metrics: Record<string, { n: number; mean: number | null; sd: number | null }>;
}

export interface GuardrailCheck {
  variant: string;
  metric: string;
  direction: GuardrailDirection;
  /** Holm-adjusted over this variant's guardrails; null when the metric is not testable yet. */
  adjustedPValue: number | null;
  /** Adjusted p < alpha and the change goes the bad way. */
  breached: boolean;
  /** The guardrail's own comparison (relative lift and its interval, absolute difference), for display. */
  lift: number | null;
  ci: [number, number] | null;
  difference: number | null;
  /** The CUPED-adjusted comparison was used (cupedGuardrails only): its variance reduction, percent. */
  cuped: { varianceReduction: number } | null;
}

export interface ExperimentResults {
  mode: ExperimentMode;
  alpha: number;
  arms: ArmSummary[];
  /**
   * One entry per non-control variant, metrics keyed by name (primary first, then guardrails); each with
   * `adjusted` (CUPED) or `adjustedReason` when covariates were given.
   */
  comparisons: { variant: string; metrics: Record<string, ComparisonWithAdjusted> }[];
  guardrails: GuardrailCheck[];
  srm: SrmResult;
  plannedSamplePerArm: number | null;
  /** Subjects in the smallest arm, how many it still needs, and whether every arm reached the plan. */
  progress: { smallestArm: number; stillNeededPerArm: number | null; complete: boolean };
  /** Key of the arm to keep or ship (may be the control), or null when the data does not say yet. */
  winner: string | null;
  verdict: string;
}

/**
 * Analyses one experiment phase from aggregates. Arms are matched to variants by key (a missing arm counts
 * as empty; an arm with an unknown key throws RangeError). Per mode:
 * - fixed: χ² / Welch on the primary metric; `significant` stays false and no winner is named until every
 *   arm has plannedSamplePerArm subjects (and never without a plan). Guardrails use always-valid
 *   p-values until then (so an early look at safety is honest), fixed p-values after.
 * - sequential: confidence sequences everywhere (N* = plannedSamplePerArm × arms, else 5000).
 * - bandit: confidence sequences for the numbers (allocation changes over time, so pooled means can be
 *   biased; treat them as descriptive); the winner comes from options.bandit; SRM is not checked because
 *   the weights change between phases (check each phase with srmCheck).
 * Guardrails: Holm over the guardrails of each variant (a false alarm only delays a ship), on the unadjusted
 * comparisons (a rollout's, def.cupedGuardrails, on the CUPED-adjusted ones where CUPED applies). A winner needs the SRM check to pass and no breached guardrail.
 * CUPED (options.covariates): the same method per metric; on the primary metric the adjusted comparison,
 * whenever it applies, is the one the winner and the verdict read (a rule fixed in advance, never "whichever
 * is significant").
 */
export function analyze(
  def: AnalysisDefinition,
  armsIn: readonly ArmInput[],
  options: AnalyzeOptions = {},
): ExperimentResults {
  if (def.variants.length < 2) throw new RangeError("an experiment needs a control and at least one variant");
  const known = new Set(def.variants.map((v) => v.key));
  for (const a of armsIn) if (!known.has(a.variant)) throw new RangeError(`unknown variant "${a.variant}"`);
  const alpha = def.alpha ?? 0.05;
  const k = def.variants.length;
  const arms = def.variants.map(
    (v) => armsIn.find((a) => a.variant === v.key) ?? { variant: v.key, subjects: 0, metrics: {} },
  );
  const planned = def.plannedSamplePerArm && def.plannedSamplePerArm > 0 ? Math.ceil(def.plannedSamplePerArm) : null;
  const smallestArm = Math.min(...arms.map((a) => a.subjects));
  const stillNeededPerArm = planned === null ? null : Math.max(0, planned - smallestArm);
  const complete = stillNeededPerArm === 0;
  const fixedReady = def.mode === "fixed" && complete;
  const plannedTotal = planned ? planned * k : DEFAULT_PLANNED_TOTAL;
  const srm: SrmResult =
    options.srm ??
    (def.mode === "bandit"
      ? { pValue: null, ok: true }
      : srmCheck(
          arms.map((a) => a.subjects),
          def.variants.map((v) => v.weight),
        ));
  const primary = def.primaryMetric;
  const control = arms[0]!;
  // Guardrail comparisons are computed on their own: when the primary metric is also a guardrail, its
  // fixed-horizon p-value must not be read for a breach before the planned sample.
  const perVariant = compareVariants(def, arms, { alpha, plannedTotal, fixedReady });
  const unadjusted = perVariant.map(({ variant, metrics }) => ({ variant, metrics }));
  const adjust = (cov: Covariates | null | undefined): ExperimentResults["comparisons"] =>
    cov
      ? withAdjusted(unadjusted, cov.moments, {
          control: control.variant,
          mode: def.mode,
          fixedReady,
          alpha,
          plannedTotal,
          primary: primary.name,
          lookbackDays: cov.lookbackDays,
          only: cov.only,
        })
      : unadjusted;
  const deciding = adjust(options.covariates);
  const comparisons = options.shownCovariates ? adjust(options.shownCovariates) : deciding;

  const guardrails = guardrailChecks(def, perVariant, def.cupedGuardrails ? options.covariates : null, {
    control: control.variant,
    mode: def.mode,
    fixedReady,
    alpha,
    plannedTotal,
  });

  const winner = pickWinner(def, deciding, guardrails, {
    srmOk: srm.ok,
    fixedReady,
    bandit: options.bandit ?? null,
  });
  const results: Omit<ExperimentResults, "verdict"> = {
    mode: def.mode,
    alpha,
    arms: arms.map((a) => ({
      variant: a.variant,
      subjects: a.subjects,
      metrics: Object.fromEntries(Object.entries(a.metrics).map(([name, s]) => [name, describeArm(s)])),
    })),
    comparisons,
    guardrails,
    srm,
    plannedSamplePerArm: planned,
    progress: { smallestArm, stillNeededPerArm, complete },
    winner,
  };
  return { ...results, verdict: buildVerdict(def, { ...results, comparisons: deciding }, options.bandit ?? null) };
}

/**
 * The arm the data says to keep, or null: the non-control variant with the largest significant effect in
 * the goal direction and no breached guardrail; else the control when every variant is significantly
 * worse. Effects and significance are the primary metric's deciding comparison (CUPED-adjusted when it
 * applies). Nothing before the fixed horizon or with a failed SRM check; the bandit's own winner in bandit mode.
 */
function pickWinner(
  def: AnalysisDefinition,
  comparisons: ExperimentResults["comparisons"],
  guardrails: GuardrailCheck[],
  ctx: { srmOk: boolean; fixedReady: boolean; bandit: AnalyzeOptions["bandit"] },
): string | null {
  if (!ctx.srmOk) return null;
  const breached = new Set(guardrails.filter((g) => g.breached).map((g) => g.variant));
  if (def.mode === "bandit") {
    const i = ctx.bandit?.winner ?? null;
    const key = i === null ? null : (def.variants[i]?.key ?? null);
    return key !== null && !breached.has(key) ? key : null;
  }
  if (def.mode === "fixed" && !ctx.fixedReady) return null;
  const sign = (def.primaryMetric.goal ?? "increase") === "increase" ? 1 : -1;
  const deciding = comparisons.map((c) => {
    const d = decidingComparison(c.metrics[def.primaryMetric.name]!);
    return { variant: c.variant, significant: d.significant, effect: sign * (d.lift ?? d.difference ?? 0) };
  });
  const better = deciding.filter((c) => c.significant && c.effect > 0 && !breached.has(c.variant));
  if (better.length > 0) return better.reduce((a, b) => (b.effect > a.effect ? b : a)).variant;
  const allWorse = deciding.every((c) => c.significant && c.effect < 0);
  return allWorse ? def.variants[0]!.key : null;
}
