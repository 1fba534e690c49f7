import { describe, expect, it } from "vitest";
import { KeyBudget } from "./rate-limit";

describe("KeyBudget", () => {
  it("allows a minute's worth at once, then refills at the rate, per key", () => {
    let now = 0;
    const b = new KeyBudget(60, () => now); // one a second
    for (let i = 0; i < 60; i++) expect(b.take("k", 1)).toBe(0);
    expect(b.take("k", 1)).toBe(1000);
    expect(b.take("other", 1)).toBe(0);
    now += 1000;
    expect(b.take("k", 1)).toBe(0);
    expect(b.take("k", 1)).toBeGreaterThan(0);
  });

  it("lets one request larger than the budget through, then makes the key wait for the debt", () => {
    let now = 0;
    const b = new KeyBudget(1000, () => now);
    expect(b.take("k", 5000)).toBe(0); // 1,000 left, 5,000 spent: 4,000 in debt
    const wait = b.take("k", 1);
    expect(wait).toBe(240_060); // 4,001 tokens (the debt and one to spend) at 1,000 a minute
    now += wait;
    expect(b.take("k", 1)).toBe(0);
  });

  it("charge spends what was already used even when the key has nothing left, and the key waits for it", () => {
    let now = 0;
    const b = new KeyBudget(1000, () => now);
    expect(b.take("k", 1000)).toBe(0);
    expect(b.take("k", 1)).toBeGreaterThan(0); // nothing left: take refuses and spends nothing
    b.charge("k", 3000); // a body that inflated to 3,000 after its compressed bytes were taken
    expect(b.take("k", 1)).toBe(180_060); // 3,001 tokens (the debt and one to spend) at 1,000 a minute
  });
});
