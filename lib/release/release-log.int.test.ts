// The release log shows each guarded rollout's events among the deployments, by time
// (docs/decisions/guarded-rollouts.md): its start, each step, a person's pause and resume with the reason, its
// completion (and the deployment it made), a rollback by the guardrails naming the metric or by a person, and a stop by
// a release meanwhile. The route's read model keeps `data` the deployments alone and adds the log as `entries`.
import { describe, expect, it } from "vitest";
import { sleep } from "../../test/domain-fixtures";
import { f, mulberry, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";
import { ingestEvents } from "../ingest/ingest";
import { actOnRollout } from "../experiments/rollouts/rollout-control";
import { tickRollouts } from "../experiments/rollouts/rollout-job";
import { startRollout } from "../experiments/rollouts/rollouts";
import { getPrompt } from "../registry/prompts";
import { chooseArm } from "../runtime/experiment-arms";
import { loadResolved } from "../runtime/load";
import { deploymentsResponse } from "./dto";
import { promoteVersion } from "./promote";
import { listPromptDeployments } from "../views/prompt-reads";
import { releaseLog, type ReleaseLogEntry } from "./release-log";

withExperimentsDatabase("release-log");
const noEvents = { publish: async () => {} };
const quick = [
  { percent: 10, minMinutes: 0, minSubjects: 0 },
  { percent: 50, minMinutes: 0, minSubjects: 0 },
  { percent: 100, minMinutes: 0, minSubjects: 0 },
];
const person = () => f.ctx(f.approver);
const start = (prompt: string, version: number, steps = quick) =>
  startRollout(person(), prompt, { environment: "staging", version, steps, guardrails: ["latency_ms"] });
const log = async (prompt: string, opts: { environment?: string; limit?: number } = {}) =>
  releaseLog(t.db, f.projectId, await getPrompt(t.db, f.projectId, prompt), opts);
/** Each entry in a word or two: "deploy promote v2", "rollout step 10→50". */
const words = (entries: ReleaseLogEntry[]) =>
  entries.map((e) =>
    e.kind === "deployment" ? `deploy ${e.action} v${e.version}` : `rollout ${e.event} ${e.fromPercent}→${e.toPercent}`,
  );

/** Exposures and generations for `n` subjects on the version each is served, latency by version. */
async function traffic(prompt: string, n: number, latency: (version: number, r: () => number) => number) {
  const entry = await loadResolved(t.db, f.projectId, prompt, "staging");
  const r = mulberry(n);
  const events = Array.from({ length: n }, (_, i) => {
    const c = chooseArm(entry, `s-${i}`);
    if (c === "sticky") throw new Error("a rollout is never sticky");
    const base = { prompt, version: c.arm.version, subject: `s-${i}`, environment: "staging" };
    return [
      { id: `${prompt}-x-${i}`, type: "exposure", ...base },
      { id: `${prompt}-g-${i}`, type: "generation", ...base, latencyMs: latency(c.arm.version, r) },
    ];
  }).flat();
  await ingestEvents(t.db, f.projectId, { events });
}

describe("the release log", () => {
  it("interleaves a rollout that starts, steps, pauses, resumes and completes with the deployments", async () => {
    await servedPrompt("rl-main", 2);
    await sleep(3);
    const r = await start("rl-main", 2);
    await sleep(3);
    await actOnRollout(person(), r.id, "advance", { reason: "fine at 10 %" });
    await sleep(3);
    await actOnRollout(person(), r.id, "pause", { reason: "waiting for support" });
    await sleep(3);
    await actOnRollout(person(), r.id, "resume", { reason: "support is ready" });
    await sleep(3);
    await actOnRollout(person(), r.id, "advance", { reason: "fine at 50 %" });

    const entries = await log("rl-main");
    expect(words(entries)).toEqual([
      "rollout completed 50→100",
      "deploy promote v2",
      "rollout resumed 50→50",
      "rollout paused 50→50",
      "rollout step 10→50",
      "rollout started 0→10",
      "deploy promote v1",
    ]);
    const rollout = entries.filter((e) => e.kind === "rollout");
    expect(rollout.every((e) => e.rollout === r.id && e.version === 2 && e.environment === "staging")).toBe(true);
    expect(rollout.map((e) => [e.actor, e.automatic])).toEqual(Array(5).fill([f.approver.label, false]));
    expect(rollout.find((e) => e.event === "paused")?.reason).toBe("waiting for support");
    expect(rollout.find((e) => e.event === "resumed")?.reason).toBe("support is ready");
    expect(entries[1]).toMatchObject({ kind: "deployment", reason: expect.stringContaining(r.id) });
    const times = entries.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // Limited in SQL and by the merge: the newest three.
    expect(words(await log("rl-main", { limit: 3 }))).toEqual(words(entries).slice(0, 3));
    expect(await log("rl-main", { environment: "production" })).toEqual([]);

    // The route's answer: `data` as before (the deployments alone), `entries` the log; its schema holds.
    const answer = await listPromptDeployments(t.db, f.projectId, "rl-main", { environment: "staging", limit: 200 });
    if (!answer.data || !answer.entries) throw new Error("a history has data and entries");
    expect(answer.data.map((d) => [d.version, d.action])).toEqual([
      [2, "promote"],
      [1, "promote"],
    ]);
    expect(words(answer.entries)).toEqual(words(entries));
    expect(deploymentsResponse.safeParse(JSON.parse(JSON.stringify(answer))).success).toBe(true);
  });

  it("shows a rollback by the guardrails with its metric, a person's, and a stop by a release", async () => {
    await servedPrompt("rl-bad", 2);
    const bad = await start("rl-bad", 2, [{ percent: 50, minMinutes: 0, minSubjects: 10_000 }, ...quick.slice(2)]);
    await traffic("rl-bad", 400, (v, rnd) => (v === 2 ? 300 : 200) + rnd() * 20);
    expect((await tickRollouts(t.db, noEvents)).find((x) => x.rolloutId === bad.id)).toMatchObject({
      action: "rollback",
    });
    const [guarded] = await log("rl-bad");
    expect(guarded).toMatchObject({
      kind: "rollout",
      event: "rolled_back",
      fromPercent: 50,
      toPercent: 0,
      actor: "rollouts",
      automatic: true,
      metric: "latency_ms",
    });

    await servedPrompt("rl-undo", 3);
    const undone = await start("rl-undo", 2);
    await sleep(3);
    await actOnRollout(person(), undone.id, "rollback", { reason: "the copy is wrong" });
    const [byPerson] = await log("rl-undo");
    expect(byPerson).toMatchObject({
      event: "rolled_back",
      fromPercent: 10,
      toPercent: 0,
      actor: f.approver.label,
      automatic: false,
      metric: null,
      reason: "the copy is wrong",
    });

    // A person's release meanwhile stops the next one: the log says so, above the deployment that did.
    const next = await start("rl-undo", 3);
    await sleep(3);
    await promoteVersion(person(), "rl-undo", { environment: "staging", version: 3, reason: "at once after all" });
    const [stopped, deployed] = await log("rl-undo");
    expect(stopped).toMatchObject({
      kind: "rollout",
      rollout: next.id,
      event: "stopped",
      fromPercent: 10,
      toPercent: 0,
    });
    expect(stopped!.kind === "rollout" && stopped!.reason).toMatch(/^Stopped: staging now serves version 3/);
    expect(deployed).toMatchObject({ kind: "deployment", version: 3, reason: "at once after all" });
    expect(words(await log("rl-undo")).slice(2)).toEqual([
      "rollout started 0→10",
      "rollout rolled_back 10→0",
      "rollout started 0→10",
      "deploy promote v1",
    ]);
  });
});
