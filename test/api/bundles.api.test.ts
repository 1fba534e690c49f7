// Agent bundles over HTTP (docs/decisions/bundles.md): create, release every member at once, resolve them as one
// consistent state (a reader in a loop while releases switch the bundle never sees a mix), roll back as one; a key
// limited to one environment resolves only there; bad input names the problem and changes nothing. Its
// members change by PATCH; one review is asked for every member a release changes.
import { beforeAll, describe, expect, it } from "vitest";
import { call, errorCode } from "./client";

const suffix = Date.now().toString(36);
const bundle = `agent-${suffix}`;
const system = `agent-${suffix}/system`;
const tools = `agent-${suffix}/tools`;
const env = `bundle-${suffix}`.slice(0, 36);
const path = `/api/v1/bundles/${encodeURIComponent(bundle)}`;
let limitedKey = "";

const release = (versions: Record<string, number>, extra: Record<string, unknown> = {}) =>
  call("POST", `${path}/releases`, { body: { environment: env, versions, ...extra } });
const resolved = async (key?: string) => {
  const r = await call("GET", `${path}/resolve?environment=${env}`, { key });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { release: { id: number; current: boolean } | null; prompts: Record<string, { version: number }> };
};

beforeAll(async () => {
  for (const name of [system, tools]) {
    expect(
      (await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: `${name} v1` } })).status,
    ).toBe(201);
    expect(
      (await call("POST", `/api/v1/prompts/${encodeURIComponent(name)}/versions`, { body: { template: `${name} v2` } }))
        .status,
    ).toBe(201);
  }
  expect((await call("POST", "/api/v1/environments", { body: { name: env } })).status).toBe(201);
  const key = await call("POST", "/api/v1/api-keys", {
    body: { name: `bundle-${suffix}`, scope: "runtime", environments: ["production"] },
  });
  expect(key.status, JSON.stringify(key.body)).toBe(201);
  limitedKey = key.body.key;
});

describe("a bundle over HTTP", () => {
  it("is created, refusing bad input with the field named", async () => {
    const created = await call("POST", "/api/v1/bundles", { body: { name: bundle, prompts: [system, tools] } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.bundle).toMatchObject({ name: bundle, prompts: [system, tools] });
    const empty = await call("POST", "/api/v1/bundles", { body: { name: `e-${suffix}`, prompts: [] } });
    expect([empty.status, empty.body.error.details.field]).toEqual([400, "prompts"]);
    const bad = await call("POST", "/api/v1/bundles", { body: { name: "Bad Name!", prompts: [system] } });
    expect([bad.status, bad.body.error.details.field]).toEqual([400, "name"]);
    expect((await call("GET", "/api/v1/bundles/nope")).status).toBe(404);
  });

  it("is released in one action and resolved as one; never a mix while it switches", async () => {
    const first = await release({ [system]: 1, [tools]: 1 });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.release).toMatchObject({
      environment: env,
      action: "release",
      versions: { [system]: 1, [tools]: 1 },
    });
    const one = await resolved();
    expect(one.release).toMatchObject({ id: first.body.release.id, current: true });
    expect(Object.values(one.prompts).map((p) => p.version)).toEqual([1, 1]);

    const missing = await release({ [system]: 2 });
    expect([missing.status, errorCode(missing), missing.body.error.details.missing]).toEqual([
      400,
      "invalid_input",
      [tools],
    ]);

    let switching = true;
    const seen: number[][] = [];
    const reader = (async () => {
      while (switching) seen.push(Object.values((await resolved()).prompts).map((p) => p.version));
    })();
    for (let i = 0; i < 8; i++) {
      const v = i % 2 ? 1 : 2;
      expect((await release({ [system]: v, [tools]: v })).status).toBe(201);
    }
    switching = false;
    await reader;
    expect(seen.length).toBeGreaterThan(0);
    for (const [a, b] of seen) expect(a).toBe(b);

    const view = await call("GET", path);
    const here = view.body.bundle.environments.find((e: { name: string }) => e.name === env);
    expect(here.serves).toEqual({ [system]: 1, [tools]: 1 });
    expect(here.history).toHaveLength(9);
  });

  it("rolls back as one, and a limited key resolves only its environment", async () => {
    const back = await call("POST", `${path}/rollback`, { body: { environment: env, reason: "tools broke" } });
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.release).toMatchObject({ action: "rollback", versions: { [system]: 2, [tools]: 2 } });
    expect(Object.values((await resolved()).prompts).map((p) => p.version)).toEqual([2, 2]);

    const limited = await call("GET", `${path}/resolve?environment=${env}`, { key: limitedKey });
    expect([limited.status, errorCode(limited)]).toEqual([403, "forbidden"]);
    const notDeployed = await call("GET", `${path}/resolve?environment=production`, { key: limitedKey });
    expect([notDeployed.status, errorCode(notDeployed)]).toEqual([404, "not_deployed"]);
  });

  it("changes its members by PATCH, and asks one review of a release", async () => {
    const patched = await call("PATCH", path, { body: { prompts: [tools, system], description: "tools first" } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.bundle).toMatchObject({ prompts: [tools, system], description: "tools first" });
    const unknown = await call("PATCH", path, { body: { prompts: [system, `nope-${suffix}`] } });
    expect([unknown.status, errorCode(unknown)]).toEqual([404, "not_found"]);
    const empty = await call("PATCH", path, { body: { prompts: [] } });
    expect([empty.status, empty.body.error.details.field]).toEqual([400, "prompts"]);
    expect((await call("GET", path)).body.bundle.prompts).toEqual([tools, system]);

    expect((await call("PATCH", `/api/v1/environments/${env}`, { body: { requiresReview: true } })).status).toBe(200);
    const blocked = await release({ [system]: 1, [tools]: 2 });
    expect(blocked.status).toBe(409);
    // The bundle's rollback above took system off v1: an approval alone could not release it, so asking says so.
    const body = { environment: env, versions: { [system]: 1, [tools]: 2 }, message: "system back to v1" };
    const knowingly = await call("POST", `${path}/reviews`, { body });
    expect([knowingly.status, knowingly.body.error.details.field]).toEqual([409, "acknowledgeMissing"]);
    expect(knowingly.body.error.message).toMatch(/rolled back/);
    const asked = await call("POST", `${path}/reviews`, { body: { ...body, acknowledgeMissing: true } });
    expect(asked.status, JSON.stringify(asked.body)).toBe(201);
    expect(asked.body.review).toMatchObject({
      status: "pending",
      environment: env,
      versions: { [system]: 1, [tools]: 2 },
    });
    // Only the member that changes is reviewed; the plans of both come back.
    expect(asked.body.review.reviews.map((r: { prompt: string }) => r.prompt)).toEqual([system]);
    expect(asked.body.plans).toHaveLength(2);
    const listed = await call("GET", `${path}/reviews`);
    expect(listed.body.reviews[0]).toMatchObject({ id: asked.body.review.id, status: "pending" });
    const again = await call("POST", `${path}/reviews`, { body: { ...body, acknowledgeMissing: true } });
    expect([again.status, again.body.error.message]).toEqual([
      409,
      `${system} version 1 already has a pending review for ${env}: decide or cancel it first.`,
    ]);
    // Keys ask for reviews; only a person decides one.
    const decided = await call("POST", `/api/v1/reviews/${asked.body.review.reviews[0].id}`, {
      body: { decision: "approve" },
    });
    expect([decided.status, errorCode(decided)]).toEqual([403, "forbidden"]);
  });
});
