// Guarded rollouts over HTTP (docs/decisions/guarded-rollouts.md): started only when the release plan is met, served by
// resolve as {rollout: {id, arm}} to the share its step gives, paused and resumed by people with a reason, rolled back
// by the rollouts cron when a guardrail regresses (everyone back on the live version) and completed when none
// does (the version becomes the deployment). Bad input gets 400 naming the field and changes nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../../sdk/src/index";
import { baseUrl, call, errorCode } from "./client";
import { runCron } from "./harness";
import { newRuntimeKey, resolveAs, uniq } from "./runtime-setup";

const suffix = uniq();
const name = `rollout-${suffix}`;
const env = `ro-${suffix}`;
const path = `/api/v1/prompts/${encodeURIComponent(name)}/rollouts`;
let runtimeKey = "";

const resolveFor = async (subject?: string) => {
  const r = await resolveAs(runtimeKey, `name=${name}&environment=${env}${subject ? `&subject=${subject}` : ""}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body as { version: number; rollout: { id: string; arm: string } | null };
};

/** n subjects resolve, then send an exposure and a generation each on the version they got. */
async function traffic(tag: string, n: number, latency: (version: number, i: number) => number) {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const subject = `${tag}-${i}`;
    const { version } = await resolveFor(subject);
    const common = { prompt: name, version, subject, environment: env };
    events.push({ id: `${tag}-x-${i}`, type: "exposure", ...common });
    events.push({ id: `${tag}-g-${i}`, type: "generation", ...common, latencyMs: latency(version, i) });
  }
  const sent = await call("POST", "/api/v1/events", { key: runtimeKey, body: { events } });
  expect(sent.status, JSON.stringify(sent.body)).toBe(202);
}

const get = async (id: string) => (await call("GET", `/api/v1/rollouts/${id}`)).body.rollout;

beforeAll(async () => {
  runtimeKey = await newRuntimeKey();
  expect((await call("POST", "/api/v1/environments", { body: { name: env } })).status).toBe(201);
  const created = await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "v1 says hi" } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  for (const t of ["v2 says hi", "v3 says hi"])
    expect((await call("POST", `/api/v1/prompts/${name}/versions`, { body: { template: t } })).status).toBe(201);
  const d = await call("POST", `/api/v1/prompts/${name}/deployments`, { body: { environment: env, version: 1 } });
  expect(d.status, JSON.stringify(d.body)).toBe(201);
});

describe("a guarded rollout over HTTP", () => {
  it("refuses bad input naming the field, and changes nothing", async () => {
    const steps = await call("POST", path, {
      body: { environment: env, version: 2, steps: [{ percent: 60 }, { percent: 30 }] },
    });
    expect([steps.status, steps.body.error.details.field]).toEqual([400, "steps"]);
    const guard = await call("POST", path, { body: { environment: env, version: 2, guardrails: ["nope"] } });
    expect([guard.status, guard.body.error.details.field]).toEqual([422, "guardrails.0"]);
    const live = await call("POST", path, { body: { environment: env, version: 1 } });
    expect(errorCode(live)).toBe("conflict");
    expect((await call("GET", `${path}?environment=${env}`)).body.rollouts).toEqual([]);
    expect((await call("GET", "/api/v1/rollouts/00000000-0000-0000-0000-000000000000")).status).toBe(404);
  });

  it("serves its share to subjects, pauses with a reason, and rolls back on a regression", async () => {
    const started = await call("POST", path, {
      body: {
        environment: env,
        version: 2,
        steps: [{ percent: 30, minMinutes: 0, minSubjects: 1000 }, { percent: 100 }],
        guardrails: ["latency_ms"],
        reason: "new greeting",
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.rollout.id as string;
    expect(started.body.rollout).toMatchObject({ status: "running", step: 0, percent: 30, version: 2 });
    expect(errorCode(await call("POST", path, { body: { environment: env, version: 3 } }))).toBe("conflict");

    const anonymous = await resolveFor();
    expect([anonymous.version, anonymous.rollout]).toEqual([1, null]);
    let onNew = 0;
    // 200 subjects at 30 %: 60 expected; the bounds are 4.6 standard deviations away (the seed is the rollout's id,
    // new each run), so a fair split never fails them and a wrong share (0 %, 100 %, 50 %) always does.
    for (let i = 0; i < 200; i++) {
      const r = await resolveFor(`s-${i}`);
      expect(r.rollout).toEqual({ id, arm: r.version === 2 ? "new" : "live" });
      if (r.version === 2) onNew++;
    }
    expect(onNew).toBeGreaterThan(30);
    expect(onNew).toBeLessThan(90);
    // The SDK assigns subjects itself from the definition, as the server does, and says which arm.
    const sdk = createClient({ baseUrl, apiKey: runtimeKey, environment: env, push: false, trackExposures: false });
    for (let i = 0; i < 20; i++) {
      const p = await sdk.getPrompt(name, { subject: `s-${i}` });
      const server = await resolveFor(`s-${i}`);
      expect([p.version, p.rollout]).toEqual([server.version, server.rollout]);
    }
    await sdk.close();

    // The SDK's answer carries the split; its etag names the phase, so a revalidation after a change is no 304.
    const withSplit = await resolveAs(runtimeKey, `name=${name}&environment=${env}&include=experiment`);
    expect(withSplit.body.experimentDefinition).toMatchObject({ id, kind: "rollout", assignment: "hash" });
    const splitTag = withSplit.headers.get("etag")!;
    const same = await resolveAs(runtimeKey, `name=${name}&environment=${env}&include=experiment`, {
      "if-none-match": splitTag,
    });
    expect(same.status).toBe(304);

    const noReason = await call("POST", `/api/v1/rollouts/${id}/pause`, { body: { reason: " " } });
    expect([noReason.status, noReason.body.error.details.field]).toEqual([400, "reason"]);
    const paused = await call("POST", `/api/v1/rollouts/${id}/pause`, { body: { reason: "support is watching" } });
    expect([paused.status, paused.body.rollout.status]).toEqual([200, "paused"]);
    expect(errorCode(await call("POST", `/api/v1/rollouts/${id}/pause`, { body: { reason: "again" } }))).toBe(
      "conflict",
    );
    expect((await call("POST", `/api/v1/rollouts/${id}/resume`, { body: { reason: "go on" } })).status).toBe(200);

    await traffic("bad", 240, (v, i) => (v === 2 ? 400 : 200) + (i % 10));
    await runCron("rollouts");
    const after = await get(id);
    expect(after).toMatchObject({ status: "rolled_back", percent: 0, current: null });
    expect(after.decisions.at(-1)).toMatchObject({ action: "rollback", automatic: true });
    expect(after.decisions.at(-1).guardrails[0]).toMatchObject({ metric: "latency_ms", significant: true });
    expect(after.decisions.map((d: { action: string }) => d.action)).toEqual(["start", "pause", "resume", "rollback"]);
    // People are told: an alert naming the metric, its interval and the step.
    const alerts = await call("GET", `/api/v1/alerts?prompt=${encodeURIComponent(name)}`);
    expect(alerts.status, JSON.stringify(alerts.body)).toBe(200);
    const alert = alerts.body.data.find((a: { kind: string }) => a.kind === "rollout_regression");
    expect(alert).toMatchObject({
      severity: "critical",
      version: 2,
      details: { rollout: id, metric: "latency_ms", step: 1 },
    });
    expect(alert.message).toMatch(
      /rolled back: latency_ms is significantly worse on the new version at step 1 of 2 \(30 %\): [\d.]+% higher/,
    );
    for (let i = 0; i < 10; i++) expect((await resolveFor(`s-${i}`)).version).toBe(1);
    const ended = await resolveAs(runtimeKey, `name=${name}&environment=${env}&include=experiment`, {
      "if-none-match": splitTag,
    });
    expect([ended.status, ended.body.experimentDefinition]).toEqual([200, undefined]);
    // Version 2 is rolled back here now: a new rollout of it needs a person to confirm it.
    const again = await call("POST", path, { body: { environment: env, version: 2 } });
    expect([again.status, errorCode(again), again.body.error.details.rule]).toEqual([409, "plan_unmet", "rolledBack"]);
  });

  it("completes a rollout that does no harm: the version becomes the deployment", async () => {
    const started = await call("POST", path, {
      body: {
        environment: env,
        version: 3,
        steps: [{ percent: 50, minMinutes: 0, minSubjects: 20 }, { percent: 100 }],
        guardrails: ["latency_ms"],
        minSamplePerArm: 20,
      },
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.rollout.id as string;
    await traffic("good", 120, (_v, i) => 200 + (i % 10));
    await runCron("rollouts");
    expect(await get(id)).toMatchObject({ status: "completed", percent: 100 });
    expect((await resolveFor()).version).toBe(3);
    expect(errorCode(await call("POST", `/api/v1/rollouts/${id}/advance`, { body: { reason: "more" } }))).toBe(
      "conflict",
    );
    const list = await call("GET", `${path}?environment=${env}`);
    expect(list.body.rollouts.map((r: { status: string }) => r.status)).toEqual(["completed", "rolled_back"]);
    const log = await call("GET", `/api/v1/prompts/${name}/deployments?environment=${env}`);
    expect(log.status).toBe(200);
    expect(JSON.stringify(log.body)).toContain("Completed guarded rollout");
  });
});
