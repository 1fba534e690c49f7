// How far people trust the LLM judges a decision relies on. The labels are people's pass/fail or 1–5
// verdicts on sampled live outputs (lib/evaluation/online/annotations.ts), paired here with the judge's
// score of the same output; both the online page's agreement and the release plan's evaluation gate read
// this one query, so release does not import evaluation (as with shadow-facts.ts).
// A gate's judge is checked by the labels of an online rule of the same prompt whose judge has the same
// model, rubric, scale and mode: the same judge, on this prompt's real outputs.
import { eq, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../db/client";
import { environments, onlineEvalRules } from "../../db/schema";
import type { NamedScorerSpec, SpecOf } from "../scorers";
import { agreementOf, trustOf, type JudgeTrust, type Pair } from "../scorers/agreement";

/** Each label on the rule's outputs with the named judge's score of the same output, newest first. */
export async function judgePairs(db: Db, ruleId: string, scorer: string): Promise<Pair[]> {
  const rows = await queryRows<Pair>(
    db,
    sql`select s.id as "sampleId", s.output, a.scale, a.value, a.comment, o.score, o.passed, o.reason
        from annotations a
        join online_samples s on s.id = a.sample_id
        join online_scores o on o.sample_id = s.id and o.scorer = ${scorer}
        where s.rule_id = ${ruleId} and o.score is not null
        order by a.updated_at desc`,
  );
  return rows.map((p) => ({ ...p, sampleId: Number(p.sampleId) }));
}

type Judge = SpecOf<"llm_judge"> & { name: string; threshold: number };
const isJudge = (s: { type: string }): s is Judge => s.type === "llm_judge";
const sameJudge = (a: Judge, b: Judge) =>
  a.model === b.model && a.rubric.trim() === b.rubric.trim() && a.scale === b.scale && a.mode === b.mode;

/** The gate's LLM judges, each with its agreement with people's labels where the same judge runs online. */
export async function gateJudges(db: Db, promptId: string, gateScorers: unknown): Promise<JudgeTrust[]> {
  const gate = ((gateScorers as NamedScorerSpec[] | null) ?? []).filter(isJudge);
  if (!gate.length) return [];
  const rules = await db
    .select({ id: onlineEvalRules.id, scorers: onlineEvalRules.scorers, environment: environments.name })
    .from(onlineEvalRules)
    .innerJoin(environments, eq(environments.id, onlineEvalRules.environmentId))
    .where(eq(onlineEvalRules.promptId, promptId));
  const out: JudgeTrust[] = [];
  for (const g of gate) {
    const matches = rules.flatMap((r) =>
      (r.scorers as NamedScorerSpec[])
        .filter(isJudge)
        .filter((s) => sameJudge(s, g))
        .map((s) => ({ rule: r, scorer: s.name })),
    );
    const pairs = (await Promise.all(matches.map((m) => judgePairs(db, m.rule.id, m.scorer)))).flat();
    const where = [...new Set(matches.map((m) => m.rule.environment))];
    out.push(
      trustOf(
        agreementOf(g.name, g.threshold, pairs),
        where.length ? `on its online outputs in ${where.join(", ")}` : null,
      ),
    );
  }
  return out;
}
