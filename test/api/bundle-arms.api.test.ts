// Bundle releases as experiment arms and as guarded rollouts, over HTTP (docs/decisions/bundles.md): an experiment of
// two releases splits every changed member the same way for a subject (the bundle's resolve says which arm), starting
// and stopping any member moves all, shipping an arm is one bundle release; a bundle's rollout rolls back as one
// through any member's rollout. Names carry a suffix: the server is shared.
import { beforeAll, describe, expect, it } from "vitest";
import { call } from "./client";

const suffix = Date.now().toString(36);
const bundle = `arms-${suffix}`;
const [a, b] = [`arms-${suffix}/a`, `arms-${suffix}/b`];
const env = `arms-${suffix}`.slice(0, 36);
const path = `/api/v1/bundles/${encodeURIComponent(bundle)}`;
const v = (x: number) => ({ [a]: x, [b]: x });

beforeAll(async () => {
  for (const name of [a, b]) {
    expect(
      (await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: `${name} v1` } })).status,
    ).toBe(201);
    const two = await call("POST", `/api/v1/prompts/${encodeURIComponent(name)}/versions`, {
      body: { template: `${name} v2` },
    });
    expect(two.status).toBe(201);
  }
  expect((await call("POST", "/api/v1/environments", { body: { name: env } })).status).toBe(201);
  expect((await call("POST", "/api/v1/bundles", { body: { name: bundle, prompts: [a, b] } })).status).toBe(201);
  expect((await call("POST", `${path}/releases`, { body: { environment: env, versions: v(1) } })).status).toBe(201);
});

describe("a bundle's experiment and rollout over HTTP", () => {
  it("splits every member alike, moves as one, and ships an arm as one bundle release", async () => {
    const arms = [
      { key: "A", weight: 0.5, versions: v(1) },
      { key: "B", weight: 0.5, versions: v(2) },
    ];
    const body = { environment: env, arms, name: "v2 everywhere", primaryMetric: { name: "thumbs", kind: "binary" } };
    const bandit = await call("POST", `${path}/experiments`, { body: { ...body, mode: "bandit" } });
    expect([bandit.status, bandit.body.error?.details?.field]).toEqual([422, "mode"]);
    const created = await call("POST", `${path}/experiments`, { body: { ...body, mode: "sequential" } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const members: { prompt: string; experiment: string }[] = created.body.experiment.members;
    expect(members.map((m) => m.prompt)).toEqual([a, b]);
    const started = await call("POST", `/api/v1/experiments/${members[1]!.experiment}/start`);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await call("GET", `${path}/resolve?environment=${env}&subject=user-${i}`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      const want = r.body.experiment.variant === "B" ? 2 : 1;
      expect([r.body.prompts[a].version, r.body.prompts[b].version]).toEqual([want, want]);
      seen.add(r.body.experiment.variant);
    }
    expect([...seen].sort()).toEqual(["A", "B"]);
    const stop = await call("POST", `/api/v1/experiments/${members[0]!.experiment}/stop`, {
      body: { decision: { ship: "B" }, reason: "both members read better" },
    });
    expect(stop.status, JSON.stringify(stop.body)).toBe(200);
    const listed = await call("GET", `${path}/experiments?environment=${env}`);
    expect(listed.body.experiments[0]).toMatchObject({ status: "stopped", decision: { ship: "B" } });
    const view = await call("GET", path);
    const here = view.body.bundle.environments.find((e: { name: string }) => e.name === env);
    expect(here.serves).toEqual(v(2));
    expect(here.history.map((h: { versions: unknown }) => h.versions)).toEqual([v(2), v(1)]);
  });

  it("rolls a bundle's rollout back as one through any member's rollout", async () => {
    const started = await call("POST", `${path}/rollouts`, {
      body: {
        environment: env,
        versions: v(1),
        steps: [{ percent: 50, minMinutes: 60, minSubjects: 10 }, { percent: 100 }],
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const members: { rollout: string }[] = started.body.rollout.members;
    expect(started.body.rollout).toMatchObject({ status: "running", percent: 50 });
    const back = await call("POST", `/api/v1/rollouts/${members[1]!.rollout}/rollback`, {
      body: { reason: "latency" },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    const [listed] = (await call("GET", `${path}/rollouts?environment=${env}`)).body.rollouts;
    expect(listed).toMatchObject({ id: started.body.rollout.id, status: "rolled_back", percent: 0 });
    const r = await call("GET", `${path}/resolve?environment=${env}&subject=user-1`);
    expect([r.body.rollout, r.body.prompts[a].version, r.body.prompts[b].version]).toEqual([null, 2, 2]);
  });
});
