// Deciding with the paired comparison over HTTP: two runs compared item by item (per scorer paired t,
// Wilcoxon, Holm, the verdict, each run's interval), and an environment whose evaluation gate is in
// paired mode refusing a version significantly worse than the live one with 409 gate_failed, first
// asking for the live version's run, then naming the loss.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { compareContract } from "../../lib/stats/contracts";
import { call, errorCode, expectContract } from "./client";
import { startScriptedModel, waitFor } from "./harness";

const suffix = Date.now().toString(36);
const prompt = `paired-${suffix}`;
const dsName = `paired-set-${suffix}`;
const env = `paired-${suffix}`.slice(0, 36);
const ITEMS = 12;
const thanks = { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true };
let server: LlmServer;

/** Starts a run for the environment's gate and waits for it; returns its id. */
async function gateRun(version: number): Promise<string> {
  const r = await call("POST", "/api/v1/eval-runs", { body: { prompt, version, gate: env } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  await waitFor(
    `run of v${version}`,
    async () => (await call("GET", `/api/v1/eval-runs/${r.body.id}`)).body.status === "completed",
  );
  return r.body.id;
}

const promote = (version: number) =>
  call("POST", `/api/v1/prompts/${prompt}/deployments`, { body: { environment: env, version } });

beforeAll(async () => {
  // Version 2 ("Curt") stops thanking on half of the tickets.
  server = await startScriptedModel({
    rules: [{ regex: "Curt: t[0-5]\\b", text: "Fixed." }],
    default: { text: "Thank you, it is fixed." },
  });
  const config = { model: "scripted-model" };
  const variables = [{ name: "ticket" }];
  for (const template of ["Polite: {{ticket}}", "Curt: {{ticket}}"]) {
    const path = template.startsWith("Polite") ? "/api/v1/prompts" : `/api/v1/prompts/${prompt}/versions`;
    const body = template.startsWith("Polite")
      ? { name: prompt, type: "text", template, variables, config }
      : { template, variables, config };
    expect((await call("POST", path, { body })).status).toBe(201);
  }
  const ds = await call("POST", "/api/v1/datasets", { body: { name: dsName, prompt } });
  expect(ds.status).toBe(201);
  const items = Array.from({ length: ITEMS }, (_, i) => ({ input: { ticket: `t${i}` } }));
  expect((await call("POST", `/api/v1/datasets/${ds.body.id}/items`, { body: { items } })).status).toBe(201);
  expect((await call("POST", "/api/v1/environments", { body: { name: env } })).status).toBe(201);
  expect((await promote(1)).status).toBe(201);
});
afterAll(async () => {
  await call("PATCH", `/api/v1/environments/${env}`, { body: { evaluationGate: null } });
  await server?.stop();
});

describe("a paired evaluation gate", () => {
  it("refuses a bad mode, or a threshold without its minimum, naming the field, and changes nothing", async () => {
    const badMode = await call("PATCH", `/api/v1/environments/${env}`, {
      body: { evaluationGate: { dataset: dsName, minScore: 0.8, mode: "vibes" } },
    });
    expect([badMode.status, badMode.body.error.message]).toEqual([
      400,
      "evaluationGate.mode must be threshold, paired or both",
    ]);
    const noMin = await call("PATCH", `/api/v1/environments/${env}`, {
      body: { evaluationGate: { dataset: dsName, mode: "both" } },
    });
    expect([noMin.status, errorCode(noMin), noMin.body.error.details.field]).toEqual([
      400,
      "invalid_input",
      "evaluationGate.minScore",
    ]);
    expect((await call("GET", `/api/v1/environments/${env}`)).body.evaluationGate).toBeNull();
  });

  it("is set without a minimum score", async () => {
    const set = await call("PATCH", `/api/v1/environments/${env}`, {
      body: { evaluationGate: { dataset: dsName, mode: "paired", scorers: [thanks] } },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body.evaluationGate).toMatchObject({ datasetName: dsName, mode: "paired", minScore: 0 });
  });

  let candidate = "";
  let live = "";
  it("asks for a run of the live version before it can compare", async () => {
    candidate = await gateRun(2);
    const r = await promote(2);
    expect([r.status, errorCode(r)]).toEqual([409, "gate_failed"]);
    const step = r.body.error.details.plan.steps.find((s: { id: string }) => s.id === "evaluation");
    expect(step.action).toMatchObject({ kind: "run_evaluation", version: 1 });
    expect(step.detail).toContain("needs a completed run of live version 1");
  }, 60_000);

  it("refuses the version significantly worse than live, naming the scorer, the loss and its interval", async () => {
    live = await gateRun(1);
    const r = await promote(2);
    expect([r.status, errorCode(r)]).toEqual([409, "gate_failed"]);
    expect(r.body.error.message).toMatch(
      /Version 2 scores clearly lower than live version 1 on the same items: on thanks by 50\.0 points \[\d+\.\d, \d+\.\d\], p = [\d.]+ \(12 items; paired t test, Holm-adjusted\)/,
    );
    const step = r.body.error.details.plan.steps.find((s: { id: string }) => s.id === "evaluation");
    expect(step.evaluation).toMatchObject({ mode: "paired", paired: { items: ITEMS } });
    expect(step.evaluation.paired.scorers[0]).toMatchObject({
      name: "thanks",
      n: ITEMS,
      meanDiff: -0.5,
      direction: "worse",
    });
  }, 60_000);

  it("compares the two runs item by item: per scorer, the verdict, each run's interval", async () => {
    const cmp = await call("GET", `/api/v1/eval-runs/compare?a=${live}&b=${candidate}`);
    expect(cmp.status).toBe(200);
    expectContract(compareContract, cmp);
    expect(cmp.body.scorers).toEqual([
      {
        name: "thanks",
        type: "contains",
        paired: expect.objectContaining({ n: ITEMS, meanDiff: -0.5, decidedBy: "t", significant: true }),
      },
    ]);
    const p = cmp.body.scorers[0].paired;
    // d = −1 on six items, 0 on six: mean −0.5, sd 0.522, t = −3.32 on 11 df; SciPy:
    expect(p.tPValue).toBeCloseTo(0.006872303308921113, 10); // scipy ttest_1samp
    expect(p.adjustedPValue).toBe(p.tPValue);
    expect(p.wilcoxonPValue).toBeGreaterThan(0);
    expect(cmp.body.verdict).toMatch(
      /^v2 is worse than v1 on thanks by 50\.0 points \[\d+\.\d, \d+\.\d\] \(12 items, paired t, Holm-adjusted\)\.$/,
    );
    expect(cmp.body.a.statistics).toMatchObject({ unit: "item", items: ITEMS, score: 1, ci: [1, 1] });
    expect(cmp.body.b.statistics.ci[0]).toBeLessThan(0.5);
  });
});
