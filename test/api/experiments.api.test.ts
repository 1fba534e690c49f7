// Experiments over HTTP: defined, started, assigned inside the resolve API, fed with metric events,
// analysed, and shipped through the release log — after which resolve serves the winner.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { assign } from "../../lib/experiments/assign";
import { resultsContract } from "../../lib/stats/contracts";
import { call, errorCode, expectContract } from "./client";
import { experimentBody } from "./experiment-body";

let runtimeKey = "";
const uniq = () => randomBytes(3).toString("hex");

beforeAll(async () => {
  runtimeKey = (await call("POST", "/api/v1/api-keys", { body: { name: "experiments runtime", scope: "runtime" } }))
    .body.key;
});

async function twoVersions() {
  const name = `exp-${uniq()}`;
  expect(
    (
      await call("POST", "/api/v1/prompts", {
        body: {
          name,
          type: "text",
          template: "Control {{x}}",
          variables: [{ name: "x", required: false, default: "" }],
        },
      })
    ).status,
  ).toBe(201);
  expect((await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: "Variant {{x}}" } })).status).toBe(
    201,
  );
  expect(
    (await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: "production", version: 1 } }))
      .status,
  ).toBe(201);
  return name;
}

const definition = (prompt: string, extra: Record<string, unknown> = {}) =>
  experimentBody(prompt, "Shorter answers", "short", {
    hypothesis: "The variant gets more thumbs up",
    guardrails: [{ name: "latency_ms", kind: "continuous", direction: "increase_is_bad" }],
    seed: "api-seed",
    ...extra,
  });

describe("experiments over HTTP", () => {
  it("bad definitions get a 422 naming the field and nothing is written", async () => {
    const name = await twoVersions();
    const before = (await call("GET", `/api/v1/experiments?prompt=${name}`)).body.data.length;
    for (const [patch, field] of [
      [
        {
          variants: [
            { key: "a", version: 1, weight: 0.7 },
            { key: "b", version: 2, weight: 0.7 },
          ],
        },
        "variants",
      ],
      [
        {
          variants: [
            { key: "a", version: 1, weight: 0.5 },
            { key: "b", version: 5, weight: 0.5 },
          ],
        },
        "variants",
      ],
      [{ mode: "random" }, "mode"],
      [{ primaryMetric: { name: "Thumbs Up", kind: "binary" } }, "primaryMetric.name"],
      [{ ratioMetrics: [{ name: "r", numerator: "cost_usd", denominator: "cost_usd" }] }, "ratioMetrics.0.denominator"],
      [{ ratioMetrics: [{ name: "thumbs", numerator: "cost_usd", denominator: "completed" }] }, "ratioMetrics.0.name"],
    ] as const) {
      const r = await call("POST", "/api/v1/experiments", { body: definition(name, patch) });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(errorCode(r)).toBe("unprocessable");
      expect(r.body.error.details.field).toBe(field);
    }
    expect((await call("GET", `/api/v1/experiments?prompt=${name}`)).body.data.length).toBe(before);
  });

  it("runs an experiment inside resolve, takes events, shows results, and ships the winner", async () => {
    const name = await twoVersions();
    const created = await call("POST", "/api/v1/experiments", {
      body: definition(name, {
        ratioMetrics: [{ name: "latency_per_thumbs_up", numerator: "latency_ms", denominator: "thumbs" }],
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: "draft", plannedSamplePerArm: expect.any(Number) });
    const id: string = created.body.id;
    expect((await call("POST", `/api/v1/experiments/${id}/start`)).body).toMatchObject({ status: "running", phase: 1 });

    // Assignment: each subject gets the version of its variant, as the pure hash says; no subject gets the control.
    const variants = [
      { key: "control", weight: 0.5 },
      { key: "short", weight: 0.5 },
    ];
    const subjects = Array.from({ length: 40 }, (_, i) => `user-${i}`);
    for (const subject of subjects) {
      const r = await call("GET", `/api/v1/prompts/resolve?name=${name}&subject=${subject}`, { key: runtimeKey });
      expect(r.status).toBe(200);
      const expected = assign({ seed: "api-seed", coverage: 1, variants }, subject)!.key;
      expect(r.body).toMatchObject({
        experiment: { id, variant: expected, phase: 1 },
        subjectDependent: true,
        version: expected === "short" ? 2 : 1,
      });
    }
    const anonymous = await call("GET", `/api/v1/prompts/resolve?name=${name}`, { key: runtimeKey });
    expect(anonymous.body).toMatchObject({ version: 1, experiment: null, subjectDependent: true });
    const withDefinition = await call("GET", `/api/v1/prompts/resolve?name=${name}&include=experiment`, {
      key: runtimeKey,
    });
    expect(withDefinition.body.experimentDefinition).toMatchObject({
      id,
      seed: "api-seed",
      assignment: "hash",
      variants: [
        { key: "control", version: 1 },
        { key: "short", version: 2 },
      ],
    });
    const rendered = await call("POST", "/api/v1/prompts/resolve", {
      key: runtimeKey,
      body: { name, subject: "user-1", variables: { x: "!" } },
    });
    const v1 = assign({ seed: "api-seed", coverage: 1, variants }, "user-1")!.key;
    expect(rendered.body.rendered).toBe(v1 === "short" ? "Variant !" : "Control !");

    // Events: one bad event refuses the batch; then thumbs with a true effect.
    const bad = await call("POST", "/api/v1/events", {
      key: runtimeKey,
      body: { events: [{ id: "x", type: "feedback", prompt: name, version: 1, subject: "u", value: 3, rating: 9 }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.problems[0]).toMatchObject({ index: 0, field: "value" });
    // One event with two problems is one invalid event.
    expect(bad.body.error.message).toMatch(/^1 invalid event \(2 problems\); nothing was stored/);
    const events = [];
    for (let i = 0; i < 400; i++) {
      const subject = `s-${i}`;
      const variant = assign({ seed: "api-seed", coverage: 1, variants }, subject)!.key;
      const up = variant === "short" ? i % 10 < 8 : i % 10 < 3;
      const common = { prompt: name, version: variant === "short" ? 2 : 1, subject };
      events.push(
        { id: `ev-${id}-${i}`, type: "feedback", ...common, value: up ? 1 : 0 },
        { id: `gen-${id}-${i}`, type: "generation", ...common, latencyMs: 300 + (i % 7) },
      );
    }
    const ingested = await call("POST", "/api/v1/events", { key: runtimeKey, body: { events } });
    expect(ingested.status).toBe(202);
    expect(ingested.body).toEqual({ accepted: 800, duplicates: 0 });
    expect(
      (await call("POST", "/api/v1/events", { key: runtimeKey, body: { events: events.slice(0, 10) } })).body,
    ).toEqual({ accepted: 0, duplicates: 10 });

    // An event may carry the experiment exactly as resolve answered it; given both ways, they must agree.
    const answered = await call("GET", `/api/v1/prompts/resolve?name=${name}&subject=copy-1`, { key: runtimeKey });
    expect(answered.body.experiment).toMatchObject({ id, phase: 1 });
    const copied = {
      id: `copy-${id}`,
      type: "feedback",
      prompt: name,
      version: answered.body.version,
      subject: "copy-1",
      value: 1,
      experiment: answered.body.experiment,
    };
    const accepted = await call("POST", "/api/v1/events", { key: runtimeKey, body: { events: [copied] } });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    expect(accepted.body).toEqual({ accepted: 1, duplicates: 0 });
    const other = answered.body.experiment.variant === "short" ? "control" : "short";
    const disagree = await call("POST", "/api/v1/events", {
      key: runtimeKey,
      body: {
        events: [
          { ...copied, id: `copy2-${id}`, variant: other },
          { ...copied, id: "z", experiment: 7 },
        ],
      },
    });
    expect(disagree.status).toBe(422);
    expect(disagree.body.error.details.problems).toMatchObject([
      { index: 0, field: "experiment", message: expect.stringMatching(/experiment.variant .* disagrees with variant/) },
      { index: 1, field: "experiment", message: expect.stringMatching(/the experiment object resolve answered/) },
    ]);

    // An event naming the arm its subject was not served is kept and counted apart, in no arm.
    const forged = { ...copied, id: `copy3-${id}`, experiment: { ...answered.body.experiment, variant: other } };
    expect((await call("POST", "/api/v1/events", { key: runtimeKey, body: { events: [forged] } })).status).toBe(202);
    const results = await call("GET", `/api/v1/experiments/${id}/results`);
    expect(results.status).toBe(200);
    expectContract(resultsContract, results);
    const served = answered.body.experiment.variant;
    expect(results.body.unattributed.groups).toEqual([{ reason: "other_arm", variant: other, served, events: 1 }]);
    const short = results.body.comparisons.find((c: { variant: string }) => c.variant === "short");
    expect(short.metrics.thumbs.significant).toBe(true);
    expect(short.metrics.thumbs.lift).toBeGreaterThan(1);
    expect(results.body.arms.map((a: { variant: string; version: number }) => [a.variant, a.version])).toEqual([
      ["control", 1],
      ["short", 2],
    ]);
    expect(results.body.srm).toHaveProperty("ok");
    expect(results.body.verdict).toMatch(/short/);
    // The ratio metric: the same latency over many more thumbs up is less latency per thumbs-up.
    const [ratio] = results.body.ratios;
    expect(ratio).toMatchObject({
      name: "latency_per_thumbs_up",
      goal: "decrease",
      arms: [{ n: expect.any(Number) }, {}],
    });
    expect(ratio.comparisons[0]).toMatchObject({
      variant: "short",
      significant: true,
    });
    expect(ratio.comparisons[0].lift).toBeLessThan(-0.5);
    // Every interval stays above −100%, and no Bayesian chance sits beside a frequentist verdict.
    for (const c of [
      ...results.body.comparisons.flatMap((x: { metrics: object }) => Object.values(x.metrics)),
      ...results.body.guardrails,
      ...ratio.comparisons,
    ])
      if (c.ci) expect(c.ci[0]).toBeGreaterThan(-1);
    expect(JSON.stringify(results.body)).not.toMatch(/chanceTo/);

    const stopped = await call("POST", `/api/v1/experiments/${id}/stop`, {
      body: { decision: { ship: "short" }, reason: "clear winner" },
    });
    expect(stopped.status).toBe(200);
    expect(stopped.body.status).toBe("stopped");
    const after = await call("GET", `/api/v1/prompts/resolve?name=${name}&subject=user-1`, { key: runtimeKey });
    expect(after.body).toMatchObject({ version: 2, experiment: null, subjectDependent: false });
    const log = await call("GET", `/api/v1/prompts/${name}/deployments?environment=production`);
    expect(log.body.data[0]).toMatchObject({ version: 2, action: "promote" });
    expect(log.body.data[0].reason).toContain(id);
  });

  it("runtime keys send events but cannot manage experiments", async () => {
    expect((await call("POST", "/api/v1/experiments", { key: runtimeKey, body: {} })).status).toBe(403);
    expect((await call("GET", "/api/v1/experiments", { key: runtimeKey })).status).toBe(403);
  });

  it("namespaces: an overlap with a running experiment is a 409 naming it; the namespace lists its shares", async () => {
    const ns = `ns-${uniq()}`;
    const [a, b] = [await twoVersions(), await twoVersions()];
    const first = await call("POST", "/api/v1/experiments", {
      body: definition(a, { namespace: { name: ns, range: [0, 0.5] } }),
    });
    expect(first.status).toBe(201);
    expect(first.body.namespace).toEqual({ name: ns, range: [0, 0.5] });
    expect((await call("POST", `/api/v1/experiments/${first.body.id}/start`)).status).toBe(200);
    const clash = await call("POST", "/api/v1/experiments", {
      body: definition(b, { namespace: { name: ns, range: [0.25, 0.75] } }),
    });
    expect(clash.status).toBe(409);
    expect(clash.body.error.details).toMatchObject({ field: "namespace.range", free: [[0.5, 1]] });
    expect(clash.body.error.message).toContain("Shorter answers");
    const listed = await call("GET", `/api/v1/experiments/namespaces?name=${ns}`);
    expect(listed.status).toBe(200);
    expect(listed.body.data).toEqual([
      {
        name: ns,
        experiments: [expect.objectContaining({ id: first.body.id, prompt: a, status: "running", range: [0, 0.5] })],
        free: [[0.5, 1]],
      },
    ]);
    // The SDK's definition carries the share, marked so that older clients ask the server instead.
    const resolved = await call("GET", `/api/v1/prompts/resolve?name=${a}&include=experiment`, { key: runtimeKey });
    expect(resolved.body.experimentDefinition).toMatchObject({
      assignment: "hash+namespace",
      namespace: { name: ns, range: [0, 0.5] },
    });
    const bad = await call("GET", "/api/v1/experiments/namespaces?name=Bad%20Name");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/namespace.name must be/);
    // Leave nothing running for the suites that share this server.
    expect(
      (await call("POST", `/api/v1/experiments/${first.body.id}/stop`, { body: { decision: { keep: "control" } } }))
        .status,
    ).toBe(200);
  });
});
