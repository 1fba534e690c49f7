// How well each LLM-judge scorer of an online rule agrees with people's labels (annotations.ts). Each
// label is paired with the judge's score of the same output: pass/fail labels against the judge's pass
// (its score at or above the scorer's threshold) give Cohen's κ; 1–5 labels against the judge's score
// put on the same scale (1 + round(4·score)) give quadratic-weighted κ and Spearman's ρ. Below 30
// labels, or with κ under 0.6, the result carries a warning in words.
import { sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { AppError } from "../../errors";
import { cohenKappa, kappaLabel, spearman, type Confusion } from "../../stats";
import { findRule, judges, MIN_KAPPA, MIN_LABELS } from "./annotations";

export interface Disagreement {
  sampleId: number;
  output: string;
  human: number;
  judge: number;
  judgeScore: number;
  reason: string;
  comment: string;
}

export interface JudgeAgreement {
  scorer: string;
  /** Pairs of a label and the judge's score of the same output. */
  labels: number;
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

export type Pair = {
  sampleId: number;
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
  const kappa = k?.kappa ?? w?.kappa ?? null;
  const n = pairs.length;
  const warning =
    n < MIN_LABELS
      ? `Only ${n} label${n === 1 ? "" : "s"}: at least ${MIN_LABELS} are needed before the agreement means much.`
      : kappa === null
        ? "The agreement is undefined: people and the judge each gave one and the same answer to everything."
        : kappa < MIN_KAPPA
          ? `κ = ${kappa.toFixed(2)} (${kappaLabel(kappa)}) is below ${MIN_KAPPA}: do not let this judge decide alone.`
          : null;
  const disagreements = [
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
      output: p.output.length > 500 ? `${p.output.slice(0, 500)}…` : p.output,
      human,
      judge,
      judgeScore: p.score,
      reason: p.reason,
      comment: p.comment,
    }));
  return {
    scorer,
    labels: n,
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

/** Each LLM-judge scorer of the rule (or the one named) against people's labels of the same outputs. */
export async function judgeAgreement(
  db: Db,
  projectId: string,
  ruleId: string,
  opts: { scorer?: string } = {},
): Promise<{ rule: string; judges: JudgeAgreement[] }> {
  const rule = await findRule(db, projectId, ruleId);
  const list = judges(rule).filter((s) => opts.scorer === undefined || s.name === opts.scorer);
  if (opts.scorer !== undefined && !list.length)
    throw new AppError("not_found", `Rule ${rule.id} has no LLM-judge scorer ${opts.scorer}.`, { field: "scorer" });
  const out: JudgeAgreement[] = [];
  for (const judge of list) {
    const pairs = await queryRows<Pair>(
      db,
      sql`select s.id as "sampleId", s.output, a.scale, a.value, a.comment, o.score, o.passed, o.reason
          from annotations a
          join online_samples s on s.id = a.sample_id
          join online_scores o on o.sample_id = s.id and o.scorer = ${judge.name}
          where s.rule_id = ${rule.id} and o.score is not null
          order by a.updated_at desc`,
    );
    out.push(
      agreementOf(
        judge.name,
        judge.threshold,
        pairs.map((p) => ({ ...p, sampleId: Number(p.sampleId) })),
      ),
    );
  }
  return { rule: rule.id, judges: out };
}
