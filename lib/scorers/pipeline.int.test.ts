// The whole path an evaluation run takes for each item, as a reference for the run worker: a prompt
// version + the item's variables → requestForVersion → callModel → scoreItem → aggregateScores.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemThenUser } from "../../test/chat-template";
import { startLlmServer, type LlmServer } from "../../test/llm-server";
import { callModel } from "../llm/call-model";
import { createModelCaller } from "../llm/model-caller";
import { requestForVersion } from "../llm/request";
import { parseContent } from "../registry/content";
import { aggregateScores } from "./run-scores";
import { createScorerModels } from "./scorer-models";
import { scoreItem } from "./run";
import { parseScorerSpecs } from "./spec";

let server: LlmServer;
beforeAll(async () => {
  server = await startLlmServer({
    script: {
      rules: [
        { match: "<answer>", regex: "Ana|Ben", json: { reasoning: "Polite and personal.", score: 5 } },
        { match: "<answer>", json: { reasoning: "Cold.", score: 2 } },
        { match: "late delivery", text: "Sorry for the delay, Ana. Your parcel arrives Friday." },
        { match: "refund", text: "Hi Ben, your refund of $20 is on its way." },
        { match: "password", text: "I'm sorry, but I can't help with that." },
      ],
    },
  });
});
afterAll(async () => {
  await server.stop();
});

const version = parseContent({
  type: "chat",
  template: systemThenUser("You are a support agent for Acme. Be brief.", "Customer {{name}} writes: {{message}}"),
  variables: [{ name: "name" }, { name: "message" }],
  config: { model: "support-model", temperature: 0.2, maxTokens: 200 },
});

const dataset = [
  { input: { name: "Ana", message: "My late delivery?" }, expected: "Apologise and give the date", tags: ["shipping"] },
  { input: { name: "Ben", message: "Where is my refund?" }, expected: "Confirm the refund", tags: ["billing"] },
  { input: { name: "Cy", message: "Reset my password" }, expected: "Explain the reset link", tags: ["account"] },
];

it("runs a version over a dataset and scores it", async () => {
  const caller = createModelCaller(
    { id: "default", name: "Local", provider: "openai-compatible", baseUrl: server.baseUrl },
    { prices: { "support-model": { inputPerMTok: 1, outputPerMTok: 4 } } },
  );
  const models = createScorerModels(() => caller);
  const specs = parseScorerSpecs([
    { type: "safety" },
    { type: "length", max: 120, unit: "chars" },
    {
      type: "llm_judge",
      model: "judge",
      rubric: "Is the reply polite and addressed to the customer by name?",
      weight: 2,
    },
  ]);

  const items = [];
  let cost = 0;
  for (const item of dataset) {
    const { request } = requestForVersion(version, item.input);
    const result = await callModel(caller, request);
    expect(result.error).toBeUndefined();
    cost += result.costUsd ?? 0;
    const scored = await scoreItem(
      specs,
      { output: result.text, expected: item.expected, input: item.input },
      { models },
    );
    items.push({ tags: item.tags, ...scored });
  }

  expect(items.map((i) => [i.results.map((r) => r.score), i.passed])).toEqual([
    [[1, 1, 1], true],
    [[1, 1, 1], true],
    [[0, 1, 0.25], false], // a refusal, and the judge finds it cold
  ]);
  const summary = aggregateScores(items);
  expect(summary.score).toBeCloseTo((1 + 1 + (0 + 1 + 2 * 0.25) / 4) / 3, 12);
  expect(summary).toMatchObject({ items: 3, passed: 2, failed: 1, passRate: 2 / 3 });
  expect(summary.byTag.account!.passRate).toBe(0);
  expect(summary.byScorer.safety!.mean).toBeCloseTo(2 / 3, 12);
  expect(cost).toBeGreaterThan(0);
  // The version's config reached the model.
  expect(server.requests[0]!.body).toMatchObject({ model: "support-model", temperature: 0.2, max_tokens: 200 });
});

describe("requestForVersion errors surface before any call", () => {
  it("reports missing variables", () => {
    expect(() => requestForVersion(version, { name: "Ana" })).toThrow("Missing required variables: message");
  });
});
