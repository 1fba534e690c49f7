// The plain-words reading of the results for people who do not read p-values: what is known, what is not
// yet, and what went wrong (SRM, guardrails). Sentences are built from the same numbers the API serves.
import type { AnalysisDefinition, ExperimentResults } from "./analyze";
import type { MetricComparison } from "../../stats/compare";
import { decidingComparison, type AdjustedComparison } from "./adjusted";
import { formatCount, formatP, formatPercent } from "../number-format";

/** Absolute differences: percentage points for rates, 3 significant digits for other units. */
function formatDifference(x: number, binary: boolean): string {
  if (binary) {
    const s = (x * 100).toFixed(1);
    return `${x >= 0 && !s.startsWith("-") ? "+" : ""}${s} percentage points`;
  }
  const s = Number(x.toPrecision(3)).toString();
  return x >= 0 ? `+${s}` : s;
}

type Estimated = Pick<MetricComparison, "lift" | "ci" | "difference" | "differenceCi">;

const relativeUndefined = "; relative change undefined because a mean is 0 or negative";

/** The estimate and its interval as words: the lift's, or the metric's difference when the lift is undefined. */
function estimateWords(c: Estimated, binary: boolean): { point: string; lo: string; hi: string; note: string } | null {
  if (c.lift !== null && c.ci)
    return { point: formatPercent(c.lift), lo: formatPercent(c.ci[0]), hi: formatPercent(c.ci[1]), note: "" };
  if (c.difference !== null && c.differenceCi) {
    const [lo, hi] = c.differenceCi;
    const d = (x: number) => formatDifference(x, binary);
    return { point: d(c.difference), lo: d(lo), hi: d(hi), note: relativeUndefined };
  }
  return null;
}

/** "+12.3% (95% CI +4.1% to +20.5%)", or the absolute difference when the lift is undefined. */
function effectText(c: Estimated, level: string, binary: boolean): string {
  const e = estimateWords(c, binary);
  return e ? `${e.point} (${level} ${e.lo} to ${e.hi}${e.note})` : "no estimate";
}

/**
 * An undecided comparison in plain words, the interval first: "anywhere from -9.3% to +15.1% (estimate +2.2%,
 * 95% CI)", or in the metric's unit when the relative change is undefined.
 */
function rangeText(c: Estimated, level: string, binary: boolean): string {
  const e = estimateWords(c, binary);
  return e ? `anywhere from ${e.lo} to ${e.hi} (estimate ${e.point}, ${level}${e.note})` : "not estimated yet";
}

/**
 * What CUPED did to the number the sentence just gave, and what the unadjusted one says: ", CUPED-adjusted
 * by each subject's thumbs in the 14 days before exposure (60 of 80 subjects with history; variance 43%
 * smaller; unadjusted +5.8%, not yet significant)". The adjusted comparison decides; the unadjusted one is
 * said so that a reader who compares the two numbers on the page knows which one the call rests on.
 */
function cupedClause(c: MetricComparison, a: AdjustedComparison, fixed: boolean, binary: boolean): string {
  const days = `${a.lookbackDays} day${a.lookbackDays === 1 ? "" : "s"}`;
  const history = `${formatCount(a.covariate.subjectsWithHistory)} of ${formatCount(a.covariate.subjects)} subjects with history`;
  const reduction = Math.round(a.varianceReduction);
  const variance = reduction >= 0 ? `variance ${reduction}% smaller` : `variance ${-reduction}% larger`;
  const raw =
    c.lift !== null
      ? formatPercent(c.lift)
      : c.difference !== null
        ? formatDifference(c.difference, binary)
        : "not computable";
  const status =
    c.pValue === null
      ? ""
      : c.significant
        ? a.significant
          ? ", also significant"
          : ", significant only unadjusted"
        : a.significant
          ? fixed
            ? ", not significant"
            : ", not yet significant"
          : "";
  return `, CUPED-adjusted by each subject's ${a.covariate.metric} in the ${days} before exposure (${history}; ${variance}; unadjusted ${raw}${status})`;
}

/**
 * Which arms have no value of the metric yet, said with the subjects they do have, so the sentence
 * never contradicts the progress line ("300 subjects so far" while "no subjects" were compared).
 */
function missingValues(r: Omit<ExperimentResults, "verdict">, metric: string, keys: string[]): string | null {
  const empty = r.arms.filter((a) => keys.includes(a.variant) && !(a.metrics[metric]?.n ?? 0));
  if (!empty.length) return null;
  return empty
    .map(
      (a) =>
        `${a.variant} has no ${metric} values yet${a.subjects ? ` (${formatCount(a.subjects)} subjects exposed; their ${metric} events have not arrived)` : " (no subjects exposed yet)"}`,
    )
    .join("; ");
}

/**
 * Builds the verdict from computed results. One sentence per finding, in order of urgency: SRM, progress,
 * primary metric per variant (CUPED-adjusted when it applies, as the winner), bandit state, guardrail
 * breaches, recommendation.
 */
export function buildVerdict(
  def: AnalysisDefinition,
  r: Omit<ExperimentResults, "verdict">,
  bandit: { pBest: readonly number[] | null; winner: number | null } | null,
): string {
  const out: string[] = [];
  const unit = def.unitNoun ?? "subjects";
  const control = def.variants[0]!.key;
  const confidence = `${Number(((1 - r.alpha) * 100).toPrecision(3))}%`;
  const level = def.mode === "fixed" ? `${confidence} CI` : `${confidence} always-valid CI`;

  if (!r.srm.ok) {
    out.push(
      `Warning: the traffic split does not match the planned weights (sample ratio mismatch, ${formatP(r.srm.pValue ?? 0)}). ` +
        "Assignment or exposure logging may be broken; do not trust these results until it is fixed.",
    );
  }
  if (r.arms.every((a) => a.subjects === 0)) out.push("No data yet: no subjects have been exposed.");

  const planned = r.plannedSamplePerArm;
  const { smallestArm, stillNeededPerArm } = r.progress;
  const waiting = def.mode === "fixed" && !r.progress.complete;
  if (def.mode === "fixed" && planned === null) {
    out.push(
      "No planned sample size is set, so fixed mode will not call a result: set alpha, power and a minimum detectable effect.",
    );
  } else if (waiting && planned !== null) {
    out.push(
      `Not enough data yet: ${formatCount(smallestArm)} of ${formatCount(planned)} planned ${unit} per variant ` +
        `(${formatCount(stillNeededPerArm ?? 0)} more needed per variant before a result can be called).`,
    );
  }

  if (!waiting) out.push(...primarySentences(def, r, level));

  if (def.mode === "bandit" && bandit?.pBest) {
    const shares = def.variants.map((v, i) => `${v.key} ${Math.round((bandit.pBest![i] ?? 0) * 100)}%`).join(", ");
    out.push(`Chance of being the best arm: ${shares}.`);
  }

  // Before the fixed horizon guardrails are read with always-valid intervals (analyze), so say so.
  const guardLevel = def.mode === "fixed" && !r.progress.complete ? `${confidence} always-valid CI` : level;
  const kinds = new Map((def.guardrails ?? []).map((g) => [g.name, g.kind]));
  for (const g of r.guardrails.filter((x) => x.breached)) {
    const change = g.direction === "increase_is_bad" ? "increases" : "decreases";
    const text =
      g.lift !== null && g.ci
        ? effectText({ ...g, differenceCi: null }, guardLevel, false)
        : formatDifference(g.difference ?? 0, kinds.get(g.metric) === "binary");
    out.push(
      `Guardrail breached: ${g.variant} ${change} ${g.metric} by ${text}, Holm-adjusted ${formatP(g.adjustedPValue ?? 0)}.`,
    );
  }

  if (r.winner === control) out.push(`Recommendation: keep ${control}.`);
  else if (r.winner !== null) out.push(`Recommendation: ship ${r.winner}.`);
  else if (r.guardrails.some((g) => g.breached))
    out.push("No variant can be recommended while a guardrail is breached.");
  return out.join(" ");
}

/** Per variant, the primary metric's comparison with the control in words (CUPED-adjusted when it applies). */
function primarySentences(def: AnalysisDefinition, r: Omit<ExperimentResults, "verdict">, level: string): string[] {
  const out: string[] = [];
  const control = def.variants[0]!.key;
  const metric = def.primaryMetric;
  const goal = metric.goal ?? "increase";
  const binary = metric.kind === "binary";
  for (const { variant, metrics } of r.comparisons) {
    const c = metrics[metric.name]!;
    const d = decidingComparison(c);
    if (d.pValue === null) {
      out.push(
        `Cannot compare ${variant} with ${control} on ${metric.name} yet: ${missingValues(r, metric.name, [control, variant]) ?? c.note ?? "not enough data"}.`,
      );
      continue;
    }
    const effect = d.lift ?? d.difference ?? 0;
    const good = goal === "increase" ? effect > 0 : effect < 0;
    const cuped = c.adjusted ? cupedClause(c, c.adjusted, def.mode === "fixed", binary) : "";
    if (d.significant)
      out.push(
        `${variant} is ${good ? "better" : "worse"} than ${control} on ${metric.name}: ${effectText(d, level, binary)}${cuped}.`,
      );
    else
      // Plain words first: what the data allows, then the estimate and the test in brackets.
      out.push(
        `${def.mode === "fixed" ? "No clear difference" : "Not enough evidence yet of a difference"} between ${variant} and ${control} on ${metric.name}: the change could be ${rangeText(d, level, binary)}${cuped}.`,
      );
  }
  return out;
}
