// The per-variant comparisons of an experiment's analysis (analyze.ts): the primary metric's and each
// guardrail's, and the guardrails' checks, Holm-adjusted per variant.
import { compareArms, type MetricComparison } from "../../stats/compare";
import { holm } from "../../stats/multiple-testing";
import type { SufficientStats } from "../../stats/summary";
import { guardrailReadings } from "./adjusted";
import type { AnalysisDefinition, ArmInput, Covariates, ExperimentMode, GuardrailCheck } from "./analyze";

const EMPTY: SufficientStats = { n: 0, sum: 0, sumSq: 0 };
const stat = (arm: ArmInput, metric: string) => arm.metrics[metric] ?? EMPTY;

export type VariantComparison = {
  variant: string;
  metrics: Record<string, MetricComparison>;
  guards: MetricComparison[];
};

/** Each variant against the control (arms[0]) on the primary metric and, on their own, on each guardrail. */
export function compareVariants(
  def: AnalysisDefinition,
  arms: readonly ArmInput[],
  common: { alpha: number; plannedTotal: number; fixedReady: boolean },
): VariantComparison[] {
  const { fixedReady } = common;
  const primary = def.primaryMetric;
  const guardrailSpecs = def.guardrails ?? [];
  const control = arms[0]!;
  return arms.slice(1).map((arm) => {
    const p = compareArms(stat(control, primary.name), stat(arm, primary.name), {
      alpha: common.alpha,
      plannedTotal: common.plannedTotal,
      kind: primary.kind,
      method: def.mode === "fixed" ? "fixed" : "sequential",
    });
    const guards = guardrailSpecs.map((g) =>
      compareArms(stat(control, g.name), stat(arm, g.name), {
        alpha: common.alpha,
        plannedTotal: common.plannedTotal,
        kind: g.kind,
        method: fixedReady ? "fixed" : "sequential",
      }),
    );
    const metrics: Record<string, MetricComparison> = {};
    // Fixed horizon: the p-value is shown, but nothing is called significant before the planned sample.
    metrics[primary.name] = def.mode === "fixed" && !fixedReady ? { ...p, significant: false } : p;
    guardrailSpecs.forEach((g, i) => {
      if (g.name !== primary.name) metrics[g.name] = guards[i]!;
    });
    return { variant: arm.variant, metrics, guards };
  });
}

/** Each variant's guardrails, Holm-adjusted per variant; on CUPED's adjusted comparisons when `guardCovariates`. */
export function guardrailChecks(
  def: AnalysisDefinition,
  perVariant: VariantComparison[],
  guardCovariates: Covariates | null | undefined,
  o: { control: string; mode: ExperimentMode; fixedReady: boolean; alpha: number; plannedTotal: number },
): GuardrailCheck[] {
  const guardrailSpecs = def.guardrails ?? [];
  const alpha = o.alpha;
  return perVariant.flatMap(({ variant, guards }) => {
    const read = guardCovariates
      ? guardrailReadings(
          variant,
          guardrailSpecs.map((g, i) => ({ name: g.name, comparison: guards[i]! })),
          guardCovariates,
          o,
        )
      : guards.map((c) => ({ ...c, cuped: null }));
    const adjusted = holm(read.map((c) => c.pValue));
    return guardrailSpecs.map((g, i) => {
      const c = read[i]!;
      const adj = adjusted[i] ?? null;
      const bad = c.difference !== null && (g.direction === "increase_is_bad" ? c.difference > 0 : c.difference < 0);
      return {
        variant,
        metric: g.name,
        direction: g.direction,
        adjustedPValue: adj,
        breached: adj !== null && adj < alpha && bad,
        lift: c.lift,
        ci: c.ci,
        difference: c.difference,
        cuped: c.cuped,
      };
    });
  });
}
