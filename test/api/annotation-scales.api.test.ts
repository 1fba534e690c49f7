// Labels on the judge's own scale over HTTP: a 0–1 judge takes 0/1, a 1–5 judge takes 1–5, anything
// else is refused naming the scale and changes nothing; one label per person per output (a second replaces the
// first); and the agreement's κ equals Cohen's κ (0–1) and the quadratic-weighted κ (1–5) computed here from
// the labels and the judge's scores.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { call, errorCode } from "./client";
import { generationsOf, runCron, startScriptedModel } from "./harness";

const suffix = Date.now().toString(36);
const outputs = ["Thank you, Ana!", "Thank you, Ben!", "Okay, Ana.", "Okay, Ben.", "No, Ana.", "No, Ben."];
let server: LlmServer;
const rules: Record<"binary" | "five", string> = { binary: "", five: "" };

/** A prompt live in staging whose online rule judges every output with `judge`, and the six outputs sent. */
async function judgedPrompt(name: string, judge: Record<string, unknown>, runtimeKey: string) {
  expect((await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "Reply." } })).status).toBe(
    201,
  );
  await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "staging", version: 1 } });
  const put = await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, {
    body: { environment: "staging", sampleRate: 1, scorers: [judge], window: 50, minSamples: 10 },
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const events = generationsOf(name, name, outputs);
  const sent = await call("POST", "/api/v1/events", { key: runtimeKey, body: { events } });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
  return put.body.id as string;
}

/** Cohen's κ over categories: (p_o − p_e) / (1 − p_e), or with quadratic weights 1 − Σw·o / Σw·e. */
function kappa(a: number[], b: number[], categories: number[], quadratic = false) {
  const n = a.length;
  const idx = (x: number) => categories.indexOf(x);
  const w = (i: number, j: number) => (quadratic ? (i - j) ** 2 : i === j ? 0 : 1);
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < categories.length; i++)
    for (let j = 0; j < categories.length; j++) {
      const o = a.filter((x, k) => idx(x) === i && idx(b[k]!) === j).length;
      const rows = a.filter((x) => idx(x) === i).length;
      const cols = b.filter((x) => idx(x) === j).length;
      observed += w(i, j) * o;
      expected += (w(i, j) * rows * cols) / n;
    }
  return 1 - observed / expected;
}

beforeAll(async () => {
  server = await startScriptedModel({
    rules: [
      { model: "judge-01", match: "Thank you", json: { reasoning: "Warm.", score: 1 } },
      { model: "judge-01", json: { reasoning: "Not warm.", score: 0 } },
      { model: "judge-15", match: "Thank you", json: { reasoning: "Warm.", score: 5 } },
      { model: "judge-15", match: "Okay", json: { reasoning: "Plain.", score: 3 } },
      { model: "judge-15", json: { reasoning: "Curt.", score: 1 } },
    ],
  });
  const runtimeKey = (
    await call("POST", "/api/v1/api-keys", { body: { name: `scales-rt-${suffix}`, scope: "runtime" } })
  ).body.key;
  const rubric = "Is the reply polite?";
  rules.binary = await judgedPrompt(
    `scale-01-${suffix}`,
    { type: "llm_judge", name: "polite", model: "judge-01", rubric, scale: "0-1" },
    runtimeKey,
  );
  rules.five = await judgedPrompt(
    `scale-15-${suffix}`,
    { type: "llm_judge", name: "polite", model: "judge-15", rubric, scale: "1-5" },
    runtimeKey,
  );
  for (let i = 0; i < 20; i++) {
    await runCron("online-eval");
    const scored = await Promise.all(
      Object.keys(rules).map(async (k) => {
        const name = k === "binary" ? `scale-01-${suffix}` : `scale-15-${suffix}`;
        return (await call("GET", `/api/v1/prompts/${name}/online-evaluation?environment=staging`)).body.versions[0]
          ?.scored;
      }),
    );
    if (scored.every((n) => n === outputs.length)) return;
  }
  throw new Error("the samples were not scored");
}, 120_000);
afterAll(async () => server?.stop());

/** Labels every output of a rule through /next with `label(output)`, checking a refusal on the first. */
async function labelAll(rule: string, label: (output: string) => number, refused: number, scale: string) {
  const labelled: { output: string; human: number }[] = [];
  for (;;) {
    const next = await call("GET", `/api/v1/annotations/next?rule=${rule}`);
    expect(next.status).toBe(200);
    const s = next.body.sample;
    if (!s) break;
    if (!labelled.length) {
      const bad = await call("POST", "/api/v1/annotations", { body: { sampleId: s.id, score: refused } });
      expect([bad.status, errorCode(bad), bad.body.error.details]).toEqual([
        400,
        "invalid_input",
        { field: "score", scale },
      ]);
      expect(bad.body.error.message).toContain(`score ${refused} is not on this output's judges' scale`);
      // A first label that a person then corrects: one label per person per output, the last one counts.
      expect(
        (await call("POST", "/api/v1/annotations", { body: { sampleId: s.id, score: refused ? 1 : 5 } })).status,
      ).toBe(201);
    }
    const r = await call("POST", "/api/v1/annotations", { body: { sampleId: s.id, score: label(s.output) } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    labelled.push({ output: s.output, human: label(s.output) });
  }
  expect(labelled).toHaveLength(outputs.length);
  return labelled;
}

describe("labels on the judge's scale, and κ on that scale", () => {
  it("a 0–1 judge: labels 0 or 1, Cohen's κ", async () => {
    // People pass warm replies and one plain one; the judge (score 1 only for "Thank you") passes warm ones.
    const human = (o: string) => (o.startsWith("Thank") || o === "Okay, Ana." ? 1 : 0);
    const labelled = await labelAll(rules.binary, human, 3, "0-1");
    const judge = labelled.map((l) => (l.output.startsWith("Thank") ? 1 : 0));
    const want = kappa(
      labelled.map((l) => l.human),
      judge,
      [0, 1],
    );
    const a = await call("GET", `/api/v1/scorers/agreement?rule=${rules.binary}&scorer=polite`);
    expect(a.status).toBe(200);
    expect(a.body.labels).toBe(outputs.length);
    expect(a.body.kappa).toBeCloseTo(want, 12);
    expect(a.body.kappa).toBeCloseTo(2 / 3, 12);
    expect(a.body).not.toHaveProperty("weightedKappa");
    expect(a.body.disagreements).toHaveLength(1);
  });

  it("a 1–5 judge: labels 1 to 5 (0 refused), quadratic-weighted κ on 1–5", async () => {
    const human = (o: string) => (o.startsWith("Thank") ? (o.includes("Ana") ? 5 : 4) : o.startsWith("Okay") ? 3 : 1);
    const labelled = await labelAll(rules.five, human, 0, "1-5");
    const judge = labelled.map((l) => (l.output.startsWith("Thank") ? 5 : l.output.startsWith("Okay") ? 3 : 1));
    const want = kappa(
      labelled.map((l) => l.human),
      judge,
      [1, 2, 3, 4, 5],
      true,
    );
    const a = await call("GET", `/api/v1/scorers/agreement?rule=${rules.five}&scorer=polite`);
    expect(a.status).toBe(200);
    expect(a.body.labels).toBe(outputs.length);
    expect(a.body.weightedKappa).toBeCloseTo(want, 12);
    expect(a.body.kappa).toBeCloseTo(want, 12);
    expect(want).toBeGreaterThan(0.9);
    expect(want).toBeLessThan(1);
  });
});
