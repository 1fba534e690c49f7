// Shadow evaluation, one answer under the rule's daily caps (shadow-budget.ts): its worst case held
// before its first model call, then the answer (shadow-answer.ts) stored and the hold settled to what it
// really spent, in one transaction. The run around it: shadow.ts.
import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { shadowResults } from "../../../../db/schema";
import type { PriceTable } from "../../../llm/pricing";
import { servedRequest } from "../../../runtime/render-as-served";
import type { ScorerModels } from "../../../scorers";
import { answer, type ShadowTask } from "./shadow-answer";
import { holdBudget, settleHold, type Hold } from "./shadow-budget";
import { worstCaseUsd } from "./shadow-cost";

export type HeldBudget = { now: Date; perAnswer: number; prices: PriceTable; floor: number };

/**
 * One answer under the rule's caps: its worst case held first (its calls, and the larger of what they
 * can cost by the price table and the most an answer of the rule cost lately), the answer stored and
 * the hold settled to what it spent in one transaction. A refused hold: no call, and the notice.
 */
export async function answerHeld(db: Db, task: ShadowTask, models: ScorerModels, budget: HeldBudget) {
  let request = null;
  try {
    request = servedRequest(task.candidate, task.sample.input).request;
  } catch {
    // It cannot render: answer() keeps the reason, and no call is made.
  }
  let hold: Hold | null = null;
  if (request) {
    const plan = {
      candidate: request,
      scorers: task.rule.scorers,
      judge: task.rule.shadow.judge,
      shown: { input: task.sample.input, liveOutput: task.sample.output },
    };
    const costUsd = Math.max(worstCaseUsd(plan, budget.prices), budget.floor);
    const held = await holdBudget(db, task.rule.shadow, task.rule.id, budget.now, { calls: budget.perAnswer, costUsd });
    if ("notice" in held) return held;
    hold = held.hold;
  }
  let row;
  try {
    row = await answer(task, models);
  } catch (e) {
    // What it spent is unknown: the hold counts as spent.
    if (hold) await settleHold(db, hold, hold);
    throw e;
  }
  return db.transaction(async (tx) => {
    const [stored] = await tx
      .insert(shadowResults)
      .values(row)
      .onConflictDoNothing()
      .returning({ status: shadowResults.status });
    // Spent even when another run stored this answer first.
    if (hold) await settleHold(tx, hold, { calls: row.calls ?? 0, costUsd: row.costUsd ?? 0 });
    return { stored: stored?.status ?? null };
  });
}

/** The most one answer of the rule cost in the week before `now` (0 when none did). */
export async function costliest(db: Db, ruleId: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ max: sql<number | null>`max(${shadowResults.costUsd})::float8` })
    .from(shadowResults)
    .where(
      and(eq(shadowResults.ruleId, ruleId), gte(shadowResults.createdAt, new Date(now.getTime() - 7 * 86_400_000))),
    );
  return row?.max ?? 0;
}
