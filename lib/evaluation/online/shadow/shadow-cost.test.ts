// The worst case one shadow answer can cost, held against the daily cost cap before its calls, and the
// notices of the caps. Worked by hand: prices are USD per million tokens.
import { describe, expect, it } from "vitest";
import { parseScorerSpecs } from "../../../scorers";
import type { ShadowConfig } from "../contracts";
import { budgetStop } from "./shadow-budget";
import {
  IMAGE_TOKEN_BOUND,
  inputTokenBound,
  UNCAPPED_OUTPUT_TOKENS,
  worstCaseUsd,
  type AnswerPlan,
} from "./shadow-cost";

const prices = {
  cand: { inputPerMTok: 1_000_000, outputPerMTok: 2_000_000 }, // $1 an input token, $2 an output token
  judge: { inputPerMTok: 1_000_000, outputPerMTok: 0 },
  embed: { inputPerMTok: 1_000_000, outputPerMTok: 0 },
};

// "héllo" is 6 UTF-8 bytes; one message's framing is 16, the request's own 16.
const request = { model: "cand", messages: [{ role: "user" as const, content: "héllo" }], maxTokens: 10 };
const plan = (over: Partial<AnswerPlan> = {}): AnswerPlan => ({
  candidate: request,
  scorers: [],
  judge: null,
  shown: { input: { a: 1 }, liveOutput: "ok" }, // {"a":1} is 7 bytes, "ok" 2
  ...over,
});
const [judge, pairwise] = parseScorerSpecs([
  { type: "llm_judge", model: "judge", rubric: "abcd", maxTokens: 50 },
  { type: "llm_judge", name: "pairwise", mode: "pairwise", model: "judge", rubric: "abcd", maxTokens: 50 },
]);

describe("worstCaseUsd", () => {
  it("bounds the input by its UTF-8 bytes and the output by maxTokens", () => {
    expect(inputTokenBound(request)).toBe(6 + 16 * 2);
    expect(inputTokenBound({ model: "cand", prompt: "abc", system: "xy" })).toBe(5 + 16);
    expect(worstCaseUsd(plan(), prices)).toBeCloseTo(38 * 1 + 10 * 2, 9);
  });

  it("holds the uncapped output for a version without maxTokens", () => {
    const { maxTokens: _, ...uncapped } = request;
    expect(worstCaseUsd(plan({ candidate: uncapped }), prices)).toBeCloseTo(38 + UNCAPPED_OUTPUT_TOKENS * 2, 6);
  });

  it("adds each judge call: the candidate's answer twice over, what it is shown, its rubric and framing", () => {
    // Shown: 2 × 10 answer tokens + 7 + 2 bytes; rubric 4; framing 1,024; output priced at 0.
    const oneJudge = 20 + 9 + 4 + 1024;
    expect(worstCaseUsd(plan({ scorers: [judge!] }), prices)).toBeCloseTo(58 + oneJudge, 9);
    // The pairwise judge is asked twice.
    expect(worstCaseUsd(plan({ judge: pairwise! }), prices)).toBeCloseTo(58 + 2 * oneJudge, 9);
  });

  it("adds consistency's reruns and embeddings, and nothing for a model without a price or an answer that cannot render", () => {
    const [consistency] = parseScorerSpecs([{ type: "consistency", k: 3, method: "embedding", model: "embed" }]);
    expect(worstCaseUsd(plan({ scorers: [consistency!] }), prices)).toBeCloseTo(58 + 2 * 58 + 3 * 2 * 10, 9);
    expect(worstCaseUsd(plan({ candidate: { ...request, model: "unpriced" } }), prices)).toBe(0);
    expect(worstCaseUsd(plan({ candidate: null, scorers: [judge!] }), prices)).toBe(0);
  });
});

describe("worstCaseUsd with images", () => {
  const big = `data:image/png;base64,iVBORw0KGgo${"A".repeat(400_001)}`; // 293 KiB of PNG-headed data
  const withImage = {
    ...request,
    messages: [
      {
        role: "user" as const,
        content: [
          { type: "text" as const, text: "héllo" },
          { type: "image" as const, url: big },
        ],
      },
    ],
  };

  it("counts each image at IMAGE_TOKEN_BOUND, not its URL's bytes", () => {
    expect(inputTokenBound(withImage)).toBe(6 + IMAGE_TOKEN_BOUND + 16 * 2);
  });

  it("bounds a judge by the image it is shown and the input with the data: URL described", () => {
    const shown = { input: { photo: big }, liveOutput: "ok" };
    const described = JSON.stringify({ photo: "[image: data:image/png (293 KiB)]" }).length;
    const oneJudge = 20 + described + 2 + IMAGE_TOKEN_BOUND + 4 + 1024;
    const candidate = 6 + IMAGE_TOKEN_BOUND + 32 + 10 * 2;
    expect(worstCaseUsd(plan({ candidate: withImage, scorers: [judge!], shown }), prices)).toBeCloseTo(
      candidate + oneJudge,
      9,
    );
  });
});

describe("budgetStop", () => {
  const config: ShadowConfig = {
    versions: [2],
    sampleRate: 1,
    maxCallsPerDay: 10,
    maxCostUsdPerDay: 2.5,
    connection: null,
    judge: null,
  };
  const spend = { calls: 4, costUsd: 1, heldCalls: 0, heldCostUsd: 0 };

  it("counts what answers in flight hold as spent", () => {
    expect(budgetStop(config, spend, { calls: 3, costUsd: 1 })).toBeNull();
    expect(budgetStop(config, { ...spend, heldCalls: 4 }, { calls: 3, costUsd: 0 })).toBe(
      "the daily cap of 10 model calls is reached (4 spent today, 4 held by answers in flight, 3 per answer); shadow answers resume tomorrow (UTC)",
    );
    expect(budgetStop(config, { ...spend, heldCostUsd: 1 }, { calls: 1, costUsd: 1 })).toBe(
      "the daily cost cap of $2.50 is reached ($1.0000 spent today, $1.0000 held by answers in flight, and an answer may cost up to $1.0000); shadow answers resume tomorrow (UTC)",
    );
  });

  it("stops at the cost cap itself, and never for cost without one", () => {
    expect(budgetStop(config, { ...spend, costUsd: 2.5 }, { calls: 1, costUsd: 0 })).toMatch(
      /^the daily cost cap of \$2\.50 is reached \(\$2\.5000 spent today\);/,
    );
    expect(
      budgetStop({ ...config, maxCostUsdPerDay: null }, { ...spend, costUsd: 99 }, { calls: 1, costUsd: 9 }),
    ).toBeNull();
  });
});
