// A partial's release is its dependents' release, over HTTP (docs/decisions/partial-releases.md): GET …/dependents
// names the prompts that include a partial where an environment serves it; the partial's release plan lists each with
// its own gate run on the composed text; a promotion is refused with them in details until a gate run of the
// dependent with the candidate partial (POST /api/v1/eval-runs {partials}) passes, or confirmDependents.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LlmServer } from "../llm-server";
import { call, errorCode } from "./client";
import { startScriptedModel, waitFor } from "./harness";

const suffix = Date.now().toString(36);
const tone = `tone-${suffix}`;
const reply = `reply-${suffix}`;
const env = `deps-${suffix}`.slice(0, 36);
const thanks = { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true };
let server: LlmServer;

async function gateRun(body: Record<string, unknown>) {
  const r = await call("POST", "/api/v1/eval-runs", { body: { prompt: reply, version: 1, gate: env, ...body } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return waitFor(`run ${r.body.id}`, async () => {
    const run = (await call("GET", `/api/v1/eval-runs/${r.body.id}`)).body;
    return run.status === "completed" && run;
  });
}

const promoteTone = (body: Record<string, unknown>) =>
  call("POST", `/api/v1/prompts/${tone}/deployments`, { body: { environment: env, version: 2, ...body } });

beforeAll(async () => {
  // A curt tone stops the thanks.
  server = await startScriptedModel({
    rules: [{ match: "Be curt.", text: "Fixed." }],
    default: { text: "Thank you, it is fixed." },
  });
  expect(
    (await call("POST", "/api/v1/prompts", { body: { name: tone, type: "text", template: "Be warm." } })).status,
  ).toBe(201);
  expect((await call("POST", `/api/v1/prompts/${tone}/versions`, { body: { template: "Be curt." } })).status).toBe(201);
  const r = await call("POST", "/api/v1/prompts", {
    body: {
      name: reply,
      type: "text",
      template: `{{> ${tone}}} Answer: {{ticket}}`,
      variables: [{ name: "ticket" }],
      config: { model: "scripted-model" },
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  const ds = await call("POST", "/api/v1/datasets", { body: { name: `deps-set-${suffix}`, prompt: reply } });
  expect(ds.status).toBe(201);
  const items = Array.from({ length: 4 }, (_, i) => ({ input: { ticket: `t${i}` } }));
  expect((await call("POST", `/api/v1/datasets/${ds.body.id}/items`, { body: { items } })).status).toBe(201);
  expect((await call("POST", "/api/v1/environments", { body: { name: env } })).status).toBe(201);
  for (const [name, version] of [
    [tone, 1],
    [reply, 1],
  ] as const)
    expect(
      (await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: env, version } })).status,
    ).toBe(201);
  const gate = await call("PATCH", `/api/v1/environments/${env}`, {
    body: { evaluationGate: { dataset: ds.body.id, minScore: 0.8, maxDrop: 0.05, scorers: [thanks] } },
  });
  expect(gate.status, JSON.stringify(gate.body)).toBe(200);
});
afterAll(async () => {
  await call("PATCH", `/api/v1/environments/${env}`, { body: { evaluationGate: null } });
  await server?.stop();
});

describe("a partial's dependents over HTTP", () => {
  it("are listed, in one environment or all", async () => {
    const one = await call("GET", `/api/v1/prompts/${tone}/dependents?environment=${env}`);
    expect(one.body).toEqual({ dependents: [{ name: reply, environment: env, serves: 1, direct: true }] });
    expect((await call("GET", `/api/v1/prompts/${tone}/dependents`)).body.dependents).toEqual(one.body.dependents);
    expect((await call("GET", `/api/v1/prompts/${reply}/dependents`)).body).toEqual({ dependents: [] });
    const unknown = await call("GET", `/api/v1/prompts/${tone}/dependents?environment=nowhere`);
    expect([unknown.status, errorCode(unknown)]).toEqual([404, "not_found"]);
  });

  it("gate the partial's release on the composed text; an override releases it", async () => {
    const plan = await call("GET", `/api/v1/prompts/${tone}/versions/2/release-plan?environment=${env}`);
    expect(plan.body).toMatchObject({ status: "blocked", missing: ["dependents"] });
    expect(plan.body.dependents[0]).toMatchObject({ name: reply, serves: 1, met: false });
    expect(plan.body.dependents[0].steps[0].action).toMatchObject({
      kind: "run_evaluation",
      prompt: reply,
      version: 1,
      partials: { [tone]: 2 },
    });
    const refused = await promoteTone({});
    expect([refused.status, errorCode(refused), refused.body.error.details.rule]).toEqual([
      409,
      "conflict",
      "dependents",
    ]);
    expect(refused.body.error.details.dependents.map((d: { name: string }) => d.name)).toEqual([reply]);

    const bad = await call("POST", "/api/v1/eval-runs", {
      body: { prompt: reply, version: 1, gate: env, partials: { [tone]: "two" } },
    });
    expect([bad.status, bad.body.error.details.field]).toEqual([422, `partials.${tone}`]);

    // The curt tone loses every thanks in reply: still refused, now with the score.
    const run = await gateRun({ partials: { [tone]: 2 } });
    expect([run.score, run.partialVersions]).toEqual([0, { [tone]: 2 }]);
    const again = await promoteTone({});
    expect(again.body.error.message).toContain(`${reply} version 1 with ${tone} version 2 scored 0.0%`);

    const override = await promoteTone({ confirmDependents: true });
    expect([override.status, override.body.version]).toEqual([201, 2]);
    const served = await call("POST", "/api/v1/prompts/resolve", {
      body: { name: reply, environment: env, variables: { ticket: "t1" } },
    });
    expect([served.status, served.body.rendered]).toEqual([200, "Be curt. Answer: t1"]);
  });
});
