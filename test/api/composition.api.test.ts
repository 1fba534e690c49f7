// What is served is one thing, over HTTP (docs/decisions/compositions.md): resolve answers its composition on every
// path; a partial's release under a running experiment is 409 experiment_running with the plan until the body chooses a
// new phase or a stop; the experiment answers its phases and results per phase; a partial changed under a guarded
// rollout waits or stops it; a partial's experiment shipping or its rollout completing asks the same (experimentAction
// on stop and advance); a bundle's rollback of a rollback is 409 rolled_back until a person confirms.
import { describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { newRuntimeKey, uniq } from "./runtime-setup";

const enc = encodeURIComponent;

async function ok(method: string, path: string, body?: unknown, status = 201) {
  const r = await call(method, path, { body });
  expect(r.status, `${method} ${path}: ${JSON.stringify(r.body)}`).toBe(status);
  return r.body;
}

/** `<n>/tone` v1..v3 and `<n>/reply` v1, v2 including it, both live in staging at v1. */
async function scene() {
  const n = `cmp-${uniq()}`;
  await ok("POST", "/api/v1/prompts", { name: `${n}/tone`, type: "text", template: "Be kind." });
  for (const t of ["Be brief.", "Be warm."])
    await ok("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/versions`, { template: t });
  await ok("POST", "/api/v1/prompts", { name: `${n}/reply`, type: "text", template: `Reply. {{> ${n}/tone}}` });
  await ok("POST", `/api/v1/prompts/${enc(`${n}/reply`)}/versions`, { template: `Answer. {{> ${n}/tone}}` });
  for (const p of ["tone", "reply"])
    await ok("POST", `/api/v1/prompts/${enc(`${n}/${p}`)}/deployments`, { environment: "staging", version: 1 });
  return n;
}

/** A running 50/50 experiment in staging on `prompt` (`<n>/reply` unless said), v1 against v2. */
async function experiment(n: string, prompt = `${n}/reply`, name = `Concise ${n}`) {
  const e = await ok("POST", "/api/v1/experiments", {
    prompt,
    environment: "staging",
    name,
    variants: [
      { key: "A", version: 1, weight: 0.5 },
      { key: "B", version: 2, weight: 0.5 },
    ],
    mode: "sequential",
    primaryMetric: { name: "thumbs", kind: "binary" },
  });
  await ok("POST", `/api/v1/experiments/${e.id}/start`, {}, 200);
  return e.id as string;
}

describe("composition over HTTP", () => {
  it("resolve names the prompt's version and every partial's, on GET, POST, batch and a bundle", async () => {
    const n = await scene();
    const key = await newRuntimeKey();
    const expected = { prompt: { name: `${n}/reply`, version: 1 }, partials: [{ name: `${n}/tone`, version: 1 }] };
    const q = `environment=staging&name=${encodeURIComponent(`${n}/reply`)}`;
    expect((await call("GET", `/api/v1/prompts/resolve?${q}`, { key })).body.composition).toEqual(expected);
    const posted = await call("POST", "/api/v1/prompts/resolve", {
      key,
      body: { name: `${n}/reply`, environment: "staging", variables: {} },
    });
    expect([posted.body.composition, posted.body.rendered]).toEqual([expected, "Reply. Be kind."]);
    const batch = await call("GET", `/api/v1/prompts/resolve?environment=staging&names=${n}/reply,${n}/tone`, { key });
    expect(batch.status, JSON.stringify(batch.body)).toBe(200);
    const answers = JSON.stringify(batch.body);
    expect(answers).toContain(JSON.stringify(expected));
    await ok("POST", "/api/v1/bundles", { name: `${n}-agent`, prompts: [`${n}/reply`] });
    const bundle = await call("GET", `/api/v1/bundles/${n}-agent/resolve?environment=staging`, { key });
    expect(bundle.body.prompts[`${n}/reply`].composition).toEqual(expected);
  });
});

describe("a partial's release under a running experiment over HTTP", () => {
  it("is 409 experiment_running with the plan until experimentAction says new_phase; results then read per phase", async () => {
    const n = await scene();
    const id = await experiment(n);
    const refused = await call("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/deployments`, {
      body: { environment: "staging", version: 2 },
    });
    expect([refused.status, errorCode(refused)]).toEqual([409, "experiment_running"]);
    expect(refused.body.error.details).toMatchObject({
      field: "experimentAction",
      experiment: { id, name: `Concise ${n}` },
      plan: { status: "blocked", missing: ["experiments"] },
    });
    const bad = await call("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/deployments`, {
      body: { environment: "staging", version: 2, experimentAction: "pause" },
    });
    expect([bad.status, bad.body.error.details.field]).toEqual([400, "experimentAction"]);

    const d = await ok("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/deployments`, {
      environment: "staging",
      version: 2,
      experimentAction: "new_phase",
      reason: "shorter tone",
    });
    const e = await ok("GET", `/api/v1/experiments/${id}`, undefined, 200);
    expect(e.phase).toBe(2);
    expect(e.phases[1]).toMatchObject({
      phase: 2,
      reason: `New phase: ${n}/tone v2 released to staging: shorter tone`,
      compositions: { A: `${n}/tone@2`, B: `${n}/tone@2` },
      deployment: d.id,
    });
    expect(e.phases[0].compositions).toEqual({ A: `${n}/tone@1`, B: `${n}/tone@1` });
    const now = await ok("GET", `/api/v1/experiments/${id}/results`, undefined, 200);
    expect(now.experiment).toMatchObject({ phase: 2, phases: [2] });
    const before = await ok("GET", `/api/v1/experiments/${id}/results?phase=1`, undefined, 200);
    expect(before.experiment.phases).toEqual([1]);
    const none = await call("GET", `/api/v1/experiments/${id}/results?phase=7`);
    expect([none.status, errorCode(none)]).toEqual([422, "unprocessable"]);
    const word = await call("GET", `/api/v1/experiments/${id}/results?phase=first`);
    expect(word.status).toBe(400);

    // A rollback moves what is served too; stop ends the experiment with the release as its reason.
    const back = await call("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/rollback`, {
      body: { environment: "staging" },
    });
    expect(errorCode(back)).toBe("experiment_running");
    await ok("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/rollback`, {
      environment: "staging",
      experimentAction: "stop",
    });
    const stopped = await ok("GET", `/api/v1/experiments/${id}`, undefined, 200);
    expect(stopped).toMatchObject({ status: "stopped", decision: { stoppedBy: "deployment" } });
  });

  it("under a guarded rollout of a dependent waits, or stops it", async () => {
    const n = await scene();
    await ok("POST", `/api/v1/prompts/${enc(`${n}/reply`)}/rollouts`, { environment: "staging", version: 2 });
    const phased = await call("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/deployments`, {
      body: { environment: "staging", version: 2, experimentAction: "new_phase" },
    });
    expect([phased.status, errorCode(phased)]).toEqual([409, "experiment_running"]);
    expect(phased.body.error.message).toContain("A guarded rollout cannot begin a new phase");
    await ok("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/deployments`, {
      environment: "staging",
      version: 2,
      experimentAction: "stop",
    });
  });
});

describe("a partial's own experiment or rollout ending under an experiment that includes it, over HTTP", () => {
  it("stop and the advance that completes take experimentAction", async () => {
    const n = await scene();
    // The partial's own experiment and rollout start before the one on the prompt including it (the other way
    // round the plan refuses them).
    const own = await experiment(n, `${n}/tone`, `Tone ${n}`);
    const id = await experiment(n);
    const ship = { decision: { ship: "B" }, reason: "warmer" };
    const asked = await call("POST", `/api/v1/experiments/${own}/stop`, { body: ship });
    expect([asked.status, errorCode(asked)]).toEqual([409, "experiment_running"]);
    await ok("POST", `/api/v1/experiments/${own}/stop`, { ...ship, experimentAction: "new_phase" }, 200);
    expect((await ok("GET", `/api/v1/experiments/${id}`, undefined, 200)).phase).toBe(2);
    await ok("POST", `/api/v1/experiments/${id}/stop`, { decision: { keep: "control" } }, 200);

    const r = await ok("POST", `/api/v1/prompts/${enc(`${n}/tone`)}/rollouts`, {
      environment: "staging",
      version: 3,
      steps: [{ percent: 50 }, { percent: 100 }],
    });
    const again = await experiment(n);
    const advance = { reason: "held at half" };
    const held = await call("POST", `/api/v1/rollouts/${r.rollout.id}/advance`, { body: advance });
    expect([held.status, errorCode(held)]).toEqual([409, "experiment_running"]);
    const done = await ok(
      "POST",
      `/api/v1/rollouts/${r.rollout.id}/advance`,
      { ...advance, experimentAction: "stop" },
      200,
    );
    expect(done.rollout.status).toBe("completed");
    expect((await ok("GET", `/api/v1/experiments/${again}`, undefined, 200)).status).toBe("stopped");
  });
});

describe("a bundle's rollback of a rollback over HTTP", () => {
  it("is 409 rolled_back naming the members until confirmRolledBack", async () => {
    const n = await scene();
    await ok("POST", "/api/v1/bundles", { name: `${n}-b`, prompts: [`${n}/reply`] });
    await ok("POST", `/api/v1/bundles/${n}-b/releases`, { environment: "staging", versions: { [`${n}/reply`]: 2 } });
    await ok("POST", `/api/v1/bundles/${n}-b/rollback`, { environment: "staging", reason: "worse" });
    const again = await call("POST", `/api/v1/bundles/${n}-b/rollback`, { body: { environment: "staging" } });
    expect([again.status, errorCode(again)]).toEqual([409, "rolled_back"]);
    expect(again.body.error.details).toMatchObject({
      field: "confirmRolledBack",
      members: [{ prompt: `${n}/reply`, version: 2 }],
    });
    await ok("POST", `/api/v1/bundles/${n}-b/rollback`, { environment: "staging", confirmRolledBack: true });
  });
});
