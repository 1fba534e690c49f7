// Decisions read what arrived, and say what they read (docs/decisions/rollout-decisions.md). The demo's case: a step of
// 0 minutes and 20 subjects, the new version's events not in yet; the job waits ("waiting for data", then "too few
// subjects to tell") and keeps that look on the rollout; once the events are accepted the next look counts every one of
// them, and the step it takes keeps the subjects and events per arm and guardrail. A guardrail whose interval lies
// wholly beyond the margin rolls back at the first step, before its minutes.
import { describe, expect, it } from "vitest";
import { f, mulberry, servedPrompt, t, withExperimentsDatabase } from "../../../test/experiments-fixture";
import { ingestEvents } from "../../ingest/ingest";
import { chooseArm } from "../../runtime/experiment-arms";
import { loadResolved } from "../../runtime/load";
import { actOnRollout } from "./rollout-control";
import { tickRollouts } from "./rollout-job";
import { getRollout } from "./rollout-reads";
import { startRollout } from "./rollouts";
import { step } from "../../../test/rollout-steps";

withExperimentsDatabase("rollout-decisions");
const noEvents = { publish: async () => {} };

/** Subjects resolve now; `send` picks which of them report what (exposures always, as the server records them). */
async function traffic(
  prompt: string,
  tag: string,
  n: number,
  send: (arm: string, i: number) => { latencyMs: number; events: number } | null,
) {
  const entry = await loadResolved(t.db, f.projectId, prompt, "staging");
  const sent = { live: { subjects: 0, events: 0 }, new: { subjects: 0, events: 0 } };
  const events = Array.from({ length: n }, (_, i) => {
    const subject = `${tag}-${i}`;
    const c = chooseArm(entry, subject);
    if (c === "sticky" || !c.experiment) throw new Error("a rollout assigns every subject");
    const arm = c.experiment.variant as "live" | "new";
    const common = { prompt, version: c.arm.version, subject, environment: "staging" };
    const out: Record<string, unknown>[] = [{ id: `${tag}-x-${i}`, type: "exposure", ...common }];
    const s = send(arm, i);
    if (s) {
      sent[arm].subjects++;
      for (let k = 0; k < s.events; k++) {
        out.push({ id: `${tag}-g-${i}-${k}`, type: "generation", ...common, latencyMs: s.latencyMs + k });
        sent[arm].events++;
      }
    }
    return out;
  }).flat();
  for (let i = 0; i < events.length; i += 1000)
    await ingestEvents(t.db, f.projectId, { events: events.slice(i, i + 1000) });
  return sent;
}

const tickOf = async (id: string) => (await tickRollouts(t.db, noEvents)).find((x) => x.rolloutId === id);

describe("a rollout's decisions read what arrived, and say what they read", () => {
  it("waits for the new version's events, then counts every one accepted before it decides", async () => {
    await servedPrompt("dr-wait", 2);
    const r = await startRollout(f.ctx(f.approver), "dr-wait", {
      environment: "staging",
      version: 2,
      steps: [step(20, 20), step(50, 20), step(100)],
      guardrails: ["latency_ms", "thumbs"],
      minSamplePerArm: 30,
    });
    expect(r.minSamplePerArm).toBe(30);

    // Subjects arrive (exposures), nothing else yet: no guardrail has data, and the job says it waits for data.
    await traffic("dr-wait", "a", 300, () => null);
    expect(await tickOf(r.id)).toMatchObject({
      action: "wait",
      reason: "waiting for data: no guardrail has a value on either version yet (latency_ms, thumbs)",
    });
    let read = await getRollout(t.db, f.projectId, r.id);
    expect(read.lastCheck).toMatchObject({ reason: expect.stringMatching(/^waiting for data/) });
    expect(read.lastCheck!.read.subjects.new).toBeGreaterThanOrEqual(20);

    // The live version's events arrive, the new one's do not (the demo's 24-hour latencies were never counted).
    const rnd = mulberry(5);
    const live = await traffic("dr-wait", "b", 300, (arm) =>
      arm === "live" ? { latencyMs: 800 + rnd() * 50, events: 2 } : null,
    );
    const waiting = await tickOf(r.id);
    expect(waiting?.action).toBe("wait");
    expect(waiting?.reason).toBe(
      `too few subjects to tell: latency_ms has 0 of the 30 subjects per arm a step needs on the new version ` +
        `(latency_ms: ${live.live.subjects} subjects (${live.live.events} events) on the live version, 0 (0) on the new one)`,
    );
    read = await getRollout(t.db, f.projectId, r.id);
    expect(read.status).toBe("running");
    expect(read.step).toBe(0);
    const seen = read.lastCheck!.guardrails.find((g) => g.metric === "latency_ms")!;
    expect(seen.arms).toEqual({ live: live.live, new: { subjects: 0, events: 0 } });
    expect(read.current!.guardrails.find((g) => g.metric === "latency_ms")!.arms).toEqual(seen.arms);

    // Then the new version's arrive too, accepted (202) before the next look: it counts every one of them.
    const both = await traffic("dr-wait", "c", 400, () => ({ latencyMs: 800 + rnd() * 50, events: 3 }));
    const moved = await tickOf(r.id);
    expect(moved?.action).toBe("advance");
    expect(moved?.reason).toMatch(/not watched, no data on either version: thumbs$/);
    read = await getRollout(t.db, f.projectId, r.id);
    expect([read.step, read.percent, read.lastCheck]).toEqual([1, 50, null]);
    const decision = read.decisions.at(-1)!;
    expect(decision).toMatchObject({ action: "advance", by: "rollouts", automatic: true });
    const latency = decision.guardrails.find((g) => g.metric === "latency_ms")!;
    expect(latency.arms).toEqual({
      live: { subjects: live.live.subjects + both.live.subjects, events: live.live.events + both.live.events },
      new: both.new,
    });
    expect(decision.guardrails.find((g) => g.metric === "thumbs")!.arms).toEqual({
      live: { subjects: 0, events: 0 },
      new: { subjects: 0, events: 0 },
    });
    expect(decision.read).toMatchObject({ minSamplePerArm: 30 });
    expect(decision.read!.subjects.new).toBeGreaterThanOrEqual(both.new.subjects);
    expect(Date.parse(decision.read!.at)).toBeLessThanOrEqual(Date.parse(decision.at) + 1000);

    // A person's move keeps what was read at that moment too.
    await actOnRollout(f.ctx(f.approver), r.id, "advance", { reason: "support read the answers" });
    const done = await getRollout(t.db, f.projectId, r.id);
    expect(done.status).toBe("completed");
    const last = done.decisions.at(-1)!;
    expect([last.action, last.automatic]).toEqual(["complete", false]);
    expect(last.guardrails.find((g) => g.metric === "latency_ms")!.arms).toEqual(latency.arms);
  });

  it("rolls back at the first step, before its minutes, when an interval lies wholly beyond the margin", async () => {
    await servedPrompt("dr-margin", 2);
    const r = await startRollout(f.ctx(f.approver), "dr-margin", {
      environment: "staging",
      version: 2,
      steps: [step(50, 10_000, 60), step(100)],
      guardrails: ["latency_ms"],
      margin: 0.1,
    });
    const rnd = mulberry(9);
    await traffic("dr-margin", "m", 300, (arm) => ({
      latencyMs: (arm === "new" ? 1500 : 800) + rnd() * 40,
      events: 1,
    }));
    const tick = await tickOf(r.id);
    expect(tick?.action).toBe("rollback");
    expect(tick?.reason).toMatch(
      /^latency_ms is worse by more than the margin of 10\.0% on the new version at step 1 of 2 \(50 %\): \d+\.\d% higher on the new version \(likely between \d+\.\d% and \d+\.\d% higher\)$/,
    );
    const back = await getRollout(t.db, f.projectId, r.id);
    expect(back.status).toBe("rolled_back");
    const d = back.decisions.at(-1)!;
    expect(d.read!.subjects.live + d.read!.subjects.new).toBe(300);
    expect(d.guardrails[0]!.arms!.live.subjects + d.guardrails[0]!.arms!.new.subjects).toBe(300);
  });
});
