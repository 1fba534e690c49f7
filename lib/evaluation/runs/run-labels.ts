// People's labels on an evaluation run's outputs, and how well each LLM-judge scorer of the run agrees
// with them: the offline side of lib/evaluation/online/annotations.ts (labels are written there, by
// annotate with a runItemId). A gate's judge is checked on these too (lib/release/plan/judge-facts.ts).
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import { queryRows, type Db } from "../../../db/client";
import { datasetItems, evalRunItems, prompts } from "../../../db/schema";
import { AppError } from "../../errors";
import type { DomainContext } from "../../context";
import { runJudgePairs } from "../../release/plan/judge-facts";
import type { NamedScorerSpec } from "../../scorers";
import { agreementOf, type JudgeAgreement } from "../../scorers/judge-agreement";
import { labellerOf, type LabellingProgress } from "../online/annotations";
import { getRunRow } from "./reads";

const judgesOf = (scorers: NamedScorerSpec[]) =>
  scorers.flatMap((s) => (s.type === "llm_judge" ? [{ name: s.name, threshold: s.threshold, rubric: s.rubric }] : []));

export interface NextRunItemToLabel extends LabellingProgress {
  run: string;
  prompt: string;
  version: number;
  /** Of the run's outputs (items × repetitions). */
  outputs: number;
  item: { id: number; position: number; repetition: number; input: unknown; expected: unknown; output: string } | null;
}

/** The run's first output (in dataset order) this person has not labelled yet; null when none is left. */
export async function nextRunItemToLabel(ctx: DomainContext, runId: string): Promise<NextRunItemToLabel> {
  const run = await getRunRow(ctx.db, ctx.projectId, runId);
  const { labeller } = await labellerOf(ctx);
  const [next] = await ctx.db
    .select({
      id: evalRunItems.id,
      position: evalRunItems.position,
      repetition: evalRunItems.repetition,
      input: datasetItems.input,
      expected: datasetItems.expected,
      output: evalRunItems.output,
    })
    .from(evalRunItems)
    .innerJoin(datasetItems, eq(datasetItems.id, evalRunItems.itemId))
    .where(
      and(
        eq(evalRunItems.runId, run.id),
        isNotNull(evalRunItems.output),
        sql`not exists (select 1 from annotations a where a.run_item_id = ${evalRunItems.id} and a.labeller = ${labeller})`,
      ),
    )
    .orderBy(asc(evalRunItems.position), asc(evalRunItems.repetition))
    .limit(1);
  const [counts] = await queryRows<{ you: number; everyone: number; outputs: number }>(
    ctx.db,
    sql`select (select count(*) from annotations a join eval_run_items i on i.id = a.run_item_id
                where i.run_id = ${run.id} and a.labeller = ${labeller})::int as you,
               (select count(*) from annotations a join eval_run_items i on i.id = a.run_item_id
                where i.run_id = ${run.id})::int as everyone,
               (select count(*) from eval_run_items where run_id = ${run.id} and output is not null)::int as outputs`,
  );
  const [prompt] = await ctx.db.select({ name: prompts.name }).from(prompts).where(eq(prompts.id, run.promptId));
  return {
    run: run.id,
    prompt: prompt!.name,
    version: run.version,
    rubrics: judgesOf(run.scorers).map((j) => ({ scorer: j.name, rubric: String(j.rubric ?? "") })),
    labelled: { you: counts?.you ?? 0, everyone: counts?.everyone ?? 0 },
    outputs: counts?.outputs ?? 0,
    item: next ? { ...next, output: next.output ?? "" } : null,
  };
}

/**
 * Each LLM-judge scorer of the run (or the one named) against people's labels of the run's outputs. In
 * `disagreements`, each output is named by `runItemId` (the id labels are given with); `sampleId` is null.
 */
export async function runJudgeAgreement(
  db: Db,
  projectId: string,
  runId: string,
  opts: { scorer?: string } = {},
): Promise<{ run: string; judges: JudgeAgreement[] }> {
  const run = await getRunRow(db, projectId, runId);
  const list = judgesOf(run.scorers).filter((s) => opts.scorer === undefined || s.name === opts.scorer);
  if (opts.scorer !== undefined && !list.length)
    throw new AppError("not_found", `Run ${run.id} has no LLM-judge scorer ${opts.scorer}.`, { field: "scorer" });
  const judges: JudgeAgreement[] = [];
  for (const j of list) judges.push(agreementOf(j.name, j.threshold, await runJudgePairs(db, run.id, j.name)));
  return { run: run.id, judges };
}
