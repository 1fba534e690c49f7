// From scorer outcomes to item and run scores. Pure.
//
// Item: score = weighted mean of its scorers (weight-0 scorers are informational: reported, but in
// neither the score nor pass/fail); passed = every weighted scorer passed its threshold. A scorer
// that errored (no expected value, judge unreachable) fails the item, since it could not be verified.
// In a run's numbers (its score, interval and comparisons) it also counts as 0 in the item's score: a
// run whose judge failed on every answer must not read 100%. A live sample's own score leaves
// it out instead, so a judge's outage is not read as a regression of the prompt.
// Run: score = mean of item scores; pass rate = share of items passed; plus per-scorer and per-tag
// breakdowns, each scorer with why it could not score when it never could.
import type { ScorerOutcome } from "./types";

export interface ItemVerdict {
  /** null when no weighted scorer produced a score. */
  score: number | null;
  passed: boolean;
  /** Some scorer could not judge this item. */
  errored: boolean;
}

export interface ItemScore extends ItemVerdict {
  results: ScorerOutcome[];
}

/** How an errored scorer enters an item's score: left out (a live sample), or as 0 (a run's numbers). */
export type ErroredAs = "excluded" | "failure";

export function combineOutcomes(outcomes: readonly ScorerOutcome[], erroredAs: ErroredAs = "excluded"): ItemVerdict {
  const weighted = outcomes.filter((o) => o.weight > 0);
  const counted = erroredAs === "failure" ? weighted : weighted.filter((o) => !o.error);
  const totalWeight = counted.reduce((s, o) => s + o.weight, 0);
  const value = (o: ScorerOutcome) => (o.error !== undefined ? 0 : o.score);
  const score = totalWeight > 0 ? counted.reduce((s, o) => s + o.weight * value(o), 0) / totalWeight : null;
  const errored = outcomes.some((o) => o.error !== undefined);
  const passed = weighted.every((o) => !o.error && o.passed);
  return { score, passed, errored };
}

export interface ScoredItem {
  id?: string;
  tags?: readonly string[];
  results: readonly ScorerOutcome[];
}

export interface ScorerSummary {
  type: string;
  weight: number;
  threshold: number;
  /** Mean score over the items this scorer could judge; null when it judged none. */
  mean: number | null;
  passRate: number | null;
  /** Items judged (errors excluded). */
  count: number;
  errors: number;
  /** Why it could not score, when it scored no item (its first error). */
  reason?: string;
}

export interface TagSummary {
  score: number | null;
  passRate: number;
  items: number;
}

export interface RunSummary {
  /** Mean of the item scores; null when no item has one. */
  score: number | null;
  /** Share of items that passed; null for an empty run. */
  passRate: number | null;
  items: number;
  passed: number;
  failed: number;
  /** Items where at least one scorer errored (they also count as failed). */
  errored: number;
  byScorer: Record<string, ScorerSummary>;
  byTag: Record<string, TagSummary>;
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((s, x) => s + x, 0) / xs.length);

export function aggregateScores(items: readonly ScoredItem[]): RunSummary {
  const verdicts = items.map((it) => combineOutcomes(it.results, "failure"));
  const scores = verdicts.flatMap((v) => (v.score === null ? [] : [v.score]));
  const passed = verdicts.filter((v) => v.passed).length;

  const byScorer: Record<string, ScorerSummary & { scores: number[]; passes: number }> = {};
  for (const it of items) {
    for (const o of it.results) {
      const s = (byScorer[o.name] ??= {
        type: o.type,
        weight: o.weight,
        threshold: o.threshold,
        mean: null,
        passRate: null,
        count: 0,
        errors: 0,
        scores: [],
        passes: 0,
      });
      if (o.error !== undefined) {
        s.errors++;
        s.reason ??= o.error;
        continue;
      }
      s.count++;
      s.scores.push(o.score);
      if (o.passed) s.passes++;
    }
  }

  const tagged: Record<string, ItemVerdict[]> = {};
  items.forEach((it, i) => {
    for (const tag of new Set(it.tags ?? [])) (tagged[tag] ??= []).push(verdicts[i]!);
  });

  return {
    score: mean(scores),
    passRate: items.length === 0 ? null : passed / items.length,
    items: items.length,
    passed,
    failed: items.length - passed,
    errored: verdicts.filter((v) => v.errored).length,
    byScorer: Object.fromEntries(
      Object.entries(byScorer).map(([name, { scores: xs, passes, reason, ...s }]) => [
        name,
        {
          ...s,
          mean: mean(xs),
          passRate: s.count === 0 ? null : passes / s.count,
          ...(s.count === 0 && reason !== undefined ? { reason } : {}),
        },
      ]),
    ),
    byTag: Object.fromEntries(
      Object.entries(tagged).map(([tag, vs]) => [
        tag,
        {
          score: mean(vs.flatMap((v) => (v.score === null ? [] : [v.score]))),
          passRate: vs.filter((v) => v.passed).length / vs.length,
          items: vs.length,
        },
      ]),
    ),
  };
}

/** The weighted scorers that scored no item of a run (each failed on every answer): the run has no verdict. */
export function unscoredScorers(summary: Pick<RunSummary, "byScorer">): { name: string; reason: string }[] {
  return Object.entries(summary.byScorer)
    .filter(([, s]) => s.weight > 0 && s.count === 0 && s.errors > 0)
    .map(([name, s]) => ({ name, reason: s.reason ?? "it could not score" }));
}
