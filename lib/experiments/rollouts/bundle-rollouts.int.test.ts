// A bundle release as a guarded rollout (docs/decisions/bundles.md): every member it changes ramps with one seed and
// one share, so a subject gets all the new versions or none, through the bundle's resolve and each prompt's;
// the members pause, advance and roll back as one, any member's regression rolls all back, the last step is
// one bundle release, and a person's deployment of one member stops them all.
import { describe, expect, it } from "vitest";
import * as fixtures from "../../../test/domain-fixtures";
import {
  bundleSides,
  f,
  mulberry,
  servedPrompt,
  t,
  withExperimentsDatabase,
  runningExperiment,
} from "../../../test/experiments-fixture";
import { ingestEvents } from "../../ingest/ingest";
import { bundleReleasesIn, createBundle, getBundleRow, releaseBundle } from "../../release/bundles/bundles";
import { getEnvironmentRow, updateEnvironment } from "../../release/environments";
import { promoteVersion } from "../../release/promote";
import { resolveBundle } from "../../runtime/bundle-resolve";
import { createBundleRollout, listBundleRollouts } from "./bundle-rollouts";
import { actOnRollout } from "./rollout-control";
import { tickRollouts } from "./rollout-job";
import { getRollout } from "./rollout-reads";
import { stopExperiment } from "../stop";
import { createPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { getExperiment } from "../store";
import { quickSteps } from "../../../test/rollout-steps";

withExperimentsDatabase("bundle-rollouts");
const noEvents = { publish: async () => {} };
const subjects = Array.from({ length: 1000 }, (_, i) => `s-${i}`);

async function crew(name: string) {
  for (const m of ["a", "b", "c"]) await servedPrompt(`${name}/${m}`, 2);
  await createBundle(f.ctx(f.editor), { name, prompts: [`${name}/a`, `${name}/b`, `${name}/c`] });
  return { [`${name}/a`]: 2, [`${name}/b`]: 2, [`${name}/c`]: 1 };
}

/**
 * Each subject's versions of the bundle's members as each prompt's resolve answers them (the cached entries'
 * assignment), checked against the bundle's own resolve for a sample of subjects.
 */
const sides = (name: string) => bundleSides(name, [`${name}/a`, `${name}/b`, `${name}/c`], subjects, 40);

/** Harmless latency events on `name`/a and /b (the members a rollout changes) for the first n subjects. */
async function harmless(name: string, n: number, tag: string) {
  const now = await sides(name);
  const rnd = mulberry(n);
  const events = ["a", "b"].flatMap((m, k) =>
    subjects.slice(0, n).flatMap((subject, i) => {
      const common = { prompt: `${name}/${m}`, version: now.get(subject)![k]!, subject, environment: "staging" };
      return [
        { id: `${tag}-${m}-x-${i}`, type: "exposure", ...common },
        { id: `${tag}-${m}-g-${i}`, type: "generation", ...common, latencyMs: 200 + rnd() * 20 },
      ];
    }),
  );
  await ingestEvents(t.db, f.projectId, { events });
}
// Each guardrail with data needs this many subjects per arm before a step (the default is 200).
const few = { guardrails: ["latency_ms"], minSamplePerArm: 5 };
/** An approver's rollout of the bundle's `versions` in staging. */
const startRollout = (name: string, versions: Record<string, number>, options: Record<string, unknown> = {}) =>
  createBundleRollout(f.ctx(f.approver), name, { environment: "staging", versions, ...options });

describe("a bundle's guarded rollout", () => {
  it("ramps every changed member on one side per subject, moves as one and completes as one bundle release", async () => {
    const versions = await crew("crew");
    const r = await startRollout("crew", versions, { steps: quickSteps, ...few });
    expect(r).toMatchObject({ bundle: "crew", status: "running", percent: 10, step: 0 });
    expect(r.members.map((m) => [m.prompt, m.version, m.liveVersion])).toEqual([
      ["crew/a", 2, 1],
      ["crew/b", 2, 1],
    ]);
    const seen: string[] = [];
    const one = await resolveBundle(t.db, f.projectId, "crew", "staging", {
      subject: "s-1",
      exposed: (e, s) => seen.push(`${e.id}:${s}`),
    });
    expect(new Set(seen)).toEqual(new Set(r.members.map((m) => `${m.rollout}:s-1`)));
    expect(one.rollout).toMatchObject({ id: r.id });
    // One side per subject, the same as each prompt's own resolve, about 10 % on the new side.
    const first = await sides("crew");
    for (const [, [a, b, c]] of first) expect([a === b, c]).toEqual([true, 1]);
    const onNew = subjects.filter((s) => first.get(s)![0] === 2);
    expect(onNew.length / subjects.length).toBeGreaterThan(0.06);
    expect(onNew.length / subjects.length).toBeLessThan(0.14);
    // A move on one member is a move of the group.
    await actOnRollout(f.ctx(f.approver), r.members[1]!.rollout, "pause", { reason: "checking a ticket" });
    expect((await getRollout(t.db, f.projectId, r.members[0]!.rollout)).status).toBe("paused");
    await actOnRollout(f.ctx(f.approver), r.members[0]!.rollout, "resume", { reason: "fine" });
    // Nothing read yet: the job waits, and says so.
    const waiting = await tickRollouts(t.db, noEvents);
    expect(waiting.find((x) => r.members.some((m) => m.rollout === x.rolloutId))).toMatchObject({
      action: "wait",
      reason: expect.stringMatching(
        /^crew\/[ab]: waiting for data: no guardrail has a value on either version yet \(latency_ms\)$/,
      ),
    });
    await harmless("crew", 240, "crew");
    expect((await tickRollouts(t.db, noEvents)).filter((x) => x.action === "advance")).toHaveLength(1);
    const second = await sides("crew");
    expect(onNew.every((s) => second.get(s)![0] === 2 && second.get(s)![1] === 2)).toBe(true);
    for (const [, [a, b]] of second) expect(a).toBe(b);
    const [listed] = await listBundleRollouts(t.db, f.projectId, "crew", "staging");
    expect(listed).toMatchObject({ id: r.id, percent: 50, step: 1 });
    expect(listed!.decisions.map((d) => d.action)).toEqual(["start", "pause", "resume", "advance"]);
    // The last step releases the bundle once, with every member's version.
    expect((await tickRollouts(t.db, noEvents)).filter((x) => x.action === "complete")).toHaveLength(1);
    const bundle = await getBundleRow(t.db, f.projectId, "crew");
    const env = await getEnvironmentRow(t.db, f.projectId, "staging");
    const releases = await bundleReleasesIn(t.db, bundle.id, env.id);
    expect(releases).toHaveLength(1);
    expect(releases[0]!.versions).toEqual(versions);
    const done = await resolveBundle(t.db, f.projectId, "crew", "staging", { subject: "s-2" });
    expect(Object.values(done.prompts).map((p) => p.version)).toEqual([2, 2, 1]);
    expect(done.rollout).toBeNull();
    const [ended] = await listBundleRollouts(t.db, f.projectId, "crew");
    expect(ended).toMatchObject({ status: "completed", percent: 100 });
  });

  it("rolls every member back when one member's guardrail regresses", async () => {
    const versions = await crew("bad");
    const r = await startRollout("bad", versions, {
      steps: [{ percent: 50, minMinutes: 0, minSubjects: 10_000 }, { percent: 100 }],
      guardrails: ["latency_ms"],
    });
    const rnd = mulberry(7);
    const now = await sides("bad");
    const events = subjects.slice(0, 400).flatMap((subject, i) => {
      const v = now.get(subject)![1]!;
      const common = { prompt: "bad/b", version: v, subject, environment: "staging" };
      return [
        { id: `bx-${i}`, type: "exposure", ...common },
        { id: `bg-${i}`, type: "generation", ...common, latencyMs: (v === 2 ? 300 : 200) + rnd() * 20 },
      ];
    });
    await ingestEvents(t.db, f.projectId, { events });
    const ticks = await tickRollouts(t.db, noEvents);
    expect(ticks.find((x) => x.action === "rollback")?.reason).toMatch(/^bad\/b: latency_ms/);
    for (const m of r.members) expect((await getRollout(t.db, f.projectId, m.rollout)).status).toBe("rolled_back");
    const after = await resolveBundle(t.db, f.projectId, "bad", "staging", { subject: "s-3" });
    expect(Object.values(after.prompts).map((p) => p.version)).toEqual([1, 1, 1]);
  });

  it("starts only with every changed member's plan met, alone on each member, and something to change", async () => {
    const versions = await crew("gate");
    await updateEnvironment(f.ctx(f.admin), "staging", { requiresReview: true });
    try {
      const refused = await fixtures.failure(startRollout("gate", versions));
      expect(refused.code).toBe("plan_unmet");
      expect(refused.message).toMatch(/^A rollout starts only when the release plan is met\. Bundle gate/);
      expect((refused.details!.plans as { prompt: string }[]).map((p) => p.prompt)).toEqual(["gate/a", "gate/b"]);
    } finally {
      await updateEnvironment(f.ctx(f.admin), "staging", { requiresReview: false });
    }
    const same = { "gate/a": 1, "gate/b": 1, "gate/c": 1 };
    const nothing = await fixtures.failure(startRollout("gate", same));
    expect([nothing.code, nothing.message]).toEqual([
      "conflict",
      "staging serves every version of bundle gate already.",
    ]);
    const partial = await fixtures.failure(startRollout("gate", { "gate/a": 2 }));
    expect([partial.code, partial.details?.field]).toEqual(["invalid_input", "versions"]);
    await runningExperiment("gate/b");
    const beside = await fixtures.failure(startRollout("gate", versions));
    expect(beside.code).toBe("conflict");
    expect(await listBundleRollouts(t.db, f.projectId, "gate")).toEqual([]);
  });

  it("ends as a whole: a person's deployment of one member stops them all, and one member never ships alone", async () => {
    const versions = await crew("solo");
    const r = await startRollout("solo", versions, { steps: quickSteps });
    const shipOne = await fixtures.failure(
      // As online evaluation would (the experiments' endpoints refuse any rollout): one member never ships alone.
      stopExperiment(
        f.ctx(f.approver),
        r.members[0]!.rollout,
        { decision: { ship: "new" }, reason: "just a" },
        { rollout: true },
      ),
    );
    expect([shipOne.code, shipOne.message]).toEqual([
      "conflict",
      "This rollout is part of bundle solo's rollout: advance the bundle's rollout to complete every member at once.",
    ]);
    await promoteVersion(f.ctx(f.approver), "solo/a", { environment: "staging", version: 2 });
    for (const m of r.members) expect((await getRollout(t.db, f.projectId, m.rollout)).status).toBe("stopped");
    const after = await resolveBundle(t.db, f.projectId, "solo", "staging", { subject: "s-4" });
    expect(Object.values(after.prompts).map((p) => p.version)).toEqual([2, 1, 1]);
    expect(after.rollout).toBeNull();
  });

  it("is how a bundle reaches an environment whose every release is a guarded rollout", async () => {
    const versions = await crew("ruled");
    await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: { steps: quickSteps } });
    try {
      const refused = await fixtures.failure(
        releaseBundle(f.ctx(f.approver), "ruled", { environment: "staging", versions }),
      );
      expect([refused.code, refused.details?.rule]).toEqual(["conflict", "guardedRollout"]);
      const r = await startRollout("ruled", versions, few);
      expect(r.steps.map((s) => s.percent)).toEqual([10, 50, 100]);
      await harmless("ruled", 240, "ruled");
      for (let i = 0; i < 2; i++) await tickRollouts(t.db, noEvents);
      expect((await listBundleRollouts(t.db, f.projectId, "ruled"))[0]).toMatchObject({ status: "completed" });
      const served = await resolveBundle(t.db, f.projectId, "ruled", "staging");
      expect(Object.values(served.prompts).map((p) => p.version)).toEqual([2, 2, 1]);
    } finally {
      await updateEnvironment(f.ctx(f.admin), "staging", { guardedRollout: null });
    }
  });

  it("ready to complete under an experiment on a prompt that includes a member, holds; a person completes it", async () => {
    const versions = await crew("host");
    await createPrompt(f.ctx(f.editor), { name: "host/page", type: "text", template: "Page. {{> host/a}}" });
    await createVersion(f.ctx(f.editor), "host/page", { template: "Page, shorter. {{> host/a}}" });
    await promoteVersion(f.ctx(f.approver), "host/page", { environment: "staging", version: 1 });
    const steps = [quickSteps[1]!, quickSteps[2]!];
    const r = await startRollout("host", versions, { steps, ...few });
    const page = await runningExperiment("host/page", { name: "Shorter page" });
    await harmless("host", 240, "host");
    const held = (await tickRollouts(t.db, noEvents)).find((x) => r.members.some((m) => m.rollout === x.rolloutId));
    expect(held).toMatchObject({ action: "wait" });
    expect(held!.reason).toContain("completing changes what experiment “Shorter page” on host/page serves");
    expect((await getRollout(t.db, f.projectId, r.members[0]!.rollout)).status).toBe("running");
    const advance = { reason: "members held" };
    const asked = await fixtures.failure(actOnRollout(f.ctx(f.approver), r.members[0]!.rollout, "advance", advance));
    expect(asked.code).toBe("experiment_running");
    await actOnRollout(f.ctx(f.approver), r.members[0]!.rollout, "advance", { ...advance, experimentAction: "stop" });
    expect((await getRollout(t.db, f.projectId, r.members[1]!.rollout)).status).toBe("completed");
    expect((await getExperiment(t.db, f.projectId, page.id)).status).toBe("stopped");
  });
});
