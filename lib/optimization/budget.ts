// The budget of one optimization: model calls and USD, as shadow evaluation caps them
// (lib/evaluation/online/shadow/shadow-budget.ts). Before each call its worst case is held: one call, and what
// it can cost at most by the project's price table (a byte-level tokenizer makes at most one token per
// UTF-8 byte of input, a call writes at most its maxTokens: shadow-cost.ts); a call whose worst case
// does not fit is refused and never made. When it ends the hold becomes what it really spent. Every call
// of an optimization goes through one Meter — the candidates', the optimizer's own, the scorers' — so
// the caps cover all of them. One job owns an optimization at a time (a singleton job per id), so the
// meter lives in the job and writes what is spent to the row as it goes (a retried job starts from it).
import { inputTokenBound, UNCAPPED_OUTPUT_TOKENS } from "../evaluation/online/shadow/shadow-cost";
import { findPrice, type PriceTable } from "../llm/pricing";
import type { EmbedRequest, ModelRequest, ModelResult } from "../llm/types";
import type { ScorerModels } from "../scorers";

export type Budget = { calls: number; costUsd: number };
export type Spend = { calls: number; costUsd: number };

/** Thrown (and reported as a refused call) when the budget has no room for a call's worst case. */
export class BudgetExhausted extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BudgetExhausted";
  }
}

const usd = (x: number) => `$${x.toFixed(4)}`;

/** What a call can cost at most (USD): 0 for a model without a price (it is capped by calls only). */
export function worstCaseUsd(request: ModelRequest, prices: PriceTable): number {
  const p = findPrice(request.model, prices);
  if (!p) return 0;
  const out = request.maxTokens ?? UNCAPPED_OUTPUT_TOKENS;
  return (inputTokenBound(request) * p.inputPerMTok + out * p.outputPerMTok) / 1_000_000;
}

/** Why a call holding `next` does not fit, or null when it does. `reserve` is kept for later work. */
export function budgetRefusal(budget: Budget, spent: Spend, next: Spend, reserve: Spend = { calls: 0, costUsd: 0 }) {
  if (spent.calls + next.calls + reserve.calls > budget.calls)
    return `the budget of ${budget.calls} model calls is reached (${spent.calls} made${reserve.calls ? `, ${reserve.calls} kept for the held-out comparison` : ""})`;
  if (spent.costUsd + next.costUsd + reserve.costUsd > budget.costUsd)
    return `the budget of ${usd(budget.costUsd)} is reached (${usd(spent.costUsd)} spent${next.costUsd ? `, and the next call may cost up to ${usd(next.costUsd)}` : ""}${reserve.costUsd ? `, ${usd(reserve.costUsd)} kept for the held-out comparison` : ""})`;
  return null;
}

export class Meter {
  readonly spent: Spend;
  /** Kept back from the current phase (the search leaves room for the held-out comparison). */
  reserve: () => Spend = () => ({ calls: 0, costUsd: 0 });
  /** The first refusal's reason; once refused, every later call of the phase is refused too. */
  refused: string | null = null;

  constructor(
    readonly budget: Budget,
    private readonly models: ScorerModels,
    private readonly prices: PriceTable,
    start: Spend,
    private readonly onSpend: (spent: Spend) => Promise<void>,
  ) {
    this.spent = { ...start };
  }

  /** A new phase: refusals start over, with `reserve` kept back. */
  phase(reserve: () => Spend): void {
    this.reserve = reserve;
    this.refused = null;
  }

  private hold(worst: Spend): void {
    if (this.refused) throw new BudgetExhausted(this.refused);
    const why = budgetRefusal(this.budget, this.spent, worst, this.reserve());
    if (why) {
      this.refused = why;
      throw new BudgetExhausted(why);
    }
  }

  private async settle(calls: number, costUsd: number | null): Promise<void> {
    this.spent.calls += calls;
    this.spent.costUsd += costUsd ?? 0;
    await this.onSpend({ ...this.spent });
  }

  /** One model call through Lectern's callModel on `connection`, within the budget (else BudgetExhausted). */
  async generate(connection: string | undefined, request: ModelRequest): Promise<ModelResult> {
    this.hold({ calls: 1, costUsd: worstCaseUsd(request, this.prices) });
    const r = await this.models.generate(connection, request);
    // A call never sent (aborted before its first attempt, an image refused) made no call and cost nothing.
    await this.settle(r.attempts > 0 ? 1 : 0, r.costUsd);
    return r;
  }

  /** The scorers' model access, metered: a judge or an embedding the budget refuses is an errored score. */
  scorerModels(): ScorerModels {
    return {
      generate: (connection, request) => this.generate(connection, request),
      embed: async (connection, request: EmbedRequest) => {
        const p = findPrice(request.model, this.prices);
        const bytes = request.values.reduce((n, v) => n + new TextEncoder().encode(v).length, 0);
        this.hold({ calls: 1, costUsd: p ? (bytes * p.inputPerMTok) / 1_000_000 : 0 });
        const r = await this.models.embed(connection, request);
        await this.settle(r.attempts > 0 ? 1 : 0, r.costUsd);
        return r;
      },
    };
  }
}
