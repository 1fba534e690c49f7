// How well each LLM-judge scorer of an online rule agrees with people's labels (annotations.ts): the
// labels and the judge's scores of the same outputs, read here; the statistics and the warning in words
// (below 30 labels, or κ under 0.6) in lib/scorers/judge-agreement.ts.
import type { Db } from "../../../db/client";
import { judgePairs } from "../../release/plan/judge-facts";
import { AppError } from "../../errors";
import {
  agreementOf,
  agreementSummary,
  trustOf,
  type AgreementSummary,
  type JudgeAgreement,
  type JudgeTrust,
} from "../../scorers/judge-agreement";
import { getRule, judges } from "./annotations";

export { agreementOf, type Disagreement, type JudgeAgreement, type Pair } from "../../scorers/judge-agreement";

/**
 * Each LLM-judge scorer of the rule (or the one named) against people's labels of the same outputs, in
 * `judges`; the named one (else the first) also in flat fields at the top (GET /api/v1/scorers/agreement).
 */
export async function judgeAgreement(
  db: Db,
  projectId: string,
  ruleId: string,
  opts: { scorer?: string } = {},
): Promise<AgreementSummary & { rule: string; judges: JudgeAgreement[] }> {
  const rule = await getRule(db, projectId, ruleId);
  const list = judges(rule).filter((s) => opts.scorer === undefined || s.name === opts.scorer);
  if (opts.scorer !== undefined && !list.length)
    throw new AppError("not_found", `Rule ${rule.id} has no LLM-judge scorer ${opts.scorer}.`, { field: "scorer" });
  const out: JudgeAgreement[] = [];
  for (const judge of list) {
    const pairs = await judgePairs(db, rule.id, judge.name);
    out.push(agreementOf(judge.name, judge.threshold, pairs));
  }
  return { rule: rule.id, ...agreementSummary(out, opts.scorer), judges: out };
}

/**
 * The agreement in brief of a rule's LLM judges, for a decision that relies on them (an automatic
 * rollback, its alert): empty without judges, and then without a query.
 */
export async function ruleJudgeTrust(
  db: Db,
  rule: { id: string; projectId: string; scorers: Parameters<typeof judges>[0]["scorers"] },
): Promise<JudgeTrust[]> {
  if (!judges(rule).length) return [];
  return (await judgeAgreement(db, rule.projectId, rule.id)).judges.map((a) => trustOf(a, null));
}
