// How far people trust the LLM judges a decision relies on. The labels are people's pass/fail or 1–5
// verdicts on sampled live outputs (lib/evaluation/online/annotations.ts), paired here with the judge's
// score of the same output; both the online page's agreement and the release plan's evaluation gate read
// this one query, so release does not import evaluation (as with shadow-facts.ts).
// A gate's judge is checked by the labels of the prompt's online rules and evaluation runs whose judge has
// the same model, rubric, scale and mode: the same judge, on this prompt's outputs.
import { eq, sql } from "drizzle-orm";
import { readEach, queryRows, type Db } from "../../../db/client";
import { environments, onlineEvalRules } from "../../../db/schema";
import type { NamedScorerSpec, SpecOf } from "../../scorers";
import { agreementOf, trustOf, type JudgeTrust, type Pair } from "../../scorers/judge-agreement";

/** Each label on the rule's outputs with the named judge's score of the same output, newest first. */
export async function judgePairs(db: Db, ruleId: string, scorer: string): Promise<Pair[]> {
  const rows = await queryRows<Pair>(
    db,
    sql`select s.id as "sampleId", null as "runItemId", s.output, a.scale, a.value, a.comment, o.score, o.passed, o.reason
        from annotations a
        join online_samples s on s.id = a.sample_id
        join online_scores o on o.sample_id = s.id and o.scorer = ${scorer}
        where s.rule_id = ${ruleId} and o.score is not null
        order by a.updated_at desc`,
  );
  return rows.map((p) => ({ ...p, sampleId: Number(p.sampleId), runItemId: null }));
}

/** Each label on a run's outputs with the named judge's verdict on the same output (from the item's scores). */
export async function runJudgePairs(db: Db, runId: string, scorer: string): Promise<Pair[]> {
  const rows = await queryRows<Pair>(
    db,
    sql`select null as "sampleId", i.id as "runItemId", coalesce(i.output, '') as output, a.scale, a.value, a.comment,
               (sc->>'score')::float8 as score, (sc->>'passed')::boolean as passed, coalesce(sc->>'reason', '') as reason
        from annotations a
        join eval_run_items i on i.id = a.run_item_id
        cross join lateral jsonb_array_elements(i.scores) sc
        where i.run_id = ${runId} and sc->>'name' = ${scorer} and sc->>'error' is null
        order by a.updated_at desc`,
  );
  return rows.map((p) => ({ ...p, sampleId: null, runItemId: Number(p.runItemId) }));
}

type Judge = SpecOf<"llm_judge"> & { name: string; threshold: number };
const isJudge = (s: { type: string }): s is Judge => s.type === "llm_judge";
const sameJudge = (a: Judge, b: Judge) =>
  a.model === b.model && a.rubric.trim() === b.rubric.trim() && a.scale === b.scale && a.mode === b.mode;

/** The gate's LLM judges, each with its agreement with people's labels where the same judge runs online. */
export async function gateJudges(
  db: Db,
  promptId: string,
  gateScorers: NamedScorerSpec[] | null,
): Promise<JudgeTrust[]> {
  const gate = (gateScorers ?? []).filter(isJudge);
  if (!gate.length) return [];
  const rules = await db
    .select({ id: onlineEvalRules.id, scorers: onlineEvalRules.scorers, environment: environments.name })
    .from(onlineEvalRules)
    .innerJoin(environments, eq(environments.id, onlineEvalRules.environmentId))
    .where(eq(onlineEvalRules.promptId, promptId));
  // Runs of the prompt with labelled outputs (few: labelling is by hand).
  const runs = await queryRows<{ id: string; scorers: NamedScorerSpec[] }>(
    db,
    sql`select r.id, r.scorers from eval_runs r
        where r.prompt_id = ${promptId}
          and exists (select 1 from eval_run_items i join annotations a on a.run_item_id = i.id where i.run_id = r.id)`,
  );
  const same = (scorers: NamedScorerSpec[], g: Judge) => scorers.filter(isJudge).filter((s) => sameJudge(s, g));
  const out: JudgeTrust[] = [];
  for (const g of gate) {
    const online = rules.flatMap((r) => same(r.scorers, g).map((s) => ({ rule: r, scorer: s.name })));
    const offline = runs.flatMap((r) => same(r.scorers, g).map((s) => ({ run: r.id, scorer: s.name })));
    const pairs = [
      ...(await readEach(db, online, (m) => judgePairs(db, m.rule.id, m.scorer))),
      ...(await readEach(db, offline, (m) => runJudgePairs(db, m.run, m.scorer))),
    ].flat();
    const where = [...new Set(online.map((m) => m.rule.environment))];
    const sources = [
      ...(where.length ? [`its online outputs in ${where.join(", ")}`] : []),
      ...(offline.length ? [`its outputs in ${offline.length} evaluation run${offline.length === 1 ? "" : "s"}`] : []),
    ];
    out.push(trustOf(agreementOf(g.name, g.threshold, pairs), sources.length ? `on ${sources.join(" and ")}` : null));
  }
  return out;
}
