// Online evaluation against a real database (PGlite or PostgreSQL) and the local model server:
// rules refused with nothing written, deterministic sampling inside event ingest, scoring with
// heuristics and an LLM judge (retries, failures), and the closed loop — alert, automatic rollback
// through the release log, no flapping, the cooldown, a person's override, nothing known-good.
import { noEvents } from "../../release/events";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { alerts, onlineSamples } from "../../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import * as fixtures from "../../../test/domain-fixtures";
import { failure, liveVersion, refusal, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { startLlmServer, type LlmServer } from "../../../test/llm-server";
import { randomBytes } from "node:crypto";
import { ingestEvents } from "../../experiments/ingest";
import { createConnection } from "../../llm/connections";
import { createModelCaller } from "../../llm/caller";
import { getPrompt } from "../../registry/prompts";
import { deploymentHistory } from "../../release/deployments";
import { promote } from "../../release/promote";
import { createScorerModels } from "../scorers";
import { acknowledgeAlert, listAlerts } from "./alerts";
import { runRegressionChecks, wasAutoRolledBack, type LoopDecision } from "./loop";
import { deleteOnlineRule, getOnlineRule, putOnlineRule, type OnlineEvalInput } from "./rules";
import { isSampled } from "./sampling";
import { listSamples, scorePendingSamples } from "./scoring";
import { sampleCounts, scoreSeries } from "./series";

let t: TestDatabase;
let f: Fixture;
let server: LlmServer;

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "online");
  server = await startLlmServer();
});
afterAll(async () => {
  await server.stop();
  await t.drop();
});

const count = async (table: string, where = sql`true`) =>
  (
    await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`)
  )[0]!.n;

// A rule that samples everything and scores "does the reply thank the customer", with small windows.
const rule = (extra: Partial<OnlineEvalInput> = {}): OnlineEvalInput => ({
  environment: "staging",
  sampleRate: 1,
  scorers: [{ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }],
  signals: [],
  window: 200,
  minSamples: 20,
  alert: { maxDrop: 0.1 },
  rollback: { enabled: true, maxDrop: 0.3, cooldownMinutes: 60 },
  ...extra,
});

let seq = 0;
/** n generation events for a version: the first `good` thank the customer, the rest do not. */
async function generations(prompt: string, version: number, n: number, good: number, environment = "staging") {
  const events = Array.from({ length: n }, (_, i) => ({
    id: `gen-${prompt}-${++seq}`,
    type: "generation",
    prompt,
    version,
    environment,
    subject: `user-${seq}`,
    latencyMs: 100,
    input: { customer: "Ana" },
    output: i < good ? "Thank you for waiting, Ana. Your refund is on its way." : "Your refund is on its way.",
  }));
  const r = await ingestEvents(t.db, f.projectId, { events });
  expect(r.accepted).toBe(n);
}

const decisionFor = (ds: LoopDecision[], prompt: string) => ds.find((d) => d.prompt === prompt)!;

async function promptLiveIn(name: string, versions: number, live: number) {
  await fixtures.promptWith(t.db, f, name, versions);
  await promote(f.ctx(f.approver), name, { environment: "staging", version: live });
}

describe("rules", () => {
  beforeAll(async () => {
    await fixtures.promptWith(t.db, f, "ol-rules", 1);
  });

  it.each([
    [{ sampleRate: 1.5 }, "sampleRate", /sampleRate must be between 0 and 1/],
    [{ window: 5 }, "window", /window must be at least 10/],
    [{ minSamples: 500, window: 100 }, "minSamples", /minSamples \(500\) cannot exceed window \(100\)/],
    [{ alpha: 1 }, "alpha", /alpha must be between 0 and 1/],
    [{ signals: ["clicks"] }, "signals.0", /signals must be among feedback, outcome/],
    [{ scorers: [], signals: [] }, "scorers", /at least one scorer or one signal/],
    [{ scorers: [{ type: "telepathy" }] }, "scorers.0.type", /type must be one of/],
    [{ scorers: [{ type: "length" }] }, "scorers.0.min", /min or max must be set/],
    [{ scorers: [{ type: "exact_match" }] }, "scorers.0", /production outputs have no expected output/],
    [
      { alert: { maxDrop: 0.5 }, rollback: { enabled: true, maxDrop: 0.2, cooldownMinutes: 60 } },
      "alert.maxDrop",
      /should not exceed rollback.maxDrop/,
    ],
    [{ rollback: { enabled: "yes" } }, "rollback.enabled", /rollback.enabled must be true or false/],
    [{ environment: "qa" }, "environment", /No environment named qa/],
  ])("%j → 422 naming %s, nothing written", async (patch, field, message) => {
    const before = await count("online_eval_rules");
    const err = await failure(putOnlineRule(f.ctx(f.approver), "ol-rules", { ...rule(), ...patch } as OnlineEvalInput));
    expect([err.code, err.details?.field]).toEqual(["unprocessable", field]);
    expect(err.message).toMatch(message);
    expect(await count("online_eval_rules")).toBe(before);
  });

  it("refuses a judge naming another project's connection (or none of this project's), naming the field", async () => {
    const other = await seedProject(t.db, `online-other-${++seq}`);
    const theirs = await createConnection(
      t.db,
      other.admin,
      other.projectId,
      { name: "Their key", provider: "openai", apiKey: "sk-theirs-0001" },
      randomBytes(32),
    );
    for (const connection of [theirs.id, "Their key", "no-such-connection"]) {
      const before = await count("online_eval_rules");
      const judge = { type: "llm_judge", rubric: "Is it polite?", model: "m", connection };
      const err = await failure(putOnlineRule(f.ctx(f.approver), "ol-rules", rule({ scorers: [judge] })));
      expect([err.code, err.details?.field]).toEqual(["unprocessable", "scorers.0.connection"]);
      expect(err.message).toContain(`No model connection ${connection} in this project`);
      expect(await count("online_eval_rules")).toBe(before);
    }
  });

  it("creates, replaces (one rule per environment), reads and deletes; editors may not", async () => {
    expect((await failure(putOnlineRule(f.ctx(f.editor), "ol-rules", rule()))).code).toBe("forbidden");
    const first = await putOnlineRule(f.ctx(f.approver), "ol-rules", rule({ sampleRate: 0.2 }));
    const second = await putOnlineRule(f.ctx(f.approver), "ol-rules", rule({ sampleRate: 0.3 }));
    expect(second.id).toBe(first.id);
    const got = await getOnlineRule(t.db, f.projectId, "ol-rules", "staging");
    expect(got).toMatchObject({
      prompt: "ol-rules",
      environment: "staging",
      sampleRate: 0.3,
      window: 200,
      minSamples: 20,
      rollback: { enabled: true, maxDrop: 0.3, cooldownMinutes: 60 },
      lastCheck: null,
      versions: [],
    });
    expect((got.scorers as { name: string; type: string }[])[0]).toMatchObject({ name: "thanks", type: "contains" });
    expect((await failure(getOnlineRule(t.db, f.projectId, "ol-rules", "production"))).message).toBe(
      "ol-rules has no online evaluation in production (it has in staging).",
    );
    await deleteOnlineRule(f.ctx(f.approver), "ol-rules", "staging");
    expect((await failure(deleteOnlineRule(f.ctx(f.approver), "ol-rules", "staging"))).code).toBe("not_found");
    expect(await count("audit_log", sql`action like 'online_eval.%'`)).toBe(3);
  });

  it("the database refuses what the API would (a check, not only zod)", async () => {
    const p = await fixtures.promptWith(t.db, f, "ol-db", 1);
    const env = (
      await queryRows<{ id: string }>(
        t.db,
        sql`select id from environments where project_id = ${f.projectId} and name = 'staging'`,
      )
    )[0]!;
    const insert = (rate: number, minSamples: number) =>
      t.db
        .execute(sql`insert into online_eval_rules (project_id, prompt_id, environment_id, sample_rate, scorers, signals, "window", min_samples, alpha, rollback)
                       values (${f.projectId}, ${p.id}, ${env.id}, ${rate}, '[]', '{}', 10, ${minSamples}, 0.05, '{}')`);
    expect(await refusal(insert(2, 5))).toMatchObject({
      sqlstate: "23514",
      message: expect.stringMatching(/online_eval_rules_sample_rate/),
    });
    expect(await refusal(insert(0.5, 50))).toMatchObject({
      sqlstate: "23514",
      message: expect.stringMatching(/online_eval_rules_samples/),
    });
  });
});

describe("sampling", () => {
  it("is decided by the event id alone, at about the rate", () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `evt-${i}`);
    const inAt = (rate: number) => ids.filter((id) => isSampled(id, rate)).length / ids.length;
    expect(inAt(0)).toBe(0);
    expect(inAt(1)).toBe(1);
    expect(inAt(0.1)).toBeCloseTo(0.1, 1);
    expect(Math.abs(inAt(0.25) - 0.25)).toBeLessThan(0.015);
    // Monotone: an event in at 10% is in at 25%.
    expect(ids.filter((id) => isSampled(id, 0.1) && !isSampled(id, 0.25))).toEqual([]);
    for (const id of ids.slice(0, 100)) expect(isSampled(id, 0.5)).toBe(isSampled(id, 0.5));
  });

  it("ingest stores exactly the sampled outputs of the rule's environment, once", async () => {
    await promptLiveIn("ol-sample", 1, 1);
    await putOnlineRule(f.ctx(f.approver), "ol-sample", rule({ sampleRate: 0.25 }));
    const events = Array.from({ length: 400 }, (_, i) => ({
      id: `s-${i}`,
      type: "generation",
      prompt: "ol-sample",
      version: 1,
      environment: i % 4 === 3 ? "production" : "staging",
      subject: `u${i}`,
      latencyMs: 5,
      output: `answer ${i}`,
    }));
    await ingestEvents(t.db, f.projectId, {
      events: [
        ...events,
        {
          id: "s-no-output",
          type: "generation",
          prompt: "ol-sample",
          version: 1,
          environment: "staging",
          subject: "u",
          latencyMs: 5,
        },
      ],
    });
    const expected = events
      .filter((e) => e.environment === "staging" && isSampled(e.id, 0.25))
      .map((e) => e.id)
      .sort();
    const stored = (
      await t.db
        .select({ id: onlineSamples.eventId })
        .from(onlineSamples)
        .where(eq(onlineSamples.eventId, sql`any(${sql.raw(`array[${events.map((e) => `'${e.id}'`).join(",")}]`)})`))
    )
      .map((r) => r.id)
      .sort();
    expect(stored).toEqual(expected);
    expect(expected.length).toBeGreaterThan(50);
    // Sent again (a client retry): acknowledged, nothing new.
    const again = await ingestEvents(t.db, f.projectId, { events });
    expect(again).toEqual({ accepted: 0, duplicates: 400 });
    expect(await count("online_samples", sql`event_id like 's-%'`)).toBe(expected.length);
  });
});

describe("scoring", () => {
  beforeEach(() => {
    server.reset();
  });

  it("heuristics score every pending sample with a reason; the job is idempotent", async () => {
    await promptLiveIn("ol-heur", 1, 1);
    await putOnlineRule(
      f.ctx(f.approver),
      "ol-heur",
      rule({
        scorers: [
          { type: "contains", name: "thanks", value: ["thank"], ignoreCase: true },
          { type: "length", max: 40 },
          { type: "safety" },
        ],
      }),
    );
    await generations("ol-heur", 1, 10, 4);
    await ingestEvents(t.db, f.projectId, {
      events: [
        {
          id: "ol-heur-refusal",
          type: "generation",
          prompt: "ol-heur",
          version: 1,
          environment: "staging",
          subject: "x",
          latencyMs: 1,
          output: "I'm sorry, but I can't help with that.",
        },
      ],
    });
    const first = await scorePendingSamples(t.db, undefined);
    expect(first).toMatchObject({ scored: expect.any(Number), failed: 0, retrying: 0, remaining: 0 });
    expect(await scorePendingSamples(t.db, undefined)).toEqual({
      scored: 0,
      failed: 0,
      retrying: 0,
      remaining: 0,
      ruleIds: [],
    });
    const r = await getOnlineRule(t.db, f.projectId, "ol-heur", "staging");
    expect(r.versions).toEqual([expect.objectContaining({ version: 1, pending: 0, scored: 11, failed: 0 })]);
    const samples = await listSamples(t.db, r.id, 1, { limit: 50 });
    const refusal = samples.find((s) => s.eventId === "ol-heur-refusal")!;
    expect(refusal.scores.find((x) => x.scorer === "safety")).toMatchObject({
      score: 0,
      passed: false,
      reason: expect.stringMatching(/refusal/),
    });
    const thanked = samples.find((s) => s.output.startsWith("Thank"))!;
    expect(thanked.scores.map((x) => x.scorer).sort()).toEqual(["length", "safety", "thanks"]);
    expect(thanked.scores.find((x) => x.scorer === "thanks")).toMatchObject({ score: 1, passed: true });
    expect(thanked.scores.find((x) => x.scorer === "length")).toMatchObject({
      score: 0,
      reason: expect.stringMatching(/40/),
    });
    // The charts' series: one bucket, the weighted score and each scorer, n = 11.
    const series = await scoreSeries(t.db, r.id);
    expect(series.find((p) => p.scorer === "thanks")).toMatchObject({ version: 1, n: 11, mean: 4 / 11 });
    expect(series.map((p) => p.scorer).sort()).toEqual(["length", "safety", "score", "thanks"]);
  });

  it("an LLM judge scores through the model connection; a failing judge is retried, then the sample fails", async () => {
    await promptLiveIn("ol-judge", 1, 1);
    await putOnlineRule(
      f.ctx(f.approver),
      "ol-judge",
      rule({
        scorers: [{ type: "llm_judge", name: "polite", model: "judge-1", rubric: "Is the reply polite and personal?" }],
      }),
    );
    server.script({
      rules: [
        { match: "Thank you for waiting", json: { reasoning: "Warm and uses the name.", score: 5 } },
        { match: "broken", fail: { status: 400, message: "context length exceeded" } },
        { json: { reasoning: "Curt.", score: 2 } },
      ],
    });
    await generations("ol-judge", 1, 4, 2);
    await ingestEvents(t.db, f.projectId, {
      events: [
        {
          id: "ol-judge-broken",
          type: "generation",
          prompt: "ol-judge",
          version: 1,
          environment: "staging",
          subject: "x",
          latencyMs: 1,
          output: "broken",
        },
      ],
    });
    const caller = createModelCaller({
      id: "default",
      name: "Local",
      provider: "openai-compatible",
      baseUrl: server.baseUrl,
      maxRetries: 0,
    });
    const models = createScorerModels(() => caller);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await scorePendingSamples(t.db, () => models));
    expect(runs[0]).toMatchObject({ scored: 4, retrying: 1, remaining: 1 });
    expect(runs[1]).toMatchObject({ scored: 0, retrying: 1, remaining: 1 });
    expect(runs[2]).toMatchObject({ scored: 0, failed: 1, remaining: 0 });
    const r = await getOnlineRule(t.db, f.projectId, "ol-judge", "staging");
    const samples = await listSamples(t.db, r.id, 1);
    const warm = samples.find((s) => s.output.startsWith("Thank"))!;
    expect(warm).toMatchObject({
      status: "scored",
      score: 1,
      scores: [{ scorer: "polite", score: 1, passed: true, reason: "judge-1 gave 5/5: Warm and uses the name." }],
    });
    expect(samples.find((s) => s.output === "broken")).toMatchObject({
      status: "failed",
      score: null,
      scores: [
        { scorer: "polite", score: null, reason: expect.stringMatching(/HTTP 400: the provider refused the request/) },
      ],
    });
    // 4 answers + 3 attempts at the broken one: nothing scored twice.
    expect(server.requests.length).toBe(7);
  });

  it("with no model connection the judge's samples fail with the reason, heuristics still score", async () => {
    await promptLiveIn("ol-nomodel", 1, 1);
    await putOnlineRule(
      f.ctx(f.approver),
      "ol-nomodel",
      rule({
        scorers: [
          { type: "llm_judge", model: "judge-1", rubric: "Polite?" },
          { type: "length", max: 1000 },
        ],
      }),
    );
    await generations("ol-nomodel", 1, 1, 1);
    for (let i = 0; i < 3; i++) await scorePendingSamples(t.db, undefined);
    const r = await getOnlineRule(t.db, f.projectId, "ol-nomodel", "staging");
    const [s] = await listSamples(t.db, r.id, 1);
    expect(s).toMatchObject({ status: "scored", score: 1 });
    expect(s!.scores.find((x) => x.scorer === "llm_judge")).toMatchObject({
      score: null,
      reason: expect.stringMatching(/model/i),
    });
  });
});

describe("the closed loop", () => {
  it("alerts past alert.maxDrop, once per version, and a person acknowledges", async () => {
    await promptLiveIn("ol-alert", 2, 1);
    await putOnlineRule(
      f.ctx(f.approver),
      "ol-alert",
      rule({ rollback: { enabled: false, maxDrop: 0.3, cooldownMinutes: 60 } }),
    );
    await generations("ol-alert", 1, 60, 54); // 90%
    await promote(f.ctx(f.approver), "ol-alert", { environment: "staging", version: 2 });
    await generations("ol-alert", 2, 60, 30); // 50%: a 40-point drop, but rollback is off
    await scorePendingSamples(t.db, undefined);
    const d = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-alert");
    expect(d).toMatchObject({ live: 2, baseline: 1, level: "alert", action: "alerted" });
    const thanks = d.metrics.find((m) => m.name === "thanks")!;
    expect(thanks).toMatchObject({ live: { n: 60, mean: 0.5 }, baseline: { n: 60, mean: 0.9 }, level: "alert" });
    expect(thanks.drop).toBeCloseTo(0.4, 10);
    expect(thanks.adjustedPValue!).toBeLessThan(0.001);
    expect(await liveVersion(t.db, f, "ol-alert", "staging")).toBe(2);
    // The next check sees the same regression: no second alert while the first is open.
    expect(decisionFor(await runRegressionChecks(t.db, noEvents), "ol-alert").action).toBe("alerted");
    const open = await listAlerts(t.db, f.projectId, { open: true, prompt: "ol-alert" });
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      kind: "regression",
      severity: "warning",
      prompt: "ol-alert",
      environment: "staging",
      link: "/online/online/ol-alert?environment=staging",
      details: { liveVersion: 2, baselineVersion: 1 },
    });
    expect(open[0]!.message).toMatch(
      /^ol-alert v2 in staging is doing worse than v1: thanks 90.0% → 50.0% \(drop 40.0%, n 60 → 60, adjusted p/,
    );
    expect((await failure(acknowledgeAlert(t.db, f.viewer, f.projectId, open[0]!.id))).code).toBe("forbidden");
    await acknowledgeAlert(t.db, f.editor, f.projectId, open[0]!.id);
    await acknowledgeAlert(t.db, f.editor, f.projectId, open[0]!.id); // twice: nothing changes
    expect(await listAlerts(t.db, f.projectId, { open: true, prompt: "ol-alert" })).toEqual([]);
    expect((await listAlerts(t.db, f.projectId, { prompt: "ol-alert" }))[0]).toMatchObject({
      acknowledgedBy: "editor",
    });
    expect(
      await count("audit_log", sql`action = 'alert.create' and project_id = ${f.projectId}`),
    ).toBeGreaterThanOrEqual(1);
  });

  it("rolls back past rollback.maxDrop through the release log, marks the version, and does not flap", async () => {
    await promptLiveIn("ol-loop", 2, 1);
    await putOnlineRule(f.ctx(f.approver), "ol-loop", rule());
    await generations("ol-loop", 1, 60, 54);
    await promote(f.ctx(f.approver), "ol-loop", { environment: "staging", version: 2 });
    await generations("ol-loop", 2, 60, 12); // 20%: a 70-point drop
    await scorePendingSamples(t.db, undefined);
    const events = fixtures.recordingSink(t.db);
    const d = decisionFor(await runRegressionChecks(t.db, events), "ol-loop");
    expect(d).toMatchObject({ live: 2, baseline: 1, level: "rollback", action: "rolled_back" });
    expect(await liveVersion(t.db, f, "ol-loop", "staging")).toBe(1);
    const [last] = (
      await deploymentHistory(t.db, f.projectId, await getPrompt(t.db, f.projectId, "ol-loop"), {
        environment: "staging",
      })
    ).map((r) => r.deployment);
    expect(last).toMatchObject({ version: 1, action: "auto_rollback", actorId: null, actorLabel: "online-evaluation" });
    expect(last!.reason).toMatch(
      /^Automatic rollback from v2 to v1: thanks 90.0% → 20.0% \(drop 70.0%, n 60 → 60, adjusted p < 0.0001\)/,
    );
    expect(events.events).toContainEqual(
      expect.objectContaining({
        prompt: "ol-loop",
        environment: "staging",
        version: 1,
        action: "auto_rollback",
        committed: true,
      }),
    );
    const promptId = (
      await queryRows<{ id: string }>(
        t.db,
        sql`select id from prompts where project_id = ${f.projectId} and name = 'ol-loop'`,
      )
    )[0]!.id;
    const envId = (
      await queryRows<{ id: string }>(
        t.db,
        sql`select id from environments where project_id = ${f.projectId} and name = 'staging'`,
      )
    )[0]!.id;
    expect(await wasAutoRolledBack(t.db, promptId, envId, 2)).toBe(true);
    expect(await wasAutoRolledBack(t.db, promptId, envId, 1)).toBe(false);
    expect((await listAlerts(t.db, f.projectId, { prompt: "ol-loop" })).map((a) => a.kind)).toEqual(["auto_rollback"]);
    expect(await count("audit_log", sql`action = 'deployment.auto_rollback' and project_id = ${f.projectId}`)).toBe(1);

    // The next runs: v1 is live and compares well with v2; nothing happens.
    for (let i = 0; i < 2; i++) {
      const again = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-loop");
      expect(again).toMatchObject({ live: 1, baseline: 2, level: "none", action: "none" });
    }
    expect(await count("deployments", sql`prompt_id = ${promptId}`)).toBe(3);
    const rule_ = await getOnlineRule(t.db, f.projectId, "ol-loop", "staging");
    expect(rule_.lastCheck).toMatchObject({ live: 1, action: "none" });

    // A person overrides: v2 goes back in. The loop alerts (critical) but leaves the person's choice alone.
    await promote(f.ctx(f.approver), "ol-loop", {
      environment: "staging",
      version: 2,
      reason: "the drop is expected: shorter replies",
    });
    const withheld = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-loop");
    expect(withheld).toMatchObject({
      live: 2,
      action: "withheld",
      reason: "v2 was rolled back automatically before and a person put it back",
    });
    expect(await liveVersion(t.db, f, "ol-loop", "staging")).toBe(2);
    expect((await listAlerts(t.db, f.projectId, { prompt: "ol-loop" }))[0]).toMatchObject({
      kind: "rollback_withheld",
      severity: "critical",
    });
  });

  it("two checks at once (the online-eval job and the auto-rollback job) roll back once and alert once", async () => {
    await promptLiveIn("ol-race", 2, 1);
    const r = await putOnlineRule(f.ctx(f.approver), "ol-race", rule());
    await generations("ol-race", 1, 40, 36);
    await promote(f.ctx(f.approver), "ol-race", { environment: "staging", version: 2 });
    await generations("ol-race", 2, 40, 4);
    await scorePendingSamples(t.db, undefined);
    const both = await Promise.all([
      runRegressionChecks(t.db, noEvents, new Date(), { ruleIds: [r.id] }),
      runRegressionChecks(t.db, noEvents, new Date(), { ruleIds: [r.id] }),
    ]);
    const actions = both.map((ds) => ds[0]!.action);
    expect(actions.filter((a) => a === "rolled_back")).toHaveLength(1);
    // The other saw v1 live already (none), or lost the race at the rollback (skipped, conditional on v2 being live).
    expect(["skipped", "none"]).toContain(actions.find((a) => a !== "rolled_back"));
    const promptId = (await getPrompt(t.db, f.projectId, "ol-race")).id;
    expect(await count("deployments", sql`prompt_id = ${promptId} and action = 'auto_rollback'`)).toBe(1);
    expect(await count("alerts", sql`rule_id = ${r.id}`)).toBe(1);
    expect(await liveVersion(t.db, f, "ol-race", "staging")).toBe(1);
  });

  it("one automatic rollback per cooldown: a second bad version within it is only alerted", async () => {
    await promptLiveIn("ol-cool", 3, 1);
    await putOnlineRule(f.ctx(f.approver), "ol-cool", rule());
    await generations("ol-cool", 1, 40, 36);
    await promote(f.ctx(f.approver), "ol-cool", { environment: "staging", version: 2 });
    await generations("ol-cool", 2, 40, 4);
    await scorePendingSamples(t.db, undefined);
    expect(decisionFor(await runRegressionChecks(t.db, noEvents), "ol-cool").action).toBe("rolled_back");
    await promote(f.ctx(f.approver), "ol-cool", { environment: "staging", version: 3 });
    await generations("ol-cool", 3, 40, 4);
    await scorePendingSamples(t.db, undefined);
    const d = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-cool");
    expect(d).toMatchObject({
      live: 3,
      baseline: 1,
      action: "withheld",
      reason: "an automatic rollback already happened in the last 60 minutes",
    });
    expect(await liveVersion(t.db, f, "ol-cool", "staging")).toBe(3);
    // After the cooldown the same check acts.
    const later = decisionFor(await runRegressionChecks(t.db, noEvents, new Date(Date.now() + 61 * 60_000)), "ol-cool");
    expect(later).toMatchObject({ action: "rolled_back" });
    expect(await liveVersion(t.db, f, "ol-cool", "staging")).toBe(1);
  });

  it("with no known-good version it alerts only; with too few samples it waits", async () => {
    await promptLiveIn("ol-first", 2, 1);
    await putOnlineRule(f.ctx(f.approver), "ol-first", rule());
    await generations("ol-first", 1, 30, 3);
    await scorePendingSamples(t.db, undefined);
    expect(decisionFor(await runRegressionChecks(t.db, noEvents), "ol-first")).toMatchObject({
      live: 1,
      baseline: null,
      action: "skipped",
      reason: "no earlier version to compare with",
    });

    await promote(f.ctx(f.approver), "ol-first", { environment: "staging", version: 2 });
    await generations("ol-first", 2, 10, 0);
    await scorePendingSamples(t.db, undefined);
    const waiting = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-first");
    expect(waiting).toMatchObject({ live: 2, baseline: 1, level: "none", action: "none" });
    expect(waiting.metrics[0]!.note).toBe("not enough samples yet (10 live, 30 before; 20 needed on each side)");
  });

  it("signals count too: thumbs from feedback events trigger the rollback without any scorer", async () => {
    await promptLiveIn("ol-thumbs", 2, 1);
    await putOnlineRule(f.ctx(f.approver), "ol-thumbs", rule({ scorers: [], signals: ["feedback"], sampleRate: 0 }));
    const thumbs = (version: number, n: number, up: number) =>
      ingestEvents(t.db, f.projectId, {
        events: Array.from({ length: n }, (_, i) => ({
          id: `fb-${version}-${++seq}`,
          type: "feedback",
          prompt: "ol-thumbs",
          version,
          environment: "staging",
          subject: `s${seq}`,
          value: i < up ? 1 : 0,
        })),
      });
    await thumbs(1, 50, 40);
    await promote(f.ctx(f.approver), "ol-thumbs", { environment: "staging", version: 2 });
    await thumbs(2, 50, 10);
    const d = decisionFor(await runRegressionChecks(t.db, noEvents), "ol-thumbs");
    expect(d).toMatchObject({
      action: "rolled_back",
      metrics: [
        expect.objectContaining({
          name: "thumbs",
          kind: "binary",
          live: { n: 50, mean: 0.2 },
          baseline: { n: 50, mean: 0.8 },
        }),
      ],
    });
    expect(await count("online_samples", sql`rule_id = ${d.ruleId}`)).toBe(0);
  });
});

describe("counts", () => {
  it("per version: pending, scored, failed and the mean", async () => {
    await promptLiveIn("ol-counts", 1, 1);
    const r = await putOnlineRule(f.ctx(f.approver), "ol-counts", rule());
    await generations("ol-counts", 1, 5, 5);
    expect(await sampleCounts(t.db, r.id)).toEqual([
      expect.objectContaining({ version: 1, pending: 5, scored: 0, failed: 0, mean: null }),
    ]);
    await scorePendingSamples(t.db, undefined);
    expect(await sampleCounts(t.db, r.id)).toEqual([
      expect.objectContaining({ version: 1, pending: 0, scored: 5, mean: 1 }),
    ]);
    expect(await count("alerts", and(eq(alerts.ruleId, r.id))!)).toBe(0);
  });
});
