// The LLM judge with choices (GitHub Models' LLM evaluator): the prompt as gh-models templates it, the score of the
// first listed choice the answer names (ignoring case), 0 when it names none, an error when the call fails.
import { describe, expect, it } from "vitest";
import type { ModelRequest, ModelResult } from "../llm/types";
import { runScorer } from "./run";
import { parseScorerSpecs } from "./spec";
import type { ScorerModels } from "./types";

const judge = (extra: Record<string, unknown> = {}) =>
  parseScorerSpecs([
    {
      type: "llm_judge",
      name: "j",
      model: "m",
      rubric: "Q: {{question}} / A: {{completion}} / want {{expected}} / {{unknown}}",
      choices: [
        { choice: "great", score: 1 },
        { choice: "ok", score: 0.5 },
        { choice: "bad", score: 0 },
      ],
      threshold: 0.5,
      ...extra,
    },
  ])[0]!;

function models(text: string, error?: ModelResult["error"]) {
  const seen: ModelRequest[] = [];
  const m: ScorerModels = {
    generate: async (_c, req) => {
      seen.push(req);
      return {
        text,
        usage: { inputTokens: 3, outputTokens: 1 },
        costUsd: null,
        ...(error ? { error } : {}),
      } as ModelResult;
    },
    embed: async () => {
      throw new Error("no embeddings");
    },
  };
  return { m, seen };
}

const ctx = { output: "Paris", input: { question: "Capital of France?" }, expected: "Paris" };

describe("llm_judge with choices", () => {
  it("sends the prompt with {{key}} replaced, the system prompt first, and no response format", async () => {
    const { m, seen } = models("great");
    await runScorer(judge({ systemPrompt: "You grade." }), ctx, { models: m });
    expect(seen[0]!.messages).toEqual([
      { role: "system", content: "You grade." },
      { role: "user", content: "Q: Capital of France? / A: Paris / want Paris / {{unknown}}" },
    ]);
    expect(seen[0]!.responseFormat).toBeUndefined();
  });

  it.each([
    ["Great answer", 1, true],
    ["It is OK, not great", 1, true], // the first listed choice named wins, as in gh-models
    ["ok", 0.5, true],
    ["BAD", 0, false],
    ["no idea", 0, false],
  ])("answer %j scores %d", async (answer, score, passed) => {
    const r = await runScorer(judge(), ctx, { models: models(answer).m });
    expect([r.score, r.passed, r.error]).toEqual([score, passed, undefined]);
  });

  it("reports a failed call as an error, not a score", async () => {
    const r = await runScorer(judge(), ctx, {
      models: models("", { kind: "timeout", message: "slow", retryable: true }).m,
    });
    expect(r.error).toMatch(/the judge call failed \(timeout\): slow/);
  });

  it.each([
    [{ systemPrompt: "x", choices: undefined }, /systemPrompt is only read with choices/],
    [{ mode: "pairwise" }, /choices grade one answer/],
    [{ choices: [{ choice: "a", score: 2 }] }, /between 0 and 1/],
    [{ choices: [] }, /at least one choice/],
  ])("refuses %o", (extra, message) => {
    expect(() => judge(extra)).toThrow(message);
  });
});
