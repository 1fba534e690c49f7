// Guarded rollouts past one machine (docs/decisions/guarded-rollouts.md): a step taken on one instance is served by the other and by an
// SDK client listening for pushes, without waiting for a TTL; a subject on the new version never goes back as
// the share grows; a paused rollout is still paused after its instance restarts, and resumes there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type LecternClient } from "../../sdk/src/index";
import { api, eventually, freePort, instanceWithPrompt, RedisProcess, ServerProcess } from "./harness";

const ADMIN = "lk_rollout_cluster_admin_key_0123456789ab";
let redis: RedisProcess;
let a: ServerProcess;
let b: ServerProcess;
let db: Awaited<ReturnType<typeof instanceWithPrompt>>["db"];
let runtimeKey = "";
let sdk: LecternClient;

const onB = async (subject: string) => {
  const r = await api(b, "GET", `/api/v1/prompts/resolve?name=ramp&subject=${subject}`, runtimeKey);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { version: number; rollout: { id: string; arm: string } | null };
};
const subjects = Array.from({ length: 200 }, (_, i) => `u-${i}`);
const onNew = async () => {
  const got = await Promise.all(subjects.map(onB));
  return subjects.filter((_, i) => got[i]!.version === 2);
};

beforeAll(async () => {
  redis = new RedisProcess(await freePort());
  await redis.start();
  const started = await instanceWithPrompt({
    admin: ADMIN,
    secret: "rollout-cluster-secret-rollout-cluster",
    prompt: "ramp",
    templates: ["old {{x}}", "new {{x}}"],
    env: { REDIS_URL: redis.url },
  });
  ({ db, server: a, runtimeKey } = started);
  b = new ServerProcess(await freePort(), started.env);
  await b.start();
  sdk = createClient({ baseUrl: b.url, apiKey: runtimeKey, environment: "production", trackExposures: false });
}, 240_000);

afterAll(async () => {
  await sdk?.close();
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await redis?.stop();
  await db?.drop();
}, 60_000);

describe("a guarded rollout on two instances", () => {
  it("a step on one instance reaches the other and a pushed SDK at once; a paused rollout survives a restart", async () => {
    const created = await api(a, "POST", "/api/v1/prompts/ramp/rollouts", ADMIN, {
      environment: "production",
      version: 2,
      steps: [
        { percent: 10, minMinutes: 0, minSubjects: 1_000_000 },
        { percent: 60, minMinutes: 0, minSubjects: 1_000_000 },
        { percent: 100 },
      ],
      guardrails: ["latency_ms"],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.rollout.id as string;
    const first = await onNew();
    expect(first.length).toBeGreaterThan(8);
    expect(first.length).toBeLessThan(40);
    // A subject the next step will move: live now, through the SDK (its cache now holds the 10 % split).
    const later = subjects.find((s) => !first.includes(s))!;
    expect((await sdk.getPrompt("ramp", { subject: later })).version).toBe(1);

    expect((await api(a, "POST", `/api/v1/rollouts/${id}/advance`, ADMIN, { reason: "step up" })).status).toBe(200);
    await eventually(onNew, (n) => n.length > 90, 5000);
    const second = await onNew();
    expect(first.every((s) => second.includes(s))).toBe(true);
    expect(second.length).toBeLessThan(150);
    const moved = second.find((s) => !first.includes(s))!;
    await eventually(
      async () => (await sdk.getPrompt("ramp", { subject: moved })).rollout,
      (r) => r?.arm === "new",
      5000,
    );

    // Plain `next start` waits for open event streams before it exits; the SDK lets go of B's first.
    await sdk.close();

    expect((await api(a, "POST", `/api/v1/rollouts/${id}/pause`, ADMIN, { reason: "hold" })).status).toBe(200);
    await b.stop();
    await b.start();
    const read = await api(b, "GET", `/api/v1/rollouts/${id}`, ADMIN);
    expect(read.body.rollout).toMatchObject({ status: "paused", step: 1, percent: 60 });
    expect((await onNew()).length).toBe(second.length);
    const resumed = await api(b, "POST", `/api/v1/rollouts/${id}/resume`, ADMIN, { reason: "go on" });
    expect([resumed.status, resumed.body.rollout.status]).toEqual([200, "running"]);
    const back = await api(b, "POST", `/api/v1/rollouts/${id}/rollback`, ADMIN, { reason: "done testing" });
    expect(back.body.rollout.status).toBe("rolled_back");
    await eventually(
      async () => (await api(a, "GET", `/api/v1/prompts/resolve?name=ramp&subject=${moved}`, runtimeKey)).body,
      (r) => r.version === 1 && r.rollout === null,
      5000,
    );
  }, 120_000);
});
