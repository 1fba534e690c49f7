// Shared by the api tests that drive the server's background work: the cron routes, polling for an outcome,
// and the scripted model server on the port scripts/with-server.sh gives the server as its model endpoint.
import { expect } from "vitest";
import { startLlmServer, type LlmServer, type Script } from "../llm-server";
import { call } from "./client";

export { waitFor } from "../waits";

const cronSecret = process.env.LECTERN_TEST_CRON_SECRET ?? "";

/** Calls a cron job until a run (not a skipped, locked one) answers: another test's call may hold its lock. */
export async function runCron(job: string, opts: { expectOk?: boolean } = {}) {
  for (let i = 0; i < 100; i++) {
    const r = await call("POST", `/api/cron/${job}`, { key: cronSecret });
    if (opts.expectOk) expect(r.status).toBe(200);
    if (r.body?.ran) return r.body.result;
    await new Promise((res) => setTimeout(res, 200));
  }
  throw new Error(`${job} stayed locked`);
}

/** The local model server playing `script`, on the port the server under test calls as its model endpoint. */
export async function startScriptedModel(script: Script): Promise<LlmServer> {
  const port = Number(process.env.LECTERN_TEST_LLM_PORT);
  if (!port) throw new Error("LECTERN_TEST_LLM_PORT is not set: run the api tier through scripts/with-server.sh");
  return startLlmServer({ port, script });
}

/**
 * What the optimizer tests optimize: `prompt` ("Answer: {{question}}" on the scripted model, 10 tokens at most)
 * and its dataset `dataset` of `items` questions q0, q1, … that all expect "good answer".
 */
export async function promptToOptimize(prompt: string, dataset: string, items: number) {
  const body = {
    name: prompt,
    type: "text",
    template: "Answer: {{question}}",
    variables: [{ name: "question" }],
    config: { model: "scripted-model", maxTokens: 10 },
  };
  expect((await call("POST", "/api/v1/prompts", { body })).status).toBe(201);
  const ds = await call("POST", "/api/v1/datasets", { body: { name: dataset, prompt } });
  expect(ds.status).toBe(201);
  const rows = Array.from({ length: items }, (_, i) => ({ input: { question: `q${i}` }, expected: "good answer" }));
  expect((await call("POST", `/api/v1/datasets/${ds.body.id}/items`, { body: { items: rows } })).status).toBe(201);
}

/**
 * Generation events of version 1 of `prompt` in staging, one per output, as an application sends them: ids
 * `${idPrefix}-${i}`, subject u<i>, 50 ms, the customer Ana.
 */
export const generationsOf = (prompt: string, idPrefix: string, outputs: string[]) =>
  outputs.map((output, i) => ({
    id: `${idPrefix}-${i}`,
    type: "generation",
    prompt,
    version: 1,
    environment: "staging",
    subject: `u${i}`,
    latencyMs: 50,
    input: { customer: "Ana" },
    output,
  }));

/** A text prompt `name` ("Reply."), its version 1 live in staging. */
export async function replyLiveInStaging(name: string) {
  expect((await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "Reply." } })).status).toBe(
    201,
  );
  expect(
    (await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "staging", version: 1 } }))
      .status,
  ).toBe(201);
}
