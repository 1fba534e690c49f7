// Shadow evaluation's daily caps (UTC days), held atomically. Before its first model call an answer
// holds its worst case (its calls, and what they can cost: shadow-cost.ts) on the rule's row of the day
// with one conditional UPDATE; PostgreSQL re-checks the condition on the row it locked, so answers in
// flight, on any number of instances, cannot together pass a cap. When the answer ends it gives the hold
// back and adds what it really spent, in the transaction that stores it. A hold that does not fit is
// refused: the answer is not made, and the rule is stopped with a notice until what is held and spent
// leaves room for it again (answers in flight that cost less than their worst case), or the next day.
import { and, eq, gte, sql } from "drizzle-orm";
import type { Db } from "../../../../db/client";
import { shadowBudgets, shadowResults } from "../../../../db/schema";
import type { ShadowConfig } from "../contracts";

export type Amount = { calls: number; costUsd: number };
export type Spend = Amount & { heldCalls: number; heldCostUsd: number; refusedCostUsd: number | null };
/** What an answer holds, on which day's row: given back by settleHold. */
export type Hold = Amount & { ruleId: string; day: string };

/** The start of the UTC day `now` is in: the caps' period. */
export const dayStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
const dayOf = (now: Date) => dayStart(now).toISOString().slice(0, 10);

const usd = (x: number) => `$${x.toFixed(4)}`;

/**
 * Why a rule cannot take an answer that holds `next`, or null while it can. Held amounts count as
 * spent: they are the worst case of answers still in flight.
 */
export function budgetStop(config: ShadowConfig, spend: Omit<Spend, "refusedCostUsd">, next: Amount): string | null {
  const inFlight = (held: string) => `, ${held} held by answers in flight`;
  if (spend.calls + spend.heldCalls + next.calls > config.maxCallsPerDay)
    return `the daily cap of ${config.maxCallsPerDay} model calls is reached (${spend.calls} spent today${spend.heldCalls ? inFlight(String(spend.heldCalls)) : ""}, ${next.calls} per answer); shadow answers resume tomorrow (UTC)`;
  const max = config.maxCostUsdPerDay;
  const cost = spend.costUsd + spend.heldCostUsd;
  if (max !== null && (cost >= max || cost + next.costUsd > max))
    return `the daily cost cap of $${max.toFixed(2)} is reached (${usd(spend.costUsd)} spent today${spend.heldCostUsd ? inFlight(usd(spend.heldCostUsd)) : ""}${next.costUsd ? `, and an answer may cost up to ${usd(next.costUsd)}` : ""}); shadow answers resume tomorrow (UTC)`;
  return null;
}

/** The rule's spend on the day `now` is in (no row yet: what its stored answers of that day spent). */
export async function shadowSpend(db: Db, ruleId: string, now: Date): Promise<Spend> {
  const [row] = await db
    .select()
    .from(shadowBudgets)
    .where(and(eq(shadowBudgets.ruleId, ruleId), eq(shadowBudgets.day, dayOf(now))));
  if (row) return row;
  const [stored] = await db
    .select({
      calls: sql<number>`coalesce(sum(${shadowResults.calls}), 0)::int`,
      costUsd: sql<number>`coalesce(sum(${shadowResults.costUsd}), 0)::float8`,
    })
    .from(shadowResults)
    .where(and(eq(shadowResults.ruleId, ruleId), gte(shadowResults.createdAt, dayStart(now))));
  return {
    calls: stored?.calls ?? 0,
    costUsd: stored?.costUsd ?? 0,
    heldCalls: 0,
    heldCostUsd: 0,
    refusedCostUsd: null,
  };
}

/**
 * Holds `amount` for one answer, or returns the notice of the cap it would pass (the refused worst case
 * is kept on the row, for the next run and the comparison). The day's row starts from what the rule's
 * stored answers of that day spent (all there is before the first hold of a day).
 */
export async function holdBudget(
  db: Db,
  config: ShadowConfig,
  ruleId: string,
  now: Date,
  amount: Amount,
): Promise<{ hold: Hold } | { notice: string }> {
  const day = dayOf(now);
  const from = dayStart(now).toISOString();
  // The day's stored answers are summed only while the row does not exist yet (the first hold of a day).
  await db.execute(sql`
    insert into shadow_budgets (rule_id, day, calls, cost_usd)
    select ${ruleId}, ${day}::date, coalesce(sum(calls), 0)::int, coalesce(sum(cost_usd), 0)::float8
    from shadow_results
    where rule_id = ${ruleId} and created_at >= ${from}::timestamptz and created_at < ${from}::timestamptz + interval '1 day'
      and not exists (select 1 from shadow_budgets where rule_id = ${ruleId} and day = ${day}::date)
    on conflict do nothing`);
  const maxCost = config.maxCostUsdPerDay;
  const row = and(eq(shadowBudgets.ruleId, ruleId), eq(shadowBudgets.day, day));
  const [held] = await db
    .update(shadowBudgets)
    .set({
      heldCalls: sql`${shadowBudgets.heldCalls} + ${amount.calls}::int`,
      heldCostUsd: sql`${shadowBudgets.heldCostUsd} + ${amount.costUsd}::float8`,
      refusedCostUsd: null,
      updatedAt: sql`now()`,
    })
    .where(
      and(
        row,
        sql`${shadowBudgets.calls} + ${shadowBudgets.heldCalls} + ${amount.calls}::int <= ${config.maxCallsPerDay}::int`,
        maxCost === null
          ? undefined
          : sql`${shadowBudgets.costUsd} + ${shadowBudgets.heldCostUsd} + ${amount.costUsd}::float8 <= ${maxCost}::float8`,
      ),
    )
    .returning({ day: shadowBudgets.day });
  if (held) return { hold: { ...amount, ruleId, day } };
  const spend = await shadowSpend(db, ruleId, now);
  // Refused by the database, so a cap is passed; the text says which (by the row as it is now).
  const notice =
    budgetStop(config, spend, amount) ??
    `the daily caps have no room for another answer now (it holds ${amount.calls} calls and up to ${usd(amount.costUsd)}); shadow answers resume when answers in flight end, or tomorrow (UTC)`;
  await db
    .update(shadowBudgets)
    .set({ refusedCostUsd: amount.costUsd, updatedAt: sql`now()` })
    .where(row);
  return { notice };
}

/** Gives a hold back and adds what the answer really spent (in the transaction that stores the answer). */
export async function settleHold(db: Db, hold: Hold, spent: Amount): Promise<void> {
  await db
    .update(shadowBudgets)
    .set({
      heldCalls: sql`greatest(0, ${shadowBudgets.heldCalls} - ${hold.calls}::int)`,
      heldCostUsd: sql`greatest(0, ${shadowBudgets.heldCostUsd} - ${hold.costUsd}::float8)`,
      calls: sql`${shadowBudgets.calls} + ${spent.calls}::int`,
      costUsd: sql`${shadowBudgets.costUsd} + ${spent.costUsd}::float8`,
      updatedAt: sql`now()`,
    })
    .where(and(eq(shadowBudgets.ruleId, hold.ruleId), eq(shadowBudgets.day, hold.day)));
}
