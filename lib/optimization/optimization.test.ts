// The pure parts of an optimization: the seeded split, the candidate's content, the budget's refusals, turns.
import { describe, expect, it } from "vitest";
import { systemThenUser } from "../../test/chat-template";
import { contentSchema } from "../registry/content";
import { budgetRefusal, worstCaseUsd } from "./budget";
import { applyCandidate, checkInstruction, instructionOf } from "./candidate";
import { turnBefore } from "./claim";
import { splitItems } from "./split";

const items = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}` }));

describe("splitItems", () => {
  it("is deterministic for a seed, disjoint, keeps order, and differs across seeds", () => {
    const a = splitItems(items, 7, 0.3);
    expect(splitItems(items, 7, 0.3)).toEqual(a);
    expect(a.heldOut).toHaveLength(6);
    expect(a.train).toHaveLength(14);
    expect(new Set([...a.train, ...a.heldOut]).size).toBe(20);
    expect(a.train.map((i) => Number(i.key.slice(1)))).toEqual(
      [...a.train.map((i) => Number(i.key.slice(1)))].sort((x, y) => x - y),
    );
    expect(splitItems(items, 8, 0.3).heldOut).not.toEqual(a.heldOut);
    // An item's side depends on its key, not its position.
    expect(
      splitItems([...items].reverse(), 7, 0.3)
        .heldOut.map((i) => i.key)
        .sort(),
    ).toEqual(a.heldOut.map((i) => i.key).sort());
  });
});

describe("candidates", () => {
  const chat = contentSchema.parse({ type: "chat", template: systemThenUser("Be kind to {{name}}.", "{{question}}") });
  it("rewrites a chat prompt's system message and adds examples as turns", () => {
    expect(instructionOf(chat)).toBe("Be kind to {{name}}.");
    const c = applyCandidate(chat, {
      instruction: "Be brief with {{name}}.",
      demos: [
        { input: { question: "hi" }, turns: [{ role: "user", content: "hi" }], output: "hello" },
        { input: { question: "x" }, turns: [{ role: "user", content: "{{bad}}" }], output: "y" },
      ],
    });
    expect(c.type === "chat" && c.template).toEqual([
      { role: "system", content: "Be brief with {{name}}." },
      { role: "user", content: "hi" },
      { role: "assistant", content: "hello" },
      { role: "user", content: "{{question}}" },
    ]);
    expect(c.examples).toEqual([{ input: { question: "hi" }, output: "hello" }]);
  });
  it("refuses an instruction that drops or adds template tags", () => {
    expect(checkInstruction("Hi {{name}}", "Hello {{name}}!")).toBe(true);
    expect(checkInstruction("Hi {{name}}", "Hello")).toContain("{{name}}");
    expect(checkInstruction("Hi {{name}}", "Hi {{name}} {{secret}}")).toContain("{{secret}}");
    expect(checkInstruction("Hi", " ")).toContain("empty");
  });
});

describe("budget", () => {
  it("refuses a call whose worst case passes a cap, with the reserve kept", () => {
    const budget = { calls: 10, costUsd: 1 };
    expect(budgetRefusal(budget, { calls: 9, costUsd: 0 }, { calls: 1, costUsd: 0 })).toBeNull();
    expect(budgetRefusal(budget, { calls: 10, costUsd: 0 }, { calls: 1, costUsd: 0 })).toContain("10 model calls");
    expect(
      budgetRefusal(budget, { calls: 5, costUsd: 0 }, { calls: 1, costUsd: 0 }, { calls: 5, costUsd: 0 }),
    ).toContain("kept");
    expect(budgetRefusal(budget, { calls: 1, costUsd: 0.95 }, { calls: 1, costUsd: 0.1 })).toContain("$1.0000");
    const prices = { m: { inputPerMTok: 0, outputPerMTok: 1_000_000 } };
    expect(worstCaseUsd({ model: "m", prompt: "x", maxTokens: 3 }, prices)).toBe(3);
    expect(worstCaseUsd({ model: "unpriced", prompt: "x" }, prices)).toBe(0);
  });
});

describe("fair turns across projects", () => {
  it("orders turns by running optimizations, then by whose last one started longest ago", () => {
    const at = (s: number) => new Date(s * 1000);
    expect(turnBefore({ running: 0, lastStart: at(5) }, { running: 1, lastStart: null })).toBe(true);
    expect(turnBefore({ running: 0, lastStart: null }, { running: 0, lastStart: at(1) })).toBe(true);
    expect(turnBefore({ running: 0, lastStart: at(1) }, { running: 0, lastStart: at(2) })).toBe(true);
    expect(turnBefore({ running: 0, lastStart: at(2) }, { running: 0, lastStart: at(1) })).toBe(false);
    // Neither ever started: first come, first served.
    expect(turnBefore({ running: 0, lastStart: null }, { running: 0, lastStart: null })).toBe(false);
  });
});
