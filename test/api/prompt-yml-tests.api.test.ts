// A .prompt.yml file's tests over HTTP: POST /api/v1/prompts/import makes its testData the prompt's tests dataset
// and its evaluators that dataset's scorers; a run naming no scorers then scores with them through the job queue
// against the local model server; the export writes name, testData and evaluators back.
import YAML from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { call } from "./client";
import { startScriptedModel, waitFor } from "./harness";

const suffix = Date.now().toString(36);
const name = `yml-tests-${suffix}`;
let server: LlmServer;

const source = `name: Capital Quiz
description: Names capitals
model: scripted-model
messages:
  - role: user
    content: "Capital of {{country}}?"
testData:
  - country: France
    expected: Paris
  - country: Peru
    expected: Lima
evaluators:
  - name: as expected
    string:
      equals: "{{expected}}"
  - name: names a city
    llm:
      modelId: scripted-model
      prompt: "Does {{completion}} name a city? Reply city or other."
      choices:
        - choice: city
          score: 1
        - choice: other
          score: 0
`;

beforeAll(async () => {
  server = await startScriptedModel({
    rules: [
      { match: "Reply city or other", text: "city" },
      { match: "Capital of France", text: "Paris" },
    ],
    default: { text: "No idea" },
  });
});
afterAll(async () => {
  await server?.stop();
});

describe("POST /api/v1/prompts/import of a .prompt.yml with tests", () => {
  it("makes the tests dataset; a run naming no scorers scores with the file's evaluators; export writes them back", async () => {
    const imp = await call("POST", "/api/v1/prompts/import", { body: { format: "prompt.yml", name, source } });
    expect(imp.status, JSON.stringify(imp.body)).toBe(201);
    const ds = await call("GET", `/api/v1/datasets/${encodeURIComponent(`${name} tests`)}`);
    expect(ds.body).toMatchObject({ prompt: name, version: 1, items: 2 });
    expect(ds.body.scorers.map((s: { name: string; type: string }) => [s.name, s.type])).toEqual([
      ["as expected", "exact_match"],
      ["names a city", "llm_judge"],
    ]);

    const r = await call("POST", "/api/v1/eval-runs", { body: { prompt: name, version: 1, dataset: ds.body.id } });
    expect(r.status, JSON.stringify(r.body)).toBe(202);
    const done = await waitFor("run completes", async () => {
      const g = await call("GET", `/api/v1/eval-runs/${r.body.id}`);
      return ["completed", "failed", "unscored"].includes(g.body.status) ? g.body : undefined;
    });
    // France answers Paris (as expected), Peru "No idea"; the judge calls both a city.
    expect(done).toMatchObject({ status: "completed", scores: { "as expected": 0.5, "names a city": 1 } });

    const out = await call("GET", `/api/v1/prompts/${encodeURIComponent(name)}/versions/1/export?format=prompt.yml`);
    expect(out.status).toBe(200);
    const file = YAML.parse(out.body as string) as Record<string, unknown>;
    const given = YAML.parse(source) as Record<string, unknown>;
    expect([file.name, file.testData, file.evaluators]).toEqual([given.name, given.testData, given.evaluators]);
  });
});
