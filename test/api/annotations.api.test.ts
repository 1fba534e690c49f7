// Labels and judge agreement over HTTP: an online rule with an LLM judge scores live outputs through the
// local model server (the cron route), an API key labels them (POST /api/v1/annotations), the next
// output to label comes from /annotations/next, and /scorers/agreement reports the judge against them.
// Bad input gets 400 naming the field and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { agreementContract } from "../../lib/stats/contracts";
import { call, errorCode, expectContract } from "./client";
import { generationsOf, replyLiveInStaging, runCron, startScriptedModel } from "./harness";

const suffix = Date.now().toString(36);
const name = `annotate-${suffix}`;
let server: LlmServer;
let ruleId = "";

beforeAll(async () => {
  server = await startScriptedModel({
    rules: [{ match: "Thank you", json: { reasoning: "Warm.", score: 5 } }],
    default: { json: { reasoning: "Curt.", score: 1 } },
  });
  const runtimeKey = (
    await call("POST", "/api/v1/api-keys", { body: { name: `annotate-rt-${suffix}`, scope: "runtime" } })
  ).body.key;
  await replyLiveInStaging(name);
  const put = await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, {
    body: {
      environment: "staging",
      sampleRate: 1,
      scorers: [{ type: "llm_judge", name: "polite", model: "judge-1", rubric: "Is the reply polite?" }],
      window: 50,
      minSamples: 10,
    },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  ruleId = put.body.id;
  const events = generationsOf(
    name,
    `annotate-${suffix}`,
    Array.from({ length: 4 }, (_, i) => (i < 2 ? "Thank you, Ana!" : "No.")),
  );
  expect((await call("POST", "/api/v1/events", { key: runtimeKey, body: { events } })).status).toBe(202);
  for (let i = 0; i < 20; i++) {
    await runCron("online-eval");
    const r = await call("GET", `/api/v1/prompts/${name}/online-evaluation?environment=staging`);
    if (r.body.versions[0]?.scored === 4) return;
  }
  throw new Error("the samples were not scored");
}, 120_000);
afterAll(async () => server?.stop());

describe("labels and judge agreement", () => {
  it("refuses bad labels naming the field, and unknown outputs or rules", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ sampleId: 1 }, "score"],
      [{ sampleId: 1, score: 9 }, "score"],
      [{ sampleId: 1, score: "maybe" }, "score"],
      [{ sampleId: "x", label: "pass" }, "sampleId"],
      [{ sampleId: 1, label: "pass", extra: true }, ""],
    ];
    for (const [body, field] of cases) {
      const r = await call("POST", "/api/v1/annotations", { body });
      expect(r.status, JSON.stringify(r.body)).toBe(400);
      expect(errorCode(r)).toBe("invalid_input");
      if (field) expect(r.body.error.details.field).toBe(field);
    }
    const unknown = await call("POST", "/api/v1/annotations", { body: { sampleId: 999_999_999, label: "pass" } });
    expect([unknown.status, errorCode(unknown)]).toEqual([404, "not_found"]);
    expect((await call("GET", "/api/v1/annotations/next")).status).toBe(400);
    expect((await call("GET", "/api/v1/scorers/agreement?rule=nope")).status).toBe(404);
    // A run's outputs are labelled by runItemId; one target per label, and the run must exist here.
    const both = await call("POST", "/api/v1/annotations", { body: { sampleId: 1, runItemId: 1, label: "pass" } });
    expect([both.status, both.body.error.details.field]).toEqual([400, "sampleId"]);
    const noItem = await call("POST", "/api/v1/annotations", { body: { runItemId: 999_999_999, label: "pass" } });
    expect([noItem.status, errorCode(noItem), noItem.body.error.details.field]).toEqual([
      404,
      "not_found",
      "runItemId",
    ]);
    for (const path of ["/api/v1/annotations/next", "/api/v1/scorers/agreement"]) {
      expect((await call("GET", `${path}?rule=${ruleId}&run=x`)).status).toBe(400);
      expect((await call("GET", `${path}?run=00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    }
    const agreement = await call("GET", `/api/v1/scorers/agreement?rule=${ruleId}`);
    expect(agreement.body.judges[0]).toMatchObject({ scorer: "polite", labels: 0 });
    expect(agreement.body).toMatchObject({ rule: ruleId, scorer: "polite", labels: 0, kappa: null, disagreements: [] });
  });

  it("labels every output through /next, and the agreement reads them", async () => {
    const seen: number[] = [];
    let failedWarm = false;
    for (;;) {
      const next = await call("GET", `/api/v1/annotations/next?rule=${ruleId}`);
      expect(next.status).toBe(200);
      expect(next.body.rubrics).toEqual([{ scorer: "polite", rubric: "Is the reply polite?" }]);
      if (!next.body.sample) break;
      const s = next.body.sample;
      expect(seen).not.toContain(s.id);
      seen.push(s.id);
      // The person fails the first warm reply (the judge passes it) and agrees on the rest.
      const warm = s.output.startsWith("Thank");
      const label = warm && !failedWarm ? "fail" : warm ? "pass" : "fail";
      if (warm) failedWarm = true;
      // score "pass" / "fail" (or true / false); the label comes back as a score with source "human".
      const score = seen.length % 2 ? label : label === "pass";
      const r = await call("POST", "/api/v1/annotations", { body: { sampleId: s.id, score, comment: "api" } });
      expect([r.status, r.body.scale, r.body.comment]).toEqual([201, "pass_fail", "api"]);
      expect(r.body).toMatchObject({ source: "human", score: label === "pass" ? 1 : 0, label, by: expect.any(String) });
    }
    expect(seen).toHaveLength(4);
    const agreement = await call("GET", `/api/v1/scorers/agreement?rule=${ruleId}&scorer=polite`);
    expect(agreement.status).toBe(200);
    expectContract(agreementContract, agreement);
    const [j] = agreement.body.judges;
    expect(j.labels).toBe(4);
    expect(j.warning).toBe("Only 4 labels: at least 30 are needed before the agreement means much.");
    // Rows: people (fail, pass); columns: the judge. One warm reply failed by the person, passed by the judge.
    expect(j.passFail.confusion.counts).toEqual([
      [2, 1],
      [0, 1],
    ]);
    expect(j.disagreements).toEqual([expect.objectContaining({ human: 0, judge: 1, comment: "api" })]);
    // The judge flat at the top: {labels, kappa, confusion, disagreements}; weighted κ only with 1–5 labels.
    expect(agreement.body).toMatchObject({
      scorer: "polite",
      labels: 4,
      kappa: j.passFail.kappa,
      confusion: j.passFail.confusion,
      disagreements: j.disagreements,
    });
    expect(agreement.body).not.toHaveProperty("weightedKappa");
  });
});
