// Shadow evaluation's daily budget per rule (lib/evaluation/online/shadow/shadow-budget.ts): what the day's
// answers spent, and what answers in flight hold. An answer takes its worst case from the row with one
// conditional UPDATE before its model calls, so concurrent answers, on any number of instances, cannot
// together pass the rule's caps; it gives back the hold and adds what it really spent when it ends.
import { sql } from "drizzle-orm";
import { check, date, doublePrecision, integer, pgTable, primaryKey } from "drizzle-orm/pg-core";
import { ownedBy, writtenAt } from "./columns";
import { onlineEvalRules } from "./online";

export const shadowBudgets = pgTable(
  "shadow_budgets",
  {
    ruleId: ownedBy(() => onlineEvalRules.id),
    // The UTC day the caps count.
    day: date({ mode: "string" }).notNull(),
    // Spent by answers that ended (settled): model calls and USD.
    calls: integer().notNull().default(0),
    costUsd: doublePrecision().notNull().default(0),
    // Held by answers in flight: their worst case, until they settle. A process that dies mid-answer
    // leaves its hold until the day ends (the caps err on the side of spending less).
    heldCalls: integer().notNull().default(0),
    heldCostUsd: doublePrecision().notNull().default(0),
    // The worst case of the last answer the cost cap refused (cleared by the next hold): until answers
    // in flight settle below it, the rule stays stopped, and its notice is made with it.
    refusedCostUsd: doublePrecision(),
    updatedAt: writtenAt(),
  },
  (t) => [
    primaryKey({ columns: [t.ruleId, t.day] }),
    check("shadow_budgets_non_negative", sql`${t.calls} >= 0 and ${t.heldCalls} >= 0 and ${t.heldCostUsd} >= 0`),
  ],
);
