// Cost of a call = tokens × the model's list price. The default table is a snapshot of the public list
// prices (USD per million tokens, standard tier, no batch or cache discounts); projects override or
// extend it, and a model found in neither gets cost null ("unknown") rather than a wrong number.
import { z } from "zod";
import type { TokenUsage } from "./types";

export interface ModelPrice {
  /** USD per 1,000,000 input (prompt) tokens. */
  inputPerMTok: number;
  /** USD per 1,000,000 output (completion) tokens. */
  outputPerMTok: number;
}

export type PriceTable = Record<string, ModelPrice>;

/** When the default table was last checked against the providers' pricing pages. */
export const defaultPricesAsOf = "2025-11";

const p = (inputPerMTok: number, outputPerMTok: number): ModelPrice => ({ inputPerMTok, outputPerMTok });

export const defaultPrices: Readonly<PriceTable> = Object.freeze({
  // OpenAI
  "gpt-5": p(1.25, 10),
  "gpt-5-mini": p(0.25, 2),
  "gpt-5-nano": p(0.05, 0.4),
  "gpt-4.1": p(2, 8),
  "gpt-4.1-mini": p(0.4, 1.6),
  "gpt-4.1-nano": p(0.1, 0.4),
  "gpt-4o": p(2.5, 10),
  "gpt-4o-mini": p(0.15, 0.6),
  "gpt-4-turbo": p(10, 30),
  "gpt-3.5-turbo": p(0.5, 1.5),
  o1: p(15, 60),
  o3: p(2, 8),
  "o3-mini": p(1.1, 4.4),
  "o4-mini": p(1.1, 4.4),
  "text-embedding-3-small": p(0.02, 0),
  "text-embedding-3-large": p(0.13, 0),
  "text-embedding-ada-002": p(0.1, 0),
  // Anthropic
  "claude-opus-4-5": p(5, 25),
  "claude-opus-4-1": p(15, 75),
  "claude-opus-4": p(15, 75),
  "claude-sonnet-4-5": p(3, 15),
  "claude-sonnet-4": p(3, 15),
  "claude-3-7-sonnet": p(3, 15),
  "claude-3-5-sonnet": p(3, 15),
  "claude-haiku-4-5": p(1, 5),
  "claude-3-5-haiku": p(0.8, 4),
  "claude-3-haiku": p(0.25, 1.25),
});

const price = z
  .number({ error: "price must be a number" })
  .min(0, "price must not be negative")
  .max(10_000, "price must be at most 10000 USD per million tokens");

/** Validates a project's overrides, e.g. `{ "llama3.1:8b": { inputPerMTok: 0, outputPerMTok: 0 } }`. */
export const priceTableSchema = z.record(
  z.string().min(1, "model name must not be empty").max(200, "model name must be at most 200 characters"),
  z.object(
    { inputPerMTok: price, outputPerMTok: price },
    { error: "each price must be {inputPerMTok, outputPerMTok}" },
  ),
  { error: "prices must be an object keyed by model name" },
);

// Providers answer with dated or routed ids ("gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929",
// "openai/gpt-4o" from LiteLLM or OpenRouter) that bill like their base model.
function candidates(model: string): string[] {
  const out = [model];
  const add = (m: string) => {
    if (!out.includes(m)) out.push(m);
  };
  for (const m of [...out]) {
    const unrouted = m.includes("/") ? m.slice(m.lastIndexOf("/") + 1) : m;
    add(unrouted);
    add(unrouted.replace(/-(\d{4}-\d{2}-\d{2}|\d{8}|latest)$/, ""));
  }
  return out;
}

/** The price of a model: the project's overrides first (exact id, then the base id), then the defaults. */
export function findPrice(model: string, overrides: PriceTable = {}): ModelPrice | null {
  const ids = candidates(model);
  for (const table of [overrides, defaultPrices]) {
    for (const id of ids) {
      if (Object.hasOwn(table, id)) return table[id] ?? null;
    }
  }
  return null;
}

/**
 * USD cost of a call, or null when the model's price is unknown. `overrides` are the project's prices,
 * consulted before the defaults.
 */
export function costOf(model: string, usage: TokenUsage, overrides: PriceTable = {}): number | null {
  const found = findPrice(model, overrides);
  if (!found) return null;
  const usd = (usage.inputTokens * found.inputPerMTok + usage.outputTokens * found.outputPerMTok) / 1_000_000;
  // Round to 1e-10 USD so sums over thousands of items do not display float noise like 0.30000000000000004.
  return Math.round(usd * 1e10) / 1e10;
}
