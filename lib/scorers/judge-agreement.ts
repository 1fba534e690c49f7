// How well an LLM judge agrees with people's labels of the same outputs (pure). Each label is paired
// with the judge's score of the output: pass/fail labels against the judge's pass (its score at or above
// the scorer's threshold) give Cohen's κ; 1–5 labels against the judge's score put on the same scale
// (1 + round(4·score)) give quadratic-weighted κ and Spearman's ρ. The headline (kappa, confusion and
// labels, flat on each result as the API promises) is the pass/fail statistic when there are pass/fail
// labels, else the 1–5 one, and `labels` counts only the labels it was computed on: the warning below 30
// labels is about that statistic, so labels of the other kind never make up the count. With κ under 0.6
// the result warns too. Where the labels come from: lib/evaluation/online.
import { cohenKappa, kappaLabel, spearman, type Confusion } from "../stats";

/** Labels below this make the agreement a guess. */
export const MIN_LABELS = 30;
/** κ below this: the judge should not decide alone. */
export const MIN_KAPPA = 0.6;

/** Which output a label is on: a sampled live output (sampleId) or a run's output (runItemId); the other is null. */
export interface LabelledOutput {
  sampleId: number | null;
  runItemId: number | null;
}

export interface Disagreement extends LabelledOutput {
  output: string;
  human: number;
  judge: number;
  judgeScore: number;
  reason: string;
  comment: string;
}

export interface JudgeAgreement {
  scorer: string;
  /**
   * Labels the headline κ was computed on: the pass/fail labels when there are any, else the 1–5 ones
   * (each kind's own count is in passFail.labels and scale.labels).
   */
  labels: number;
  /**
   * Cohen's κ on the pass/fail labels when there are any, else the weighted κ on the 1–5 labels; null when
   * that one is undefined (never the other kind's instead) or nothing is labelled.
   */
  kappa: number | null;
  /** Quadratic-weighted κ on the 1–5 labels; absent without such labels. */
  weightedKappa?: number | null;
  /** The headline's confusion table (people as rows, the judge as columns): pass/fail, else 1–5; null unlabelled. */
  confusion: Confusion<"fail" | "pass"> | Confusion<number> | null;
  passFail: {
    labels: number;
    kappa: number | null;
    strength: string;
    observedAgreement: number;
    confusion: Confusion<"fail" | "pass">;
  } | null;
  scale: {
    labels: number;
    weightedKappa: number | null;
    spearman: number | null;
    spearmanPValue: number | null;
    confusion: Confusion<number>;
  } | null;
  /** Why not to trust the judge alone yet, in words; null when it has ≥ 30 labels and κ ≥ 0.6. */
  warning: string | null;
  disagreements: Disagreement[];
}

export type Pair = LabelledOutput & {
  output: string;
  scale: string;
  value: number;
  comment: string;
  score: number;
  passed: boolean | null;
  reason: string;
};

const toScale = (score: number) => 1 + Math.round(4 * score);

export function agreementOf(scorer: string, threshold: number, pairs: Pair[]): JudgeAgreement {
  const pf = pairs.filter((p) => p.scale === "pass_fail");
  const sc = pairs.filter((p) => p.scale === "scale_5");
  const judgePass = (p: Pair) => p.passed ?? p.score >= threshold;
  const label = (x: boolean) => (x ? ("pass" as const) : ("fail" as const));
  const k = pf.length
    ? cohenKappa(
        pf.map((p) => label(p.value === 1)),
        pf.map((p) => label(judgePass(p))),
        { categories: ["fail", "pass"] },
      )
    : null;
  const five = [1, 2, 3, 4, 5];
  const w = sc.length
    ? cohenKappa(
        sc.map((p) => p.value),
        sc.map((p) => toScale(p.score)),
        { categories: five, weights: "quadratic" },
      )
    : null;
  const rho = sc.length
    ? spearman(
        sc.map((p) => p.value),
        sc.map((p) => toScale(p.score)),
      )
    : null;
  const headline = k ?? w;
  const kappa = headline?.kappa ?? null;
  const n = headline?.n ?? 0;
  // Name the kind only when the other kind is there too, so "Only 12 labels" is not read as all of them.
  const kind = k && w ? " pass/fail" : "";
  const apart = k && w ? ` (the ${w.n} scores on 1–5 count apart)` : "";
  const warning =
    n < MIN_LABELS
      ? `Only ${n}${kind} label${n === 1 ? "" : "s"}: at least ${MIN_LABELS} are needed before the agreement means much${apart}.`
      : kappa === null
        ? "The agreement is undefined: people and the judge each gave one and the same answer to everything."
        : kappa < MIN_KAPPA
          ? `κ = ${kappa.toFixed(2)} (${kappaLabel(kappa)}) is below ${MIN_KAPPA}: do not let this judge decide alone.`
          : null;
  const disagreements = disagreementsOf(pf, sc, judgePass);
  return {
    scorer,
    labels: n,
    kappa,
    ...(w ? { weightedKappa: w.kappa } : {}),
    confusion: headline?.confusion ?? null,
    passFail: k
      ? {
          labels: k.n,
          kappa: k.kappa,
          strength: kappaLabel(k.kappa),
          observedAgreement: k.observedAgreement,
          confusion: k.confusion,
        }
      : null,
    scale: w
      ? {
          labels: w.n,
          weightedKappa: w.kappa,
          spearman: rho?.rho ?? null,
          spearmanPValue: rho?.pValue ?? null,
          confusion: w.confusion,
        }
      : null,
    warning,
    disagreements,
  };
}

/** The first 20 outputs where the judge and the person disagree (pass/fail, or 2+ points on 1–5). */
function disagreementsOf(pf: Pair[], sc: Pair[], judgePass: (p: Pair) => boolean): Disagreement[] {
  return [
    ...pf
      .filter((p) => (p.value === 1) !== judgePass(p))
      .map((p) => ({ p, human: p.value, judge: judgePass(p) ? 1 : 0 })),
    ...sc
      .filter((p) => Math.abs(p.value - toScale(p.score)) >= 2)
      .map((p) => ({ p, human: p.value, judge: toScale(p.score) })),
  ]
    .slice(0, 20)
    .map(({ p, human, judge }) => ({
      sampleId: p.sampleId,
      runItemId: p.runItemId,
      output: p.output.length > 500 ? `${p.output.slice(0, 500)}…` : p.output,
      human,
      judge,
      judgeScore: p.score,
      reason: p.reason,
      comment: p.comment,
    }));
}

/** One judge's agreement in the flat shape of GET /api/v1/scorers/agreement: {scorer, labels, kappa, …}. */
export type AgreementSummary = Pick<
  JudgeAgreement,
  "labels" | "kappa" | "weightedKappa" | "confusion" | "warning" | "disagreements"
> & { scorer: string | null };

/**
 * The top level of an agreement answer: the judge named by `scorer` (else the first one) in flat fields,
 * beside the full list; with no judge, no labels.
 */
export function agreementSummary(judges: readonly JudgeAgreement[], scorer?: string): AgreementSummary {
  const j = judges.find((x) => x.scorer === scorer) ?? judges[0];
  if (!j) return { scorer: null, labels: 0, kappa: null, confusion: null, warning: null, disagreements: [] };
  return {
    scorer: j.scorer,
    labels: j.labels,
    kappa: j.kappa,
    ...(j.weightedKappa !== undefined ? { weightedKappa: j.weightedKappa } : {}),
    confusion: j.confusion,
    warning: j.warning,
    disagreements: j.disagreements,
  };
}

/** What a decision that relies on an LLM judge (a gate, an automatic rollback) shows about the judge. */
export interface JudgeTrust {
  scorer: string;
  labels: number;
  /** Cohen's κ on pass/fail labels, else weighted κ on 1–5 labels; null when undefined or unlabelled. */
  kappa: number | null;
  /** Why not to trust the judge alone (under 30 labels, κ < 0.6), in words; null when it may. */
  warning: string | null;
  /** Whose labels, when they are not the rule's own: "on its online outputs in production". */
  source: string | null;
  /** All of it in one sentence, as the page, the plan and the alert show it. */
  sentence: string;
}

export function trustOf(a: JudgeAgreement, source: string | null): JudgeTrust {
  const kappa = a.kappa;
  const from = source ? ` ${source}` : "";
  const sentence = a.warning
    ? `LLM judge ${a.scorer} is not checked well enough against people${from}: ${a.warning[0]!.toLowerCase()}${a.warning.slice(1)}`
    : `LLM judge ${a.scorer} agrees with people at κ ${kappa!.toFixed(2)} (${kappaLabel(kappa!)}, ${a.labels} labels${from}).`;
  return { scorer: a.scorer, labels: a.labels, kappa, warning: a.warning, source, sentence };
}
