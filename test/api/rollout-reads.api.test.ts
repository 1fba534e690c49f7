// Rollouts are rollouts, and their decisions say what they read (docs/decisions/rollout-decisions.md), over HTTP: GET
// /api/v1/rollouts lists them by environment and status while GET /api/v1/experiments never does, and the experiments'
// moves refuse one naming the rollout's own; a rollout whose events have not arrived waits and says so (its lastCheck),
// then counts every event accepted before it decides and keeps the subjects and events per arm in its decision log.
import { beforeAll, describe, expect, it } from "vitest";
import { call, errorCode } from "./client";
import { runCron } from "./harness";
import { newRuntimeKey, resolveAs, uniq } from "./runtime-setup";

const suffix = uniq();
const env = `rr-${suffix}`;
let runtimeKey = "";

/** A prompt with versions 1–2, version 1 live in the test's environment. */
async function served(name: string) {
  const created = await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "v1 says hi" } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect((await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: "v2 says hi" } })).status).toBe(
    201,
  );
  const d = await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: env, version: 1 } });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
}

const start = async (name: string, extra: Record<string, unknown> = {}) => {
  const r = await call("POST", `/api/v1/prompts/${name}/rollouts`, {
    body: {
      environment: env,
      version: 2,
      steps: [{ percent: 50, minMinutes: 0, minSubjects: 10 }, { percent: 100 }],
      guardrails: ["latency_ms"],
      ...extra,
    },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.rollout.id as string;
};

const get = async (id: string) => {
  const r = await call("GET", `/api/v1/rollouts/${id}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.rollout;
};

/** Subjects resolve, then send an exposure and `events` generations each (or none) on the version they got. */
async function traffic(name: string, tag: string, n: number, events: (version: number) => number) {
  const sent = { live: { subjects: 0, events: 0 }, new: { subjects: 0, events: 0 } };
  const batch: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const subject = `${tag}-${i}`;
    const r = await resolveAs(runtimeKey, `name=${name}&environment=${env}&subject=${subject}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const version = r.body.version as number;
    const arm = version === 2 ? "new" : "live";
    const common = { prompt: name, version, subject, environment: env };
    batch.push({ id: `${tag}-x-${i}`, type: "exposure", ...common });
    const k = events(version);
    if (k) sent[arm].subjects++;
    for (let j = 0; j < k; j++) {
      batch.push({ id: `${tag}-g-${i}-${j}`, type: "generation", ...common, latencyMs: 300 + ((i + j) % 7) });
      sent[arm].events++;
    }
  }
  const r = await call("POST", "/api/v1/events", { key: runtimeKey, body: { events: batch } });
  expect(r.status, JSON.stringify(r.body)).toBe(202);
  return sent;
}

beforeAll(async () => {
  runtimeKey = await newRuntimeKey();
  expect((await call("POST", "/api/v1/environments", { body: { name: env } })).status).toBe(201);
});

describe("rollouts over HTTP, apart from experiments", () => {
  it("GET /api/v1/rollouts lists them by environment and status; GET /api/v1/experiments never does", async () => {
    const name = `rr-list-${suffix}`;
    await served(name);
    const id = await start(name);
    const listed = await call("GET", `/api/v1/rollouts?environment=${env}`);
    expect(listed.status, JSON.stringify(listed.body)).toBe(200);
    expect(listed.body.rollouts.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(listed.body.rollouts[0]).toMatchObject({ prompt: name, status: "running", percent: 50, bundle: null });
    const running = await call("GET", `/api/v1/rollouts?environment=${env}&status=running`);
    expect(running.body.rollouts.map((r: { id: string }) => r.id)).toEqual([id]);
    expect((await call("GET", `/api/v1/rollouts?environment=${env}&status=completed`)).body.rollouts).toEqual([]);
    const bad = await call("GET", "/api/v1/rollouts?status=sideways");
    expect([bad.status, bad.body.error.details.field]).toEqual([400, "query.status"]);
    expect(bad.body.error.message).toMatch(/status must be one of running, paused, completed, rolled_back, stopped/);
    expect(
      (await call("GET", `/api/v1/rollouts?prompt=${name}`)).body.rollouts.map((r: { id: string }) => r.id),
    ).toEqual([id]);

    const experiments = await call("GET", "/api/v1/experiments");
    expect(experiments.status).toBe(200);
    expect(experiments.body.data.some((e: { id: string }) => e.id === id)).toBe(false);
    expect((await call("GET", `/api/v1/experiments?prompt=${name}`)).body.data).toEqual([]);
    const stop = await call("POST", `/api/v1/experiments/${id}/stop`, { body: { decision: { ship: "new" } } });
    expect([stop.status, errorCode(stop), stop.body.error.details.rollout]).toEqual([
      409,
      "conflict",
      { id, path: `/api/v1/rollouts/${id}` },
    ]);
    expect(stop.body.error.message).toContain(`POST /api/v1/rollouts/${id}/advance`);
    const weights = await call("POST", `/api/v1/experiments/${id}/weights`, {
      body: { weights: { live: 0.5, new: 0.5 } },
    });
    expect([weights.status, weights.body.error.details.rule]).toEqual([409, "rollout"]);
    expect(await get(id)).toMatchObject({ status: "running", percent: 50 });
    await call("POST", `/api/v1/rollouts/${id}/rollback`, { body: { reason: "done with this test" } });
    const back = await call("GET", `/api/v1/rollouts?environment=${env}&status=rolled_back`);
    expect(back.body.rollouts.map((r: { id: string }) => r.id)).toEqual([id]);
  });

  it("a rollout whose decision waits for its events says so, then counts every one it read", async () => {
    const name = `rr-wait-${suffix}`;
    await served(name);
    const id = await start(name, { minSamplePerArm: 15 });
    expect((await get(id)).minSamplePerArm).toBe(15);

    // Subjects arrive; none of their events yet: the job waits for data, and the rollout says what it read.
    await traffic(name, "a", 40, () => 0);
    await runCron("rollouts");
    let r = await get(id);
    expect([r.status, r.step]).toEqual(["running", 0]);
    expect(r.lastCheck.reason).toBe("waiting for data: no guardrail has a value on either version yet (latency_ms)");
    expect(r.lastCheck.read.subjects.live + r.lastCheck.read.subjects.new).toBe(40);
    expect(r.lastCheck.read.minSamplePerArm).toBe(15);

    // The live version's events arrive, the new one's not: too few subjects to tell, naming the arm.
    const live = await traffic(name, "b", 40, (v) => (v === 1 ? 2 : 0));
    await runCron("rollouts");
    r = await get(id);
    expect(r.step).toBe(0);
    expect(r.lastCheck.reason).toMatch(
      /^too few subjects to tell: latency_ms has 0 of the 15 subjects per arm a step needs on the new version/,
    );
    expect(r.lastCheck.guardrails[0].arms).toEqual({ live: live.live, new: { subjects: 0, events: 0 } });
    expect(r.current.guardrails[0].arms).toEqual(r.lastCheck.guardrails[0].arms);

    // Both arrive, accepted before the next look: it completes, and its decision keeps every event it read.
    const both = await traffic(name, "c", 60, () => 3);
    await runCron("rollouts");
    r = await get(id);
    expect(r.status).toBe("completed");
    expect(r.lastCheck).toBeNull();
    const last = r.decisions.at(-1);
    expect(last).toMatchObject({ action: "complete", automatic: true, read: { minSamplePerArm: 15 } });
    expect(last.guardrails[0].arms).toEqual({
      live: { subjects: live.live.subjects + both.live.subjects, events: live.live.events + both.live.events },
      new: both.new,
    });
    expect(Date.parse(last.read.at)).toBeGreaterThan(0);
    // Its traffic split: every subject once, against the share it arrived at.
    expect(r.sampleRatio).toMatchObject({ ok: true });
    expect(r.sampleRatio.subjects.live + r.sampleRatio.subjects.new).toBe(140);
  });
});
