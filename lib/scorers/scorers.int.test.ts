// The model-backed scorers through lib/llm and the real AI SDK, against the local model server.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { embedText, startLlmServer, type LlmServer } from "../../test/llm-server";
import { callModel } from "../llm/call-model";
import { createModelCaller, type ModelCaller } from "../llm/model-caller";
import { aggregateScores } from "./run-scores";
import { createScorerModels } from "./scorer-models";
import { runScorer, scoreItem } from "./run";
import { cosineSimilarity } from "./similarity";
import { parseScorerSpecs, type ScorerSpecInput } from "./spec";
import type { ScoringContext } from "./types";

let server: LlmServer;
let callers: Record<string, ModelCaller>;
const prices = {
  "judge-model": { inputPerMTok: 1, outputPerMTok: 2 },
  embedder: { inputPerMTok: 0.5, outputPerMTok: 0 },
};

beforeAll(async () => {
  server = await startLlmServer();
  const base = { baseUrl: server.baseUrl, maxRetries: 0 };
  callers = {
    default: createModelCaller({ id: "default", name: "Default", provider: "openai-compatible", ...base }, { prices }),
    claude: createModelCaller(
      { id: "claude", name: "Claude", provider: "anthropic", apiKey: "k", ...base },
      { prices },
    ),
  };
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.script({});
  server.reset();
});

const models = createScorerModels((id) => {
  const c = callers[id ?? "default"];
  if (!c) throw new Error(`unknown connection ${id}`);
  return c;
});

async function run(spec: ScorerSpecInput, ctx: ScoringContext) {
  const [named] = parseScorerSpecs([spec]);
  return runScorer(named!, ctx, { models });
}

const judge = {
  type: "llm_judge",
  model: "judge-model",
  rubric: "Is the reply polite and does it use the customer's name?",
} as const;

describe("llm_judge, single", () => {
  beforeEach(() => {
    server.script({
      rules: [
        {
          match: "<answer>\nThanks for waiting, Ana!",
          json: { reasoning: "Polite and uses the name.", score: 5 },
          usage: { input: 300, output: 40 },
        },
        { match: "<answer>\nWhatever.", json: { reasoning: "Dismissive, no name.", score: 1 } },
        { match: "<answer>\nOkay Ana.", json: { reasoning: "Uses the name, curt.", score: 3 } },
        { match: "<answer>\nout of range", json: { reasoning: "?", score: 7 } },
        { match: "<answer>\nprose", text: "I would give this a 4." },
        { match: "<answer>\nboom", fail: { status: 500, message: "judge exploded" } },
      ],
    });
  });

  it.each([
    ["Thanks for waiting, Ana!", 1, true, "judge-model gave 5/5: Polite and uses the name."],
    ["Okay Ana.", 0.5, true, "judge-model gave 3/5: Uses the name, curt."],
    ["Whatever.", 0, false, "judge-model gave 1/5: Dismissive, no name."],
  ])("grades %j as %f", async (output, score, passed, reason) => {
    const r = await run(judge, { output, input: { customer: "Ana" } });
    expect(r).toMatchObject({ score, passed, reason });
    expect(r.error).toBeUndefined();
  });

  it("asks for structured output, reasoning first, at temperature 0, and reports the judge's cost", async () => {
    const r = await run(judge, { output: "Thanks for waiting, Ana!" });
    expect(r.usage).toEqual({ inputTokens: 300, outputTokens: 40, costUsd: (300 * 1 + 40 * 2) / 1e6 });
    const body = server.requests[0]!.body as {
      temperature: number;
      response_format: { type: string; json_schema: { schema: { properties: object } } };
    };
    expect(body.temperature).toBe(0);
    expect(body.response_format.type).toBe("json_schema");
    expect(Object.keys(body.response_format.json_schema.schema.properties)).toEqual(["reasoning", "score"]);
  });

  it("uses the spec's connection: an Anthropic judge", async () => {
    const r = await run({ ...judge, model: "claude-sonnet-4-5", connection: "claude" }, { output: "Whatever." });
    expect(r).toMatchObject({ score: 0, reason: "claude-sonnet-4-5 gave 1/5: Dismissive, no name." });
    expect(server.requests[0]!.api).toBe("messages");
  });

  it("maps a 0–1 scale directly", async () => {
    server.script({ rules: [{ json: { reasoning: "Mostly.", score: 0.7 } }] });
    expect((await run({ ...judge, scale: "0-1" }, { output: "x" })).score).toBeCloseTo(0.7, 12);
  });

  it.each([
    ["out of range", /^the judge's verdict is invalid: score /],
    ["prose", /^the judge did not answer with JSON: /],
    ["boom", /^the judge call failed \(server_error\): HTTP 500: the provider failed( \(\w+\))?$/],
  ])("reports %j as an error, not a score", async (output, error) => {
    const r = await run(judge, { output });
    expect(r.passed).toBe(false);
    expect(r.score).toBe(0);
    expect(r.error).toMatch(error);
  });

  it("reports an unknown connection", async () => {
    const r = await run({ ...judge, connection: "nope" }, { output: "x" });
    expect(r.error).toBe("llm_judge failed: unknown connection nope");
    expect(server.requests).toHaveLength(0);
  });
});

describe("llm_judge, pairwise in both orders", () => {
  const pairwise = { ...judge, mode: "pairwise" } as const;
  const fair = {
    rules: [
      { regex: "<answer_a>\\nGOOD", json: { reasoning: "A is kinder.", winner: "A" } },
      { regex: "<answer_b>\\nGOOD", json: { reasoning: "B is kinder.", winner: "B" } },
      { json: { reasoning: "Same.", winner: "tie" } },
    ],
  };

  it.each([
    [
      "the output wins both orders",
      fair,
      "GOOD reply",
      "BAD reply",
      1,
      /^the output wins in both orders\. Output first: A is kinder\. \| Baseline first: B is kinder\.$/,
      ["output", "output", "output"],
    ],
    [
      "the baseline wins both orders",
      fair,
      "BAD reply",
      "GOOD reply",
      0,
      /^the baseline wins in both orders\./,
      ["baseline", "baseline", "baseline"],
    ],
    ["a tie both ways", fair, "so-so", "fine", 0.5, /^tie in both orders\./, ["tie", "tie", "tie"]],
    [
      "a judge that always prefers the first answer",
      { rules: [{ json: { reasoning: "First is best.", winner: "A" } }] },
      "GOOD reply",
      "BAD reply",
      0.5,
      /^tie: the verdict changed when the order was swapped \(output first: the output; baseline first: the baseline\), a sign of position bias\./,
      ["output", "baseline", "tie"],
    ],
  ])("%s", async (_label, script, output, baseline, score, reason, [forward, reverse, verdict]) => {
    server.script(script);
    const r = await run(pairwise, { output, baseline });
    expect(r.score).toBe(score);
    expect(r.reason).toMatch(reason);
    // Each order's verdict is kept, forward being the output shown first.
    expect(r.order).toEqual({ forward, reverse, verdict });
    // Both orders were asked, one with each answer first.
    const prompts = server.requests.map((q) => q.prompt);
    expect(prompts).toHaveLength(2);
    expect(prompts.filter((p) => p.includes(`<answer_a>\n${output}`))).toHaveLength(1);
    expect(prompts.filter((p) => p.includes(`<answer_a>\n${baseline}`))).toHaveLength(1);
  });

  it("adds up the usage of both calls", async () => {
    server.script({ rules: [{ json: { reasoning: "Same.", winner: "tie" }, usage: { input: 100, output: 10 } }] });
    expect((await run(pairwise, { output: "a", baseline: "b" })).usage).toEqual({
      inputTokens: 200,
      outputTokens: 20,
      costUsd: (200 + 20 * 2) / 1e6,
    });
  });

  it("asks at temperature 0, even with a spec stored before other temperatures were refused", async () => {
    server.script({ rules: [{ json: { reasoning: "Same.", winner: "tie" } }] });
    const [named] = parseScorerSpecs([pairwise]);
    if (named?.type !== "llm_judge") throw new Error("expected an llm_judge");
    await runScorer({ ...named, temperature: 0.9 }, { output: "a", baseline: "b" }, { models });
    expect(server.requests).toHaveLength(2);
    for (const q of server.requests) expect((q.body as { temperature?: number }).temperature).toBe(0);
    // A single judge keeps its own temperature.
    server.reset();
    server.script({ rules: [{ json: { reasoning: "Fine.", score: 4 } }] });
    await run({ ...judge, temperature: 0.9 }, { output: "a" });
    expect((server.requests[0]!.body as { temperature?: number }).temperature).toBe(0.9);
  });

  it("needs a baseline", async () => {
    expect((await run(pairwise, { output: "a" })).error).toBe(
      "pairwise llm_judge needs a baseline output to compare with",
    );
  });
});

describe("embedding_similarity", () => {
  const spec = { type: "embedding_similarity", model: "embedder" } as const;
  // The server embeds deterministically, so the expected cosine can be computed exactly.
  const expectedCos = (a: string, b: string) => cosineSimilarity(embedText(a, 64), embedText(b, 64));

  it.each([
    ["refund my order please", "please refund my order"],
    ["your refund is on its way", "the refund will arrive soon"],
    ["completely different words", "nothing shared here"],
  ])("scores %j against %j by cosine", async (output, expected) => {
    const r = await run(spec, { output, expected });
    const cos = expectedCos(output, expected);
    expect(r.score).toBeCloseTo(Math.max(0, cos), 12);
    expect(r.reason).toBe(`cosine similarity ${cos.toFixed(3)} to the expected text (embedder)`);
    expect(r.usage!.costUsd).toBeCloseTo((r.usage!.inputTokens * 0.5) / 1e6, 12);
  });

  it("gives identical word bags a perfect score and passes the 0.75 default", async () => {
    const r = await run(spec, { output: "refund my order please", expected: "please refund my order" });
    expect(r).toMatchObject({ score: expect.closeTo(1, 12), passed: true, threshold: 0.75 });
  });

  it("scores an empty output 0 without calling", async () => {
    expect(await run(spec, { output: "  ", expected: "x" })).toMatchObject({ score: 0, reason: "output is empty" });
    expect(server.requests).toHaveLength(0);
  });

  it("reports a failed embedding call", async () => {
    server.script({ rules: [{ api: "embeddings", fail: { status: 400, message: "unknown model" } }] });
    expect((await run(spec, { output: "a", expected: "b" })).error).toBe(
      "the embedding call failed (bad_request): HTTP 400: the provider refused the request (invalid_request_error)",
    );
  });

  it("refuses a connection without embeddings", async () => {
    expect((await run({ ...spec, connection: "claude" }, { output: "a", expected: "b" })).error).toBe(
      'embedding_similarity failed: Connection "Claude" (anthropic) does not offer embeddings; choose an OpenAI or OpenAI-compatible connection',
    );
  });
});

describe("consistency against a scripted model", () => {
  // The model answers Paris, Paris, Lyon, Paris, … to the same question.
  beforeEach(() => server.script({ rules: [{ match: "capital", text: ["Paris", "Paris", "Lyon"] }] }));
  const ask = async () =>
    (await callModel(callers.default!, { model: "m", prompt: "What is the capital of France?" })).text;

  it("reruns the item k − 1 times and measures exact agreement", async () => {
    const r = await run({ type: "consistency", k: 4, method: "exact" }, { output: await ask(), rerun: ask });
    // Outputs: Paris, Paris, Lyon, Paris → 3 of 6 pairs agree.
    expect(r).toMatchObject({
      score: 0.5,
      reason: "3 of 6 pairs agree exactly; 2 distinct answers among 4",
      passed: false,
    });
    expect(server.requests).toHaveLength(4);
  });

  it("measures agreement by embeddings", async () => {
    const r = await run(
      { type: "consistency", k: 3, method: "embedding", model: "embedder" },
      { output: await ask(), rerun: ask },
    );
    const [p, l] = [embedText("paris", 64), embedText("lyon", 64)];
    const expected = (1 + 2 * Math.max(0, cosineSimilarity(p, l))) / 3;
    expect(r.score).toBeCloseTo(expected, 12);
    expect(r.usage).toBeDefined();
  });
});

describe("scoreItem with mixed scorers", () => {
  it("scores one item with heuristics and a judge, then aggregates", async () => {
    server.script({ rules: [{ match: "<answer>", json: { reasoning: "Fine.", score: 4 } }] });
    const specs = parseScorerSpecs([
      { type: "contains", value: "Ana" },
      { type: "length", max: 100 },
      { ...judge, weight: 2 },
    ]);
    const item = await scoreItem(specs, { output: "Thanks for waiting, Ana!", input: { customer: "Ana" } }, { models });
    expect(item.results.map((r) => [r.name, r.score])).toEqual([
      ["contains", 1],
      ["length", 1],
      ["llm_judge", 0.75],
    ]);
    expect(item.score).toBeCloseTo((1 + 1 + 2 * 0.75) / 4, 12);
    expect(item.passed).toBe(true);
    const summary = aggregateScores([{ tags: ["billing"], results: item.results }]);
    expect(summary.byScorer.llm_judge!.mean).toBe(0.75);
    expect(summary.byTag.billing!.passRate).toBe(1);
  });
});
