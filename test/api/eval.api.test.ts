// Offline evaluation over HTTP: datasets (CSV, JSON and NDJSON uploads, the all-or-nothing 422, edits
// making versions, export), an evaluation run through the job queue against the local model server
// (202, progress, items, comparison), cancellation, and the environment gate refusing a promotion
// with 409 gate_failed and then allowing it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { call, errorCode } from "./client";
import { startScriptedModel, waitFor } from "./harness";

const suffix = Date.now().toString(36);
const prompt = `eval-${suffix}`;
const dsName = `eval-set-${suffix}`;
let server: LlmServer;
let datasetId = "";

beforeAll(async () => {
  server = await startScriptedModel({ rules: [{ match: "Bad:", text: "no idea" }], default: { text: "good answer" } });
  const config = { model: "scripted-model" };
  const variables = [{ name: "question" }, { name: "n", type: "number", required: false }];
  expect(
    (
      await call("POST", "/api/v1/prompts", {
        body: { name: prompt, type: "text", template: "Good: {{question}}", variables, config },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call("POST", `/api/v1/prompts/${prompt}/versions`, {
        body: { template: "Bad: {{question}}", variables, config },
      })
    ).status,
  ).toBe(201);
});
afterAll(async () => {
  await call("PATCH", "/api/v1/environments/staging", { body: { evaluationGate: null } });
  await server?.stop();
});

describe("datasets", () => {
  it("creates a dataset tied to the prompt; bad input is refused naming the field", async () => {
    const bad = await call("POST", "/api/v1/datasets", { body: { name: "", prompt } });
    expect([bad.status, errorCode(bad), bad.body.error.details.field]).toEqual([422, "unprocessable", "name"]);
    const noPrompt = await call("POST", "/api/v1/datasets", { body: { name: dsName, prompt: `nope-${suffix}` } });
    expect([noPrompt.status, noPrompt.body.error.details.field]).toEqual([422, "prompt"]);
    const r = await call("POST", "/api/v1/datasets", { body: { name: dsName, prompt, description: "API test" } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: dsName, prompt, version: 0, items: 0 });
    datasetId = r.body.id;
    expect((await call("POST", "/api/v1/datasets", { body: { name: dsName } })).status).toBe(409);
    expect((await call("GET", `/api/v1/datasets/${encodeURIComponent(dsName)}`)).body.id).toBe(datasetId);
    expect((await call("GET", "/api/v1/datasets")).body.data.map((d: { name: string }) => d.name)).toContain(dsName);
  });

  it("imports CSV typed by the prompt; a bad row refuses the whole upload with 422 listing rows", async () => {
    const bad = await call("POST", `/api/v1/datasets/${datasetId}/items`, {
      raw: "question,n,expected\nok,1,good answer\nfine,many,x\n",
      headers: { "content-type": "text/csv" },
    });
    expect([bad.status, errorCode(bad)]).toEqual([422, "unprocessable"]);
    expect(bad.body.error.details.errors).toEqual([
      { row: 2, field: "input.n", message: 'input.n must be a number, got "many"' },
    ]);
    expect((await call("GET", `/api/v1/datasets/${datasetId}`)).body).toMatchObject({ version: 0, items: 0 });

    const rows = Array.from({ length: 6 }, (_, i) => `q${i},${i},good answer,${i % 2 ? "odd" : "even"}`);
    const csv = await call("POST", `/api/v1/datasets/${datasetId}/items`, {
      raw: `question,n,expected,tags\n${rows.join("\n")}\n`,
      headers: { "content-type": "text/csv; charset=utf-8" },
    });
    expect([csv.status, csv.body]).toEqual([201, { version: 1, added: 6 }]);
    const nd = await call("POST", `/api/v1/datasets/${datasetId}/items`, {
      raw: '{"input":{"question":"q6"},"expected":"good answer"}\n',
      headers: { "content-type": "application/x-ndjson" },
    });
    expect(nd.body).toEqual({ version: 2, added: 1 });
    const js = await call("POST", `/api/v1/datasets/${datasetId}/items`, {
      body: { items: [{ input: { question: "q7", n: 7 }, expected: "good answer", tags: ["odd"] }] },
    });
    expect(js.body).toEqual({ version: 3, added: 1 });
    const wrongType = await call("POST", `/api/v1/datasets/${datasetId}/items`, {
      raw: "<xml/>",
      headers: { "content-type": "application/xml" },
    });
    expect(wrongType.status).toBe(400);

    const page = await call("GET", `/api/v1/datasets/${datasetId}/items?limit=2&offset=0`);
    expect(page.body.total).toBe(8);
    expect(page.body.items[0]).toMatchObject({
      input: { question: "q0", n: 0 },
      expected: "good answer",
      tags: ["even"],
    });
  });

  it("edits and removals make versions; export reads any version", async () => {
    const page = await call("GET", `/api/v1/datasets/${datasetId}/items?limit=100`);
    const last = page.body.items.at(-1);
    const edit = await call("PATCH", `/api/v1/datasets/${datasetId}/items/${last.id}`, {
      body: { tags: ["odd", "edited"] },
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ version: 4, item: { key: last.key, tags: ["odd", "edited"] } });
    const del = await call("DELETE", `/api/v1/datasets/${datasetId}/items/${edit.body.item.id}`);
    expect(del.body).toEqual({ version: 5, removed: 1 });
    expect((await call("DELETE", `/api/v1/datasets/${datasetId}/items/${edit.body.item.id}`)).status).toBe(409);
    const csv = await call("GET", `/api/v1/datasets/${datasetId}/export?format=csv`);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(String(csv.body).trim().split("\n")).toHaveLength(1 + 7);
    const jsonl = await call("GET", `/api/v1/datasets/${datasetId}/export?format=jsonl&version=4`);
    expect(String(jsonl.body).trim().split("\n")).toHaveLength(8);
    expect((await call("GET", `/api/v1/datasets/${datasetId}/export?format=xml`)).status).toBe(400);
  });
});

describe("evaluation runs", () => {
  let good = "";
  let bad = "";

  it("refuses a bad run request naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ prompt, version: 1, dataset: datasetId, repetitions: 0 }, "repetitions"],
      [{ prompt, version: 1, dataset: datasetId, scorers: [{ type: "nope" }] }, "scorers.0.type"],
      [{ prompt, version: 1 }, "dataset"],
    ];
    for (const [body, field] of cases) {
      const r = await call("POST", "/api/v1/eval-runs", { body });
      expect([r.status, errorCode(r), r.body.error.details.field], JSON.stringify(r.body)).toEqual([
        422,
        "unprocessable",
        field,
      ]);
    }
    expect((await call("POST", "/api/v1/eval-runs", { body: { prompt, version: 9, dataset: datasetId } })).status).toBe(
      404,
    );
  });

  it("runs a version through the job queue against the local model server", async () => {
    const r = await call("POST", "/api/v1/eval-runs", {
      body: { prompt, version: 1, dataset: datasetId, scorers: [{ type: "exact_match" }], concurrency: 4 },
    });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: "queued", progress: { done: 0, total: 7 } });
    good = r.body.id;
    const done = await waitFor("run completes", async () => {
      const g = await call("GET", `/api/v1/eval-runs/${good}`);
      return g.body.status === "completed" || g.body.status === "failed" ? g.body : undefined;
    });
    expect(done).toMatchObject({
      status: "completed",
      progress: { done: 7, total: 7 },
      score: 1,
      scores: { exact_match: 1 },
      prompt,
      version: 1,
      dataset: { id: datasetId, version: 5 },
    });
    expect(done.startedAt).toEqual(expect.any(String));
    expect(done.finishedAt).toEqual(expect.any(String));
    const items = await call("GET", `/api/v1/eval-runs/${good}/items?limit=3`);
    expect(items.body.total).toBe(7);
    expect(items.body.items[0]).toMatchObject({
      input: { question: "q0" },
      output: "good answer",
      expected: "good answer",
      passed: true,
    });
    expect(items.body.items[0].scores[0]).toMatchObject({ name: "exact_match", score: 1, reason: expect.any(String) });

    const b = await call("POST", "/api/v1/eval-runs", {
      body: { prompt, version: 2, dataset: dsName, scorers: [{ type: "exact_match" }] },
    });
    bad = b.body.id;
    await waitFor(
      "second run completes",
      async () => (await call("GET", `/api/v1/eval-runs/${bad}`)).body.status === "completed",
    );
    const cmp = await call("GET", `/api/v1/eval-runs/compare?a=${good}&b=${bad}&regressions=true&limit=2`);
    expect(cmp.status).toBe(200);
    expect(cmp.body).toMatchObject({ regressions: 7, total: 7, delta: -1 });
    expect(cmp.body.items[0]).toMatchObject({
      a: { output: "good answer", score: 1 },
      b: { output: "no idea", score: 0 },
      delta: -1,
      regression: true,
    });
    const list = await call("GET", `/api/v1/eval-runs?prompt=${prompt}`);
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([bad, good]);
    expect((await call("GET", "/api/v1/eval-runs/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  }, 60_000);

  it("cancels a run; a finished run cannot be cancelled", async () => {
    server.script({ rules: [{ match: "Good:", hold: true, text: "good answer" }] });
    const r = await call("POST", "/api/v1/eval-runs", {
      body: { prompt, version: 1, dataset: datasetId, scorers: [{ type: "exact_match" }], concurrency: 2 },
    });
    await waitFor("calls in flight", async () => server.inFlight > 0);
    const c = await call("POST", `/api/v1/eval-runs/${r.body.id}/cancel`);
    expect(c.status).toBe(200);
    const end = await waitFor("run cancelled", async () => {
      const g = await call("GET", `/api/v1/eval-runs/${r.body.id}`);
      return g.body.status === "cancelled" ? g.body : undefined;
    });
    expect(end.progress.done).toBeLessThan(7);
    server.release();
    server.script({ rules: [{ match: "Bad:", text: "no idea" }], default: { text: "good answer" } });
    const again = await call("POST", `/api/v1/eval-runs/${r.body.id}/cancel`);
    expect([again.status, errorCode(again)]).toEqual([409, "conflict"]);
  }, 60_000);

  it("the gate refuses a promotion with 409 gate_failed, then allows a passing version", async () => {
    const bogus = await call("PATCH", "/api/v1/environments/staging", {
      body: { evaluationGate: { dataset: datasetId, minScore: 2 } },
    });
    expect(bogus.status).toBe(400);
    // The gate's own scorers: only runs made with them count (runs with other scorers do not).
    const set = await call("PATCH", "/api/v1/environments/staging", {
      body: { evaluationGate: { dataset: dsName, minScore: 0.8, maxDrop: 0.1, scorers: [{ type: "exact_match" }] } },
    });
    expect(set.status).toBe(200);
    expect(set.body.evaluationGate).toEqual({
      dataset: datasetId,
      datasetName: dsName,
      datasetVersion: null,
      minScore: 0.8,
      maxDrop: 0.1,
      mode: "threshold",
      scorers: [
        {
          type: "exact_match",
          name: "exact_match",
          weight: 1,
          threshold: 1,
          trim: true,
          ignoreCase: false,
          collapseWhitespace: false,
        },
      ],
    });
    expect((await call("GET", "/api/v1/environments/staging")).body.evaluationGate).toMatchObject({
      dataset: datasetId,
    });
    // A PATCH that leaves scorers out keeps them, so the runs made with them still count (below).
    const moved = await call("PATCH", "/api/v1/environments/staging", {
      body: { evaluationGate: { dataset: dsName, minScore: 0.8, maxDrop: 0.1 } },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.evaluationGate).toEqual(set.body.evaluationGate);
    const refused = await call("POST", `/api/v1/prompts/${prompt}/deployments`, {
      body: { environment: "staging", version: 2 },
    });
    expect([refused.status, errorCode(refused)]).toEqual([409, "gate_failed"]);
    expect(refused.body.error.details).toMatchObject({
      run: bad,
      score: 0,
      minScore: 0.8,
      maxDrop: 0.1,
      baseline: null,
    });
    const ok = await call("POST", `/api/v1/prompts/${prompt}/deployments`, {
      body: { environment: "staging", version: 1 },
    });
    expect(ok.status).toBe(201);
    expect((await call("DELETE", `/api/v1/datasets/${datasetId}`)).status).toBe(409);
  });
});
