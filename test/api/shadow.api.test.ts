// Shadow evaluation over HTTP: a rule names a candidate version (PUT online-evaluation with shadow), the
// online-eval cron scores the live outputs and queues the project's shadow job, which (or the
// shadow-sweep cron, called here so the test need not wait for a worker) lets the candidate answer their
// inputs through the local model server, and GET /prompts/{name}/shadow reports the paired comparison,
// the win/tie/loss count and the day's budget, which stops the answers at its cap. Bad input gets an
// error naming the field, and an environment the project does not have one naming it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { shadowContract } from "../../lib/stats/contracts";
import { call, errorCode, expectContract } from "./client";
import { runCron, startScriptedModel } from "./harness";

const suffix = Date.now().toString(36);
const name = `shadow-${suffix}`;
const config = { model: "support-model" };
let server: LlmServer;
let runtimeKey = "";

/** One online-eval tick, then the shadow answers it queued (a job may have taken them first: then the sweep skips). */
async function tick() {
  await runCron("online-eval");
  await runCron("shadow-sweep");
}

async function generations(from: number, n: number) {
  const events = Array.from({ length: n }, (_, i) => ({
    id: `${name}-${from + i}`,
    type: "generation",
    prompt: name,
    version: 1,
    environment: "staging",
    subject: `u${from + i}`,
    latencyMs: 800,
    input: { customer: "Ana" },
    output: "Thank you for waiting, Ana.",
  }));
  expect((await call("POST", "/api/v1/events", { key: runtimeKey, body: { events } })).status).toBe(202);
}

const shadowOf = (query = "environment=staging") => call("GET", `/api/v1/prompts/${name}/shadow?${query}`);

beforeAll(async () => {
  server = await startScriptedModel({ rules: [{ match: "tersely", text: "Refund sent." }] });
  runtimeKey = (await call("POST", "/api/v1/api-keys", { body: { name: `${name}-rt`, scope: "runtime" } })).body.key;
  const variables = [{ name: "customer" }];
  const create = await call("POST", "/api/v1/prompts", {
    body: { name, type: "text", template: "Reply warmly to {{customer}}.", variables, config },
  });
  expect(create.status, JSON.stringify(create.body)).toBe(201);
  const v2 = await call("POST", `/api/v1/prompts/${name}/versions`, {
    body: { template: "Reply tersely to {{customer}}.", variables, config },
  });
  expect(v2.status, JSON.stringify(v2.body)).toBe(201);
  expect(
    (await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "staging", version: 1 } }))
      .status,
  ).toBe(201);
}, 60_000);
afterAll(async () => server?.stop());

const rule = (shadow: unknown) => ({
  environment: "staging",
  sampleRate: 1,
  scorers: [{ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }],
  signals: [],
  window: 50,
  minSamples: 5,
  shadow,
});

describe("shadow evaluation", () => {
  it("refuses a bad shadow setting naming the field, and changes nothing", async () => {
    const cases: [unknown, string, string][] = [
      [{ versions: [9] }, "shadow.versions", `shadow.versions: ${name} has no version 9 (its latest is 2)`],
      [{ versions: [] }, "shadow.versions", "shadow.versions must name at least one candidate version"],
      [{ versions: [2], maxCallsPerDay: 0 }, "shadow.maxCallsPerDay", "shadow.maxCallsPerDay must be at least 1"],
      [{ versions: [2], connection: "nope" }, "shadow.connection", ""],
    ];
    for (const [shadow, field, message] of cases) {
      const r = await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, { body: rule(shadow) });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error.details.field).toBe(field);
      if (message) expect(r.body.error.message).toBe(message);
    }
    const none = await shadowOf();
    expect([none.status, errorCode(none)]).toEqual([404, "not_found"]);
  });

  it("answers live inputs with the candidate and reports a significant paired loss", async () => {
    const put = await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, {
      body: rule({ versions: [2], sampleRate: 1, maxCallsPerDay: 10 }),
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.shadow).toMatchObject({ versions: [2], maxCallsPerDay: 10, maxCostUsdPerDay: 5, judge: null });
    await generations(0, 6);
    for (let i = 0; i < 20 && (await shadowOf()).body.candidates[0]?.n !== 6; i++) await tick();

    const r = await shadowOf("environment=staging&version=2&pairs=2");
    expect(r.status).toBe(200);
    expectContract(shadowContract, r);
    const [v2] = r.body.candidates;
    expect(v2).toMatchObject({ version: 2, liveVersion: 1, n: 6, wins: 0, ties: 0, losses: 6, winsFrom: "scores" });
    // Every input moved by −1: t is undefined and Wilcoxon decides (tied |d|: R's normal approximation).
    expect(v2.paired).toMatchObject({ n: 6, meanDiff: -1, tPValue: null, decidedBy: "wilcoxon", significant: true });
    expect(v2.paired.wilcoxonPValue).toBeCloseTo(0.01966, 4);
    expect(v2.paired.ci).toEqual([-1, -1]);
    expect(v2.significantLoss).toBe(true);
    expect(v2.verdict).toMatch(/^v2 is worse than live v1 on thanks by 100\.0 points/);
    expect(v2.latencyMsDiff).toBeLessThan(0);
    expect(v2.pairs).toHaveLength(2);
    expect(v2.pairs[0]).toMatchObject({
      input: { customer: "Ana" },
      live: { version: 1, output: "Thank you for waiting, Ana.", score: 1 },
      candidate: { version: 2, output: "Refund sent.", score: 0 },
    });
    expect(server.requests.every((q) => q.prompt === "Reply tersely to Ana.")).toBe(true);
    expect(r.body.budget).toMatchObject({ calls: 6, maxCalls: 10, callsPerAnswer: 1, stopped: null });
    // The resolve path still serves v1.
    const resolved = await call("GET", `/api/v1/prompts/resolve?name=${name}&environment=staging`, {
      key: runtimeKey,
    });
    expect(resolved.body.version).toBe(1);
  });

  it("stops at the daily call cap and says so", async () => {
    await generations(100, 8);
    for (let i = 0; i < 20 && (await shadowOf()).body.candidates[0]?.n !== 10; i++) await tick();
    await tick();
    const r = await shadowOf();
    expect(r.body.candidates[0].n).toBe(10);
    expect(r.body.budget.stopped).toMatch(/^the daily cap of 10 model calls is reached \(10 spent today/);
  });

  it("checks the query and who may read", async () => {
    const bad = await shadowOf("environment=staging&pairs=500");
    expect([bad.status, errorCode(bad), bad.body.error.details.field]).toEqual([400, "invalid_input", "query.pairs"]);
    // An environment the project does not have is named; without one it is production's, as for resolve.
    const typo = await shadowOf("environment=stagign");
    expect([typo.status, errorCode(typo), typo.body.error.message]).toEqual([
      404,
      "not_found",
      expect.stringMatching(/^No environment named stagign\. This project has: .*staging/),
    ]);
    const none = await shadowOf("");
    expect([none.status, none.body.error.message]).toEqual([
      404,
      `${name} has no online evaluation in production (it has in staging).`,
    ]);
    const runtime = await call("GET", `/api/v1/prompts/${name}/shadow?environment=staging`, { key: runtimeKey });
    expect(runtime.status).toBe(403);
  });
});
