// The release plan over HTTP: what GET /release-plan answers is what a refused promotion carries, a
// breaking change needs confirmBreaking, a review that could not deploy asks to be acknowledged,
// experiments split only what the environment serves, and a dataset edit can be undone.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { call, errorCode } from "./client";

const uniq = () => randomBytes(4).toString("hex");

async function prompt(extra: Record<string, unknown> = {}) {
  const name = `plan-${uniq()}`;
  const r = await call("POST", "/api/v1/prompts", {
    body: { name, type: "text", template: "Hello {{name}}", variables: [{ name: "name" }], ...extra },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return name;
}
const version = async (name: string, body: Record<string, unknown>) => {
  const r = await call("POST", `/api/v1/prompts/${name}/versions`, { body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.version as number;
};
const promote = (name: string, body: Record<string, unknown>) =>
  call("POST", `/api/v1/prompts/${name}/deployments`, { body });

/** An environment of its own (rules changed here touch no other test), after staging. */
async function environment(rules: Record<string, unknown>) {
  const name = `qa-${uniq()}`;
  const r = await call("POST", "/api/v1/environments", { body: { name, ...rules } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return name;
}

describe("the release plan", () => {
  it("answers every rule's step, and a refused promotion carries the same plan", async () => {
    const env = await environment({ requiresReview: true, requiresLiveIn: "staging" });
    const name = await prompt();
    const plan = await call("GET", `/api/v1/prompts/${name}/versions/1/release-plan?environment=${env}`);
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({
      prompt: name,
      version: 1,
      environment: env,
      live: null,
      status: "blocked",
      missing: ["live_in", "review"],
      steps: [
        { id: "live_in", met: false, action: { kind: "promote", environment: "staging", version: 1 } },
        { id: "review", met: false, action: { kind: "request_review", environment: env, version: 1 } },
      ],
    });
    const refused = await promote(name, { environment: env, version: 1 });
    expect(refused.status).toBe(409);
    expect(errorCode(refused)).toBe("conflict");
    expect(refused.body.error.details).toMatchObject({ rule: "requiresLiveIn", plan: plan.body });
    expect(refused.body.error.message).toMatch(/Also missing: an approved review by someone else\./);
    // Meeting a step shows at once.
    expect((await promote(name, { environment: "staging", version: 1 })).status).toBe(201);
    const after = await call("GET", `/api/v1/prompts/${name}/versions/1/release-plan?environment=${env}`);
    expect(after.body.missing).toEqual(["review"]);
  });

  it("refuses a bad query naming it", async () => {
    const name = await prompt();
    const r = await call("GET", `/api/v1/prompts/${name}/versions/1/release-plan?environment=Not%20One`);
    expect(r.status).toBe(400);
    expect(r.body.error.details).toMatchObject({ field: "query.environment" });
    expect((await call("GET", `/api/v1/prompts/${name}/versions/9/release-plan`)).status).toBe(404);
  });

  it("a change that breaks a protected environment's callers needs confirmBreaking: true", async () => {
    const env = await environment({ protected: true });
    const name = await prompt();
    expect((await promote(name, { environment: env, version: 1 })).status).toBe(201);
    const v2 = await version(name, {
      template: "Hello {{name}}, order {{order_id}}",
      variables: [{ name: "name" }, { name: "order_id" }],
    });
    const refused = await promote(name, { environment: env, version: v2 });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details).toMatchObject({
      field: "confirmBreaking",
      breaking: ["variable.added:order_id"],
      plan: { missing: ["breaking"] },
    });
    const ok = await promote(name, { environment: env, version: v2, confirmBreaking: true });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const bad = await promote(name, { environment: env, version: 1, confirmBreaking: "yes" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toMatchObject({ field: "confirmBreaking" });
  });

  it("a review whose approval could not deploy says so, and is requested once acknowledged", async () => {
    const env = await environment({ requiresReview: true, requiresLiveIn: "staging" });
    const name = await prompt();
    const told = await call("POST", `/api/v1/prompts/${name}/reviews`, { body: { version: 1, environment: env } });
    expect(told.status).toBe(409);
    expect(told.body.error.details).toMatchObject({ field: "acknowledgeMissing", missing: ["live_in"] });
    const r = await call("POST", `/api/v1/prompts/${name}/reviews`, {
      body: { version: 1, environment: env, acknowledgeMissing: true },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: "pending", plan: { missing: ["live_in", "review"] } });
    // A review that does not deploy on approval needs no acknowledgement.
    const name2 = await prompt();
    const r2 = await call("POST", `/api/v1/prompts/${name2}/reviews`, {
      body: { version: 1, environment: env, deployOnApprove: false },
    });
    expect(r2.status).toBe(201);
  });
});

describe("experiments split what the environment serves", () => {
  it("refuses to start with a control the environment does not serve; a rollback stops a running one", async () => {
    const name = await prompt();
    await version(name, { template: "Hi {{name}}", variables: [{ name: "name" }] });
    await version(name, { template: "Hey {{name}}", variables: [{ name: "name" }] });
    expect((await promote(name, { environment: "staging", version: 1 })).status).toBe(201);
    const create = (control: number, other: number) =>
      call("POST", "/api/v1/experiments", {
        body: {
          prompt: name,
          environment: "staging",
          name: `Plan ${name}`,
          variants: [
            { key: "a", version: control, weight: 0.5 },
            { key: "b", version: other, weight: 0.5 },
          ],
          mode: "sequential",
          primaryMetric: { name: "thumbs", kind: "binary" },
        },
      });
    const wrong = await create(2, 3);
    const refused = await call("POST", `/api/v1/experiments/${wrong.body.id}/start`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.details).toMatchObject({ rule: "control", live: 1, control: 2 });

    const right = await create(1, 3);
    expect((await call("POST", `/api/v1/experiments/${right.body.id}/start`)).status).toBe(200);
    const split = await call("GET", `/api/v1/prompts/resolve?name=${name}&environment=staging&subject=u-1`);
    expect(split.body.experiment).toMatchObject({ id: right.body.id });
    expect((await promote(name, { environment: "staging", version: 2 })).status).toBe(201);
    const stopped = await call("GET", `/api/v1/experiments/${right.body.id}`);
    expect(stopped.body).toMatchObject({
      status: "stopped",
      decision: { stoppedBy: "deployment", deployment: { version: 2, action: "promote" } },
    });
    for (const subject of ["u-1", "u-2", "u-3", "u-4"]) {
      const r = await call("GET", `/api/v1/prompts/resolve?name=${name}&environment=staging&subject=${subject}`);
      expect([r.body.version, r.body.experiment]).toEqual([2, null]);
    }
  });
});

describe("datasets: undo", () => {
  it("restores the items of an earlier version as a new version", async () => {
    const ds = await call("POST", "/api/v1/datasets", { body: { name: `undo-${uniq()}` } });
    expect(ds.status, JSON.stringify(ds.body)).toBe(201);
    const id = ds.body.id;
    const added = await call("POST", `/api/v1/datasets/${id}/items`, {
      body: { items: [{ input: { q: "a" } }, { input: { q: "b" } }] },
    });
    expect(added.status).toBe(201);
    const items = await call("GET", `/api/v1/datasets/${id}/items`);
    const removed = await call("DELETE", `/api/v1/datasets/${id}/items/${items.body.items[0].id}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    const undo = await call("POST", `/api/v1/datasets/${id}/restore`, { body: {} });
    expect(undo.status, JSON.stringify(undo.body)).toBe(201);
    expect(undo.body).toEqual({ version: 3, restored: 1 });
    const now = await call("GET", `/api/v1/datasets/${id}/items`);
    expect(now.body.items.map((i: { input: { q: string } }) => i.input.q).sort()).toEqual(["a", "b"]);
    const bad = await call("POST", `/api/v1/datasets/${id}/restore`, { body: { version: 3 } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toMatchObject({ field: "version" });
  });
});
