// The closed loop, end to end over real HTTP: two `npm start` instances on one PostgreSQL and one
// Redis, the local model server standing in for the provider (the application's model and the LLM
// judge), and a webhook receiver that verifies signatures. A version goes live; the model starts
// answering badly; sampled outputs are scored by the cron route; the next cron run detects the
// regression, raises an alert and rolls back; the receiver gets a signed `prompt.rolled_back`; both
// instances serve the previous version; the deployment log shows `auto_rollback` with its numbers;
// the run after that does nothing. Also: the cron secret, and two instances scoring at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import type { Receiver } from "../webhook-receiver";
import {
  admin,
  CRON_SECRET,
  cron,
  NAME,
  serve as serveOn,
  startClosedLoopCluster,
  waitForDelivery as deliveryTo,
  type ClosedLoopCluster,
} from "./closed-loop-fixture";
import { api, eventually, type ServerProcess } from "./harness";

let cluster: ClosedLoopCluster | undefined;
let a: ServerProcess;
let b: ServerProcess;
let llm: LlmServer;
let rx: Receiver;
let runtimeKey = "";
const serve = (s: ServerProcess, customer: string) => serveOn(cluster!, s, customer);
const waitForDelivery = (type: string) => deliveryTo(rx, type);

beforeAll(async () => {
  cluster = await startClosedLoopCluster();
  ({ a, b, llm, rx, runtimeKey } = cluster);
}, 240_000);

afterAll(async () => {
  await cluster?.stop();
}, 60_000);

describe("cron routes", () => {
  it("need the secret: 401 without it or with another, and the job does not run", async () => {
    for (const auth of [null, "Bearer nope", `Basic ${Buffer.from(`x:${CRON_SECRET}`).toString("base64")}`]) {
      const r = await cron(a, "auto-rollback", auth);
      expect([r.status, r.body.error.code]).toEqual([401, "unauthorized"]);
    }
    const ok = await cron(a, "auto-rollback");
    expect([ok.status, ok.body.job, ok.body.ran, ok.body.result]).toEqual([200, "auto-rollback", true, { rules: [] }]);
  });
});

describe("the closed loop", () => {
  it("a regression is detected, alerted, rolled back and served, with a signed webhook, and nothing flaps", async () => {
    // The webhook, its secret kept by the receiver to verify signatures.
    const hook = await admin(a, "POST", "/api/v1/webhooks", {
      url: `${rx.url}/lectern`,
      events: ["prompt.rolled_back", "alert.created"],
    });
    expect(hook.status).toBe(201);
    rx.secret = hook.body.secret;

    // v1 is live; v2 is the next version. The rule: every output judged, rollback past a 30-point drop.
    const created = await admin(a, "POST", "/api/v1/prompts", {
      name: NAME,
      type: "text",
      template: "v1: Reply warmly to {{customer}} and thank them.",
      variables: [{ name: "customer" }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(
      (
        await admin(a, "POST", `/api/v1/prompts/${NAME}/versions`, {
          template: "v2: Reply to {{customer}}. Be brief.",
          variables: [{ name: "customer" }],
        })
      ).status,
    ).toBe(201);
    expect(
      (await admin(a, "POST", `/api/v1/prompts/${NAME}/deployments`, { environment: "production", version: 1 })).status,
    ).toBe(201);
    const put = await admin(a, "PUT", `/api/v1/prompts/${NAME}/online-evaluation`, {
      environment: "production",
      sampleRate: 1,
      scorers: [
        {
          type: "llm_judge",
          name: "warmth",
          model: "judge",
          rubric: "Is the reply warm, and does it thank the customer by name?",
        },
        { type: "length", max: 500 },
      ],
      signals: ["feedback"],
      window: 100,
      minSamples: 30,
      alert: { maxDrop: 0.1 },
      rollback: { enabled: true, maxDrop: 0.3, cooldownMinutes: 60 },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({
      environment: "production",
      sampleRate: 1,
      window: 100,
      minSamples: 30,
      rollback: { enabled: true, maxDrop: 0.3 },
    });
    const bad = await admin(a, "PUT", `/api/v1/prompts/${NAME}/online-evaluation`, {
      environment: "production",
      sampleRate: 2,
    });
    expect([bad.status, bad.body.error.code, bad.body.error.details.field]).toEqual([
      422,
      "unprocessable",
      "sampleRate",
    ]);
    expect(
      (await admin(a, "GET", `/api/v1/prompts/${NAME}/online-evaluation?environment=production`)).body.sampleRate,
    ).toBe(1);

    // The model: warm answers; the judge: 5/5 for a warm answer, 1/5 for a curt one.
    llm.script({
      rules: [
        {
          match: "Is the reply warm",
          regex: "Thank you",
          json: { reasoning: "Warm, thanks the customer by name.", score: 5 },
        },
        { match: "Is the reply warm", json: { reasoning: "Curt; no thanks, no name.", score: 1 } },
        {
          model: "app-model",
          match: "v1:",
          text: "Thank you so much for waiting, dear customer! Your refund is on its way.",
        },
        { model: "app-model", text: "Refund sent." },
      ],
    });
    for (let i = 0; i < 40; i++) expect((await serve(i % 2 ? b : a, `C${i}`)).version).toBe(1);
    const scored1 = await cron(a, "online-eval");
    expect(scored1.body).toMatchObject({ ran: true, result: { scored: 40, failed: 0, remaining: 0 } });
    const first = await cron(a, "auto-rollback");
    expect(first.body.result.rules[0]).toMatchObject({
      prompt: NAME,
      environment: "production",
      live: 1,
      action: "skipped",
    });

    // v2 goes live and its answers are curt.
    expect(
      (await admin(a, "POST", `/api/v1/prompts/${NAME}/deployments`, { environment: "production", version: 2 })).status,
    ).toBe(201);
    await eventually(
      () => api(b, "GET", `/api/v1/prompts/resolve?name=${NAME}&environment=production`, runtimeKey),
      (r) => r.body?.version === 2,
      10_000,
    );
    for (let i = 0; i < 40; i++) expect((await serve(i % 2 ? b : a, `D${i}`)).version).toBe(2);

    // While one instance scores (the test holds the job's lock as that instance would), the other
    // instance's run is skipped and judges nothing; once the lock is free, a run scores every sample
    // once and checks the rule at once: v2 against v1, and rolls back. (Firing both at the same moment
    // raced: under load the first run could end before the second asked for the lock.)
    const judgeCalls = () => llm.requests.filter((r) => r.model === "judge").length;
    const before = judgeCalls();
    const release = await cluster!.holdJobLock("online-eval");
    let skipped;
    try {
      skipped = await cron(b, "online-eval");
    } finally {
      await release();
    }
    expect(skipped.body).toMatchObject({ ran: false, skipped: "locked" });
    expect(judgeCalls() - before).toBe(0);
    const run = await cron(a, "online-eval");
    expect(run.body.ran).toBe(true);
    const scored = run.body.result;
    expect(scored).toMatchObject({ scored: 40, failed: 0, remaining: 0 });
    expect(scored.checks).toEqual([
      expect.objectContaining({ prompt: NAME, environment: "production", live: 2, action: "rolled_back" }),
    ]);
    expect(judgeCalls() - before).toBe(40);
    const samples = await admin(
      a,
      "GET",
      `/api/v1/prompts/${NAME}/online-evaluation/samples?environment=production&version=2&limit=5`,
    );
    expect(samples.body.data[0]).toMatchObject({
      version: 2,
      output: "Refund sent.",
      status: "scored",
      score: expect.any(Number),
    });
    expect(samples.body.data[0].scores).toContainEqual({
      scorer: "warmth",
      score: 0,
      passed: false,
      reason: "judge gave 1/5: Curt; no thanks, no name.",
    });
    const checked = await admin(a, "GET", `/api/v1/prompts/${NAME}/online-evaluation?environment=production`);
    expect(checked.body.lastCheck).toMatchObject({ live: 2, baseline: 1, level: "rollback", action: "rolled_back" });
    expect(checked.body.lastCheck.metrics.find((m: { name: string }) => m.name === "warmth")).toMatchObject({
      live: { n: 40, mean: 0 },
      baseline: { n: 40, mean: 1 },
      drop: 1,
      level: "rollback",
    });

    // Both instances serve v1 again.
    for (const s of [a, b])
      await eventually(
        () => api(s, "GET", `/api/v1/prompts/resolve?name=${NAME}&environment=production`, runtimeKey),
        (r) => r.body?.version === 1,
        10_000,
      );

    // The deployment log: auto_rollback by the system, the numbers in its reason.
    const log = await admin(a, "GET", `/api/v1/prompts/${NAME}/deployments?environment=production`);
    expect(log.body.data[0]).toMatchObject({ version: 1, action: "auto_rollback" });
    expect(log.body.data[0].reason).toMatch(
      /^Automatic rollback from v2 to v1: warmth 100\.0% → 0\.0% \(drop 100\.0%, n 40 → 40, adjusted p/,
    );

    // The alert, and the signed webhooks.
    const alerts = await admin(a, "GET", `/api/v1/alerts?open=true&prompt=${NAME}`);
    expect(alerts.body.data).toHaveLength(1);
    expect(alerts.body.data[0]).toMatchObject({
      kind: "auto_rollback",
      severity: "critical",
      prompt: NAME,
      environment: "production",
      details: { liveVersion: 2, baselineVersion: 1 },
    });
    const rolledBack = await waitForDelivery("prompt.rolled_back");
    expect(rolledBack.signature).toMatchObject({ ok: true });
    expect(JSON.parse(rolledBack.body)).toMatchObject({
      type: "prompt.rolled_back",
      data: { prompt: NAME, environment: "production", version: 1, automatic: true },
    });
    const alerted = await waitForDelivery("alert.created");
    expect(alerted.signature).toMatchObject({ ok: true });
    expect(JSON.parse(alerted.body).data).toMatchObject({ kind: "auto_rollback", prompt: NAME });

    // No flapping: the next runs decide nothing, and the log is unchanged. v2, just rolled back, is never v1's
    // baseline: there is nothing to compare with.
    for (const s of [a, b]) {
      const again = await cron(s, "auto-rollback");
      expect(again.body.result.rules[0]).toMatchObject({ live: 1, baseline: null, action: "skipped" });
    }
    expect(
      (await admin(a, "GET", `/api/v1/prompts/${NAME}/deployments?environment=production`)).body.data,
    ).toHaveLength(3);
    const rule = await admin(a, "GET", `/api/v1/prompts/${NAME}/online-evaluation`);
    expect(rule.body.lastCheck).toMatchObject({ live: 1, baseline: null, action: "skipped" });
    expect(rule.body.versions).toEqual([
      expect.objectContaining({ version: 2, scored: 40 }),
      expect.objectContaining({ version: 1, scored: 40 }),
    ]);

    // A person acknowledges the alert.
    expect((await admin(a, "POST", `/api/v1/alerts/${alerts.body.data[0].id}/acknowledge`)).status).toBe(204);
    expect((await admin(a, "GET", `/api/v1/alerts?open=true&prompt=${NAME}`)).body.data).toEqual([]);
  });
});
