import { describe, expect, it } from "vitest";
import { costOf, defaultPrices, findPrice, priceTableSchema } from "./pricing";

describe("costOf", () => {
  it.each([
    // model, input, output, expected USD
    ["gpt-4o", 1_000_000, 0, 2.5],
    ["gpt-4o", 0, 1_000_000, 10],
    ["gpt-4o-mini", 1200, 350, (1200 * 0.15 + 350 * 0.6) / 1e6],
    ["claude-sonnet-4-5", 2000, 500, (2000 * 3 + 500 * 15) / 1e6],
    // Dated and routed ids bill like their base model.
    ["gpt-4o-2024-08-06", 1_000_000, 1_000_000, 12.5],
    ["claude-sonnet-4-5-20250929", 1_000_000, 0, 3],
    ["openai/gpt-4o-mini", 1_000_000, 0, 0.15],
    ["claude-3-5-haiku-latest", 0, 1_000_000, 4],
  ])("%s with %i in / %i out costs %f", (model, inputTokens, outputTokens, usd) => {
    expect(costOf(model, { inputTokens, outputTokens })).toBeCloseTo(usd, 10);
  });

  it.each(["llama3.1:8b", "gpt-4o-audio-preview", "", "claude-sonnet"])(
    "returns null for the unknown model %j",
    (model) => {
      expect(costOf(model, { inputTokens: 10, outputTokens: 10 })).toBeNull();
    },
  );

  it("prefers the project's overrides to the defaults, also for dated ids", () => {
    const overrides = {
      "gpt-4o": { inputPerMTok: 1, outputPerMTok: 1 },
      "llama3.1:8b": { inputPerMTok: 0, outputPerMTok: 0 },
    };
    expect(costOf("gpt-4o-2024-08-06", { inputTokens: 1_000_000, outputTokens: 1_000_000 }, overrides)).toBe(2);
    expect(costOf("llama3.1:8b", { inputTokens: 500, outputTokens: 500 }, overrides)).toBe(0);
    // Untouched models keep their default price.
    expect(costOf("gpt-4o-mini", { inputTokens: 1_000_000, outputTokens: 0 }, overrides)).toBe(0.15);
  });

  it("does not leak float noise into sums", () => {
    expect(costOf("gpt-4o-mini", { inputTokens: 1, outputTokens: 0 })).toBe(1.5e-7);
  });

  it("does not treat Object.prototype keys as models", () => {
    expect(findPrice("constructor")).toBeNull();
    expect(findPrice("__proto__")).toBeNull();
  });
});

describe("defaultPrices", () => {
  it("has non-negative prices for every model", () => {
    for (const [model, price] of Object.entries(defaultPrices)) {
      expect(price.inputPerMTok, model).toBeGreaterThanOrEqual(0);
      expect(price.outputPerMTok, model).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("priceTableSchema", () => {
  it.each([
    [{ m: { inputPerMTok: -1, outputPerMTok: 1 } }, "price must not be negative"],
    [{ m: { inputPerMTok: 1 } }, "price must be a number"],
    [{ m: 3 }, "each price must be {inputPerMTok, outputPerMTok}"],
    [[1], "prices must be an object keyed by model name"],
  ])("rejects %j with %j", (input, message) => {
    const result = priceTableSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(message);
  });
});
