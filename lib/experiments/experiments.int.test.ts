// Experiments against a real database: definitions refused with nothing written, the lifecycle
// through the release log, assignment in cached resolve entries, event ingest into aggregates
// (checked against the raw events), results, and the bandit cadence with sticky assignments.
import { noEvents } from "../release/events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { experimentArmStats, experiments } from "../../db/schema";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import * as fixtures from "../../test/domain-fixtures";
import { failure, seedProject, type Fixture } from "../../test/domain-fixtures";
import { deploymentHistory } from "../release/deployments";
import { promote } from "../release/promote";
import { decideReview, requestReview } from "../release/reviews";
import { rollback } from "../release/rollback";
import { getPrompt } from "../registry/prompts";
import { chooseArm } from "../runtime/experiment-arms";
import { loadResolved } from "../runtime/load";
import { assign } from "./assign";
import { reweightBandits } from "./bandit-job";
import { ingestEvents } from "./ingest";
import { setWeights, startExperiment, stopExperiment } from "./lifecycle";
import { experimentResults } from "./results";
import { ExposureRecorder } from "./exposures";
import { StickyAssignments } from "./sticky";
import { createExperiment, getExperiment } from "./store";

let t: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "exp");
});
afterAll(async () => t.drop());

/** A prompt whose version 1 the environment serves: an experiment's control is what the environment serves. */
async function servedPrompt(name: string, versions: number, environment = "staging") {
  const prompt = await fixtures.promptWith(t.db, f, name, versions);
  await promote(f.ctx(f.approver), name, { environment, version: 1 });
  return prompt;
}

const count = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
const base = (prompt: string, extra: Record<string, unknown> = {}) => ({
  prompt,
  environment: "staging",
  name: `Test ${prompt}`,
  variants: [
    { key: "A", version: 1, weight: 0.5 },
    { key: "B", version: 2, weight: 0.5 },
  ],
  mode: "sequential" as const,
  primaryMetric: { name: "thumbs", kind: "binary" as const },
  ...extra,
});

describe("defining an experiment", () => {
  beforeAll(async () => {
    await fixtures.promptWith(t.db, f, "exp-def", 2);
  });

  it.each([
    [
      {
        variants: [
          { key: "A", version: 1, weight: 0.6 },
          { key: "B", version: 2, weight: 0.6 },
        ],
      },
      "variants",
      /weights must sum to 1/,
    ],
    [
      {
        variants: [
          { key: "A", version: 1, weight: 0.5 },
          { key: "B", version: 9, weight: 0.5 },
        ],
      },
      "variants",
      /has no version 9/,
    ],
    [{ variants: [{ key: "A", version: 1, weight: 1 }] }, "variants", /control and at least one other variant/],
    [
      {
        variants: [
          { key: "A", version: 1, weight: 0.5 },
          { key: "A", version: 2, weight: 0.5 },
        ],
      },
      "variants",
      /keys must be distinct/,
    ],
    [{ environment: "qa" }, "environment", /No environment named qa/],
    [{ coverage: 1.5 }, "coverage", /coverage must be between 0 and 1/],
    [{ mode: "fixed", primaryMetric: { name: "rating", kind: "continuous" } }, "baseline", /needs baseline/],
    [{ primaryMetric: { name: "thumbs", kind: "continuous" } }, "primaryMetric.kind", /thumbs is a binary metric/],
    [{ mode: "sequential", bandit: { algorithm: "thompson" } }, "bandit", /only when mode is "bandit"/],
    [{ alpha: 0 }, "alpha", /alpha must be between 0 and 1/],
  ])("%j → 422 naming %s, nothing written", async (patch, field, message) => {
    const before = await count("experiments");
    const err = await failure(createExperiment(f.ctx(f.approver), base("exp-def", patch)));
    expect(err.code).toBe("unprocessable");
    expect(err.details?.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(await count("experiments")).toBe(before);
  });

  it("plans the sample per arm from alpha, power, the MDE and the baseline", async () => {
    const e = await createExperiment(
      f.ctx(f.approver),
      base("exp-def", { mode: "fixed", baseline: { rate: 0.2 }, minDetectableEffect: 0.1 }),
    );
    // (1.959964 + 0.841621)² (0.2·0.8 + 0.22·0.78) / 0.02² = 6,506.3 → 6,507
    expect(e.plannedSamplePerArm).toBe(6507);
    expect(e.status).toBe("draft");
    expect(await failure(createExperiment(f.ctx(f.editor), base("exp-def"))).then((x) => x.code)).toBe("forbidden");
  });
});

describe("lifecycle", () => {
  it("starts (one running per prompt and environment), ships through the release log, and keeps the control", async () => {
    await servedPrompt("exp-life", 3);
    const a = await createExperiment(f.ctx(f.approver), base("exp-life"));
    const b = await createExperiment(
      f.ctx(f.approver),
      base("exp-life", {
        variants: [
          { key: "A", version: 2, weight: 0.5 },
          { key: "C", version: 3, weight: 0.5 },
        ],
      }),
    );
    const started = await startExperiment(f.ctx(f.approver), a.id);
    expect(started).toMatchObject({ status: "running", phase: 1 });
    expect(started.phases[0]).toMatchObject({ phase: 1, seed: a.seed, weights: { A: 0.5, B: 0.5 } });
    const clash = await failure(startExperiment(f.ctx(f.approver), b.id));
    expect(clash.code).toBe("conflict");
    expect(clash.message).toMatch(/already running on exp-life in staging/);
    expect((await getExperiment(t.db, f.projectId, b.id)).status).toBe("draft");

    const stopped = await stopExperiment(f.ctx(f.approver), a.id, { decision: { ship: "B" }, reason: "B wins" });
    expect(stopped.status).toBe("stopped");
    const prompt = await getPrompt(t.db, f.projectId, "exp-life");
    const [d] = await deploymentHistory(t.db, f.projectId, prompt, { environment: "staging" });
    expect(d!.deployment).toMatchObject({ version: 2, action: "promote" });
    expect(d!.deployment.reason).toContain(`experiment "${a.name}"`);

    // b's control is version 2, which staging serves since the ship.
    await startExperiment(f.ctx(f.approver), b.id);
    await stopExperiment(f.ctx(f.approver), b.id, { decision: { keep: "control" } });
    expect((await deploymentHistory(t.db, f.projectId, prompt, { environment: "staging" })).length).toBe(2);
  });

  it("a ship refused by a promotion rule leaves the experiment running and nothing deployed", async () => {
    await servedPrompt("exp-gated", 2, "production");
    const e = await createExperiment(f.ctx(f.approver), base("exp-gated", { environment: "production" }));
    await startExperiment(f.ctx(f.approver), e.id);
    await t.db.execute(
      sql`update environments set requires_review = true where project_id = ${f.projectId} and name = 'production'`,
    );
    try {
      expect((await failure(stopExperiment(f.ctx(f.approver), e.id, { decision: { ship: "B" } }))).code).toBe(
        "conflict",
      );
      expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("running");
    } finally {
      await t.db.execute(
        sql`update environments set requires_review = false where project_id = ${f.projectId} and name = 'production'`,
      );
    }
    await stopExperiment(f.ctx(f.approver), e.id, { decision: { keep: "control" } });
  });
});

describe("experiments follow the release log", () => {
  /** What 300 subjects (and a request without one) get now, by version. */
  async function served(name: string, environment: string) {
    const entry = await loadResolved(t.db, f.projectId, name, environment);
    const versions = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const c = chooseArm(entry, `subject-${i}`);
      if (c === "sticky") throw new Error("not a bandit");
      versions.add(c.arm.version);
    }
    const none = chooseArm(entry, undefined);
    if (none !== "sticky") versions.add(none.arm.version);
    return { versions: [...versions].sort(), experiment: entry.experiment?.id ?? null };
  }

  it("a rollback stops the running experiment in the same transaction; every subject gets what the log says", async () => {
    const prompt = await servedPrompt("exp-rollback", 3);
    await promote(f.ctx(f.editor), "exp-rollback", { environment: "staging", version: 2 });
    const e = await createExperiment(
      f.ctx(f.approver),
      base("exp-rollback", {
        variants: [
          { key: "A", version: 2, weight: 0.5 },
          { key: "B", version: 3, weight: 0.5 },
        ],
      }),
    );
    await startExperiment(f.ctx(f.approver), e.id);
    expect(await served("exp-rollback", "staging")).toEqual({ versions: [2, 3], experiment: e.id });
    const published: string[] = [];
    const sink = {
      publish: async (x: { action: string; version: number }) => void published.push(`${x.action} v${x.version}`),
    };
    const d = await rollback(f.ctx(f.approver, sink), "exp-rollback", { environment: "staging", version: 1 });
    expect(await served("exp-rollback", "staging")).toEqual({ versions: [1], experiment: null });
    const stopped = await getExperiment(t.db, f.projectId, e.id);
    expect(stopped.status).toBe("stopped");
    expect(stopped.decision).toMatchObject({
      stoppedBy: "deployment",
      deployment: { id: d.id, version: 1, action: "rollback" },
      reason: expect.stringMatching(/staging now serves version 1 \(rollback by .*deployment \d+\)/),
    });
    expect(published).toEqual(["rollback v1"]);
    const [audit] = await queryRows<{ action: string; after: { decision: { deployment: { id: number } } } }>(
      t.db,
      sql`select action, after from audit_log where object_id = ${e.id} and action = 'experiment.stop'`,
    );
    expect(audit!.after.decision.deployment.id).toBe(d.id);
    expect(prompt.name).toBe("exp-rollback");
  });

  it("a promotion stops it too, and so does a job's automatic rollback (any deployment)", async () => {
    await servedPrompt("exp-promoted", 3);
    const e = await createExperiment(f.ctx(f.approver), base("exp-promoted"));
    await startExperiment(f.ctx(f.approver), e.id);
    await promote(f.ctx(f.editor), "exp-promoted", { environment: "staging", version: 3 });
    expect(await served("exp-promoted", "staging")).toEqual({ versions: [3], experiment: null });
    expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("stopped");
    // A deployment in another environment leaves an experiment alone.
    const other = await createExperiment(
      f.ctx(f.approver),
      base("exp-promoted", {
        variants: [
          { key: "A", version: 3, weight: 0.5 },
          { key: "B", version: 2, weight: 0.5 },
        ],
      }),
    );
    await startExperiment(f.ctx(f.approver), other.id);
    await promote(f.ctx(f.editor), "exp-promoted", { environment: "development", version: 1 });
    expect((await getExperiment(t.db, f.projectId, other.id)).status).toBe("running");
    await stopExperiment(f.ctx(f.approver), other.id, { decision: { keep: "control" } });
  });

  it("starts only with the environment's own version as the control", async () => {
    await servedPrompt("exp-control", 3);
    const e = await createExperiment(
      f.ctx(f.approver),
      base("exp-control", {
        variants: [
          { key: "A", version: 2, weight: 0.5 },
          { key: "B", version: 3, weight: 0.5 },
        ],
      }),
    );
    const err = await failure(startExperiment(f.ctx(f.approver), e.id));
    expect(err).toMatchObject({ code: "conflict", details: { rule: "control", live: 1, control: 2 } });
    expect(err.message).toMatch(/control must be what staging serves \(version 1\)/);
    expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("draft");
  });

  it("serves a variant in a protected environment only when it satisfies the environment's release plan", async () => {
    // Issue 22, 4: a 99/1 split served an unreviewed version to 100 of 100 subjects in production.
    await servedPrompt("exp-reviewed", 3, "production");
    await t.db.execute(
      sql`update environments set requires_review = true where project_id = ${f.projectId} and name = 'production'`,
    );
    try {
      const e = await createExperiment(
        f.ctx(f.approver),
        base("exp-reviewed", {
          environment: "production",
          variants: [
            { key: "A", version: 1, weight: 0.01 },
            { key: "B", version: 2, weight: 0.99 },
            { key: "C", version: 3, weight: 0 },
          ],
        }),
      );
      const err = await failure(startExperiment(f.ctx(f.approver), e.id));
      expect(err).toMatchObject({ code: "conflict", details: { rule: "releasePlan" } });
      expect(err.message).toMatch(/Variant "B" \(version 2\) cannot be served in production/);
      expect((err.details!.variants as { plan: { missing: string[] } }[])[0]!.plan.missing).toEqual(["review"]);
      expect((await getExperiment(t.db, f.projectId, e.id)).status).toBe("draft");
      // Reviewed (approved without deploying), version 2 may be served; version 3 gets no traffic yet.
      const review = await requestReview(f.ctx(f.editor), "exp-reviewed", {
        version: 2,
        environment: "production",
        deployOnApprove: false,
      });
      await decideReview(f.ctx(f.approver), review.id, { decision: "approve" });
      await startExperiment(f.ctx(f.approver), e.id);
      // Giving the unreviewed version 3 traffic is refused the same way; nothing changes.
      const weights = await failure(setWeights(f.ctx(f.approver), e.id, { weights: { A: 0.5, B: 0.25, C: 0.25 } }));
      expect(weights.message).toMatch(/Variant "C" \(version 3\)/);
      expect((await getExperiment(t.db, f.projectId, e.id)).phase).toBe(1);
      await stopExperiment(f.ctx(f.approver), e.id, { decision: { keep: "control" } });
      // A version production served before may be a variant without a review, as a rollback could return to it.
      await promote(f.ctx(f.approver), "exp-reviewed", { environment: "production", version: 2 });
      const back = await createExperiment(
        f.ctx(f.approver),
        base("exp-reviewed", {
          environment: "production",
          variants: [
            { key: "A", version: 2, weight: 0.5 },
            { key: "B", version: 1, weight: 0.5 },
          ],
        }),
      );
      await startExperiment(f.ctx(f.approver), back.id);
      // Shipping it is a return to a version production served: allowed like a rollback.
      await stopExperiment(f.ctx(f.approver), back.id, { decision: { ship: "B" } });
      expect(await fixtures.liveVersion(t.db, f, "exp-reviewed", "production")).toBe(1);
    } finally {
      await t.db.execute(
        sql`update environments set requires_review = false where project_id = ${f.projectId} and name = 'production'`,
      );
    }
  });
});

describe("assignment in the resolve path", () => {
  it("a subject gets its variant's version, sticky and equal to the pure hash; no subject gets the control", async () => {
    await fixtures.promptWith(t.db, f, "exp-assign", 2);
    await promote(f.ctx(f.editor), "exp-assign", { environment: "staging", version: 1 });
    const e = await createExperiment(f.ctx(f.approver), base("exp-assign", { coverage: 0.8, seed: "fixed-seed" }));
    await startExperiment(f.ctx(f.approver), e.id);
    const entry = await loadResolved(t.db, f.projectId, "exp-assign", "staging");
    expect(entry.experiment).toMatchObject({ id: e.id, phase: 1, seed: "fixed-seed", coverage: 0.8 });
    const counts: Record<string, number> = { A: 0, B: 0, out: 0 };
    for (let i = 0; i < 2000; i++) {
      const subject = `user-${i}`;
      const choice = chooseArm(entry, subject);
      if (choice === "sticky") throw new Error("not a bandit");
      const expected = assign(
        {
          seed: "fixed-seed",
          coverage: 0.8,
          variants: [
            { key: "A", weight: 0.5 },
            { key: "B", weight: 0.5 },
          ],
        },
        subject,
      );
      expect(choice.experiment?.variant ?? null).toBe(expected?.key ?? null);
      expect(choice.arm.version).toBe(expected?.key === "B" ? 2 : 1);
      counts[choice.experiment?.variant ?? "out"]!++;
    }
    expect(counts.out! / 2000).toBeGreaterThan(0.15);
    expect(counts.out! / 2000).toBeLessThan(0.25);
    const anonymous = chooseArm(entry, undefined);
    expect(anonymous !== "sticky" && anonymous.experiment).toBeNull();
    expect(anonymous !== "sticky" && anonymous.arm.version).toBe(1);
    // A new phase re-randomizes with a new seed.
    await setWeights(f.ctx(f.approver), e.id, { weights: { A: 0.2, B: 0.8 } });
    const next = await loadResolved(t.db, f.projectId, "exp-assign", "staging");
    expect(next.experiment?.phase).toBe(2);
    expect(next.experiment?.seed).not.toBe("fixed-seed");
    await stopExperiment(f.ctx(f.approver), e.id, { decision: { keep: "control" } });
    expect((await loadResolved(t.db, f.projectId, "exp-assign", "staging")).experiment).toBeNull();
  });
});

describe("event ingest", () => {
  let id = "";
  beforeAll(async () => {
    await servedPrompt("exp-events", 2);
    id = (
      await createExperiment(
        f.ctx(f.approver),
        base("exp-events", { guardrails: [{ name: "latency_ms", kind: "continuous", direction: "increase_is_bad" }] }),
      )
    ).id;
    await startExperiment(f.ctx(f.approver), id);
  });

  it("refuses a batch with any bad event, listing each by index and field, and stores nothing", async () => {
    const before = await count("metric_events");
    const err = await failure(
      ingestEvents(t.db, f.projectId, {
        events: [
          { id: "ok-1", type: "feedback", prompt: "exp-events", version: 1, subject: "s1", value: 1 },
          { id: "bad-1", type: "feedback", prompt: "exp-events", version: 1, subject: "s1", value: 7 },
          { id: "bad-2", type: "nope", prompt: "exp-events", version: 1, subject: "s1" },
          { id: "bad-3", type: "generation", prompt: "no-such", version: 1, subject: "s1", latencyMs: 3 },
          { id: "bad-4", type: "metric", prompt: "exp-events", version: 9, subject: "s1", name: "x", value: 1 },
        ],
      }),
    );
    expect(err.code).toBe("unprocessable");
    const problems = err.details?.problems as { index: number; field: string }[];
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [1, "value"],
      [2, "type"],
      [3, "prompt"],
      [4, "version"],
    ]);
    expect(await count("metric_events")).toBe(before);
  });

  it("counts each id once, and the arm statistics equal the subject means computed from the raw events", async () => {
    const events: Record<string, unknown>[] = [];
    const rand = mulberry(7);
    for (let s = 0; s < 60; s++) {
      const version = s % 2 === 0 ? 1 : 2;
      for (let k = 0; k < 1 + (s % 3); k++) {
        events.push({
          id: `fb-${s}-${k}`,
          type: "feedback",
          prompt: "exp-events",
          version,
          subject: `s${s}`,
          value: rand() < (version === 2 ? 0.7 : 0.4) ? 1 : 0,
          environment: "staging",
        });
        events.push({
          id: `gen-${s}-${k}`,
          type: "generation",
          prompt: "exp-events",
          version,
          subject: `s${s}`,
          latencyMs: Math.round(200 + rand() * 100),
          environment: "staging",
        });
      }
    }
    const first = await ingestEvents(t.db, f.projectId, { events: events.slice(0, 100) });
    expect(first).toEqual({ accepted: 100, duplicates: 0 });
    const again = await ingestEvents(t.db, f.projectId, { events: [...events.slice(90), events[0]] });
    expect(again.duplicates).toBe(11);
    expect(again.accepted).toBe(events.length - 90 - 10);
    const rows = await t.db.select().from(experimentArmStats).where(eq(experimentArmStats.experimentId, id));
    for (const variant of ["A", "B"]) {
      const version = variant === "A" ? 1 : 2;
      const bySubject = new Map<string, number[]>();
      for (const e of events)
        if (e.version === version && e.type === "feedback")
          bySubject.set(e.subject as string, [...(bySubject.get(e.subject as string) ?? []), e.value as number]);
      const means = [...bySubject.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
      const got = rows
        .filter((r) => r.variantKey === variant && r.metric === "thumbs")
        .reduce((s, r) => ({ n: s.n + Number(r.n), sum: s.sum + r.sum, sumSq: s.sumSq + r.sumSq }), {
          n: 0,
          sum: 0,
          sumSq: 0,
        });
      expect(got.n).toBe(means.length);
      expect(got.sum).toBeCloseTo(
        means.reduce((a, b) => a + b, 0),
        9,
      );
      expect(got.sumSq).toBeCloseTo(
        means.reduce((a, b) => a + b * b, 0),
        9,
      );
    }
    const results = await experimentResults(t.db, f.projectId, id);
    expect(results.arms.map((a) => [a.variant, a.version, a.subjects])).toEqual([
      ["A", 1, 30],
      ["B", 2, 30],
    ]);
    expect(results.comparisons[0]!.metrics.thumbs).toBeDefined();
    expect(results.comparisons[0]!.metrics.latency_ms).toBeDefined();
    expect(results.verdict.length).toBeGreaterThan(10);
    expect(results.timeline.length).toBeGreaterThan(0);
  });

  it("two batches for the same subjects at once are both counted exactly", async () => {
    const mk = (tag: string) =>
      Array.from({ length: 200 }, (_, i) => ({
        id: `${tag}-${i}`,
        type: "outcome",
        prompt: "exp-events",
        version: 1 + (i % 2),
        subject: `c${i % 40}`,
        value: i % 3 === 0,
        environment: "staging",
      }));
    await Promise.all([
      ingestEvents(t.db, f.projectId, { events: mk("x") }),
      ingestEvents(t.db, f.projectId, { events: mk("y") }),
    ]);
    const subjects = await queryRows<{ n: number; c: number }>(
      t.db,
      sql`select count(*)::int as n, sum(count)::int as c from experiment_subject_stats where experiment_id = ${id} and metric = 'completed'`,
    );
    expect(subjects[0]).toEqual({ n: 40, c: 400 });
    const arms = await queryRows<{ n: number }>(
      t.db,
      sql`select sum(n)::int as n from experiment_arm_stats where experiment_id = ${id} and metric = 'completed'`,
    );
    expect(arms[0]!.n).toBe(40);
  });
});

describe("bandits", () => {
  it("burn-in, then a reweight into a new phase; subjects keep their first assignment", async () => {
    await servedPrompt("exp-bandit", 2);
    const e = await createExperiment(
      f.ctx(f.approver),
      base("exp-bandit", { mode: "bandit", bandit: { algorithm: "thompson", burnIn: 20, floor: 0.1 } }),
    );
    await startExperiment(f.ctx(f.approver), e.id);
    const sticky = new StickyAssignments(() => t.db);
    const def = (x: Awaited<ReturnType<typeof getExperiment>>) => ({
      id: x.id,
      phase: x.phase,
      seed: x.phases.at(-1)!.seed,
      coverage: x.coverage,
      variants: x.variants.map((v) => ({
        key: v.key,
        weight: (x.phases.at(-1)!.weights as Record<string, number>)[v.key]!,
      })),
    });
    let current = await getExperiment(t.db, f.projectId, e.id);
    const firstAssignments = new Map<string, string>();
    // 80 subjects: with a random seed each arm gets its burn-in of 20 except with probability ~1e-5 (50 left ~12% of runs short).
    for (let i = 0; i < 80; i++) firstAssignments.set(`b${i}`, (await sticky.variantFor(def(current), `b${i}`))!);
    expect((await reweightBandits(t.db, noEvents)).find((r) => r.experimentId === e.id)?.action).toBe("burn-in");
    const events = [...firstAssignments.entries()].map(([subject, variant], i) => ({
      id: `bandit-${i}`,
      type: "feedback",
      prompt: "exp-bandit",
      version: variant === "A" ? 1 : 2,
      subject,
      value: variant === "B" ? 1 : i % 4 === 0 ? 1 : 0,
      environment: "staging",
    }));
    await ingestEvents(t.db, f.projectId, { events });
    const runs = await reweightBandits(t.db, noEvents);
    const mine = runs.find((r) => r.experimentId === e.id)!;
    expect(mine.action).toBe("reweighted");
    expect(mine.weights!.B).toBeGreaterThan(mine.weights!.A!);
    expect(mine.weights!.A).toBeGreaterThanOrEqual(0.1 - 1e-9);
    current = await getExperiment(t.db, f.projectId, e.id);
    expect(current.phase).toBe(2);
    const fresh = new StickyAssignments(() => t.db); // another instance: reads the stored assignments
    for (const [subject, variant] of firstAssignments)
      expect(await fresh.variantFor(def(current), subject)).toBe(variant);
    const [row] = await t.db.select({ phase: experiments.phase }).from(experiments).where(eq(experiments.id, e.id));
    expect(row!.phase).toBe(2);
  });
});

/** A small seeded generator for test data. */
function mulberry(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the exposure recorder (resolve's exposures)", () => {
  it("writes a subject's first exposure once however often it resolves, and keeps a batch the database refused", async () => {
    await servedPrompt("exp-rec", 2);
    const e = await createExperiment(f.ctx(f.approver), base("exp-rec"));
    await startExperiment(f.ctx(f.approver), e.id);
    const seen = { id: e.id, phase: 1, variant: "B" };
    const rows = async () =>
      await queryRows<{ subject: string; variant_key: string }>(
        t.db,
        sql`select subject, variant_key from experiment_exposures where experiment_id = ${e.id} order by subject`,
      );
    const armCount = async () =>
      (
        await queryRows<{ n: number }>(
          t.db,
          sql`select coalesce(sum(subjects), 0)::int as n from experiment_arm_exposures where experiment_id = ${e.id}`,
        )
      )[0]!.n;

    let down = false;
    const errors: unknown[] = [];
    const recorder = new ExposureRecorder(() => (down ? (null as unknown as typeof t.db) : t.db), {
      flushMs: 60_000,
      onError: (x) => errors.push(x),
    });
    for (let i = 0; i < 50; i++) recorder.record(seen, "u-1", Date.parse("2026-11-23T10:00:00Z") + i);
    recorder.record(seen, "u-2", Date.parse("2026-11-23T10:00:00Z"));
    await recorder.flush();
    expect(await rows()).toEqual([
      { subject: "u-1", variant_key: "B" },
      { subject: "u-2", variant_key: "B" },
    ]);
    expect(await armCount()).toBe(2);
    // Written: a repeat is not even pending.
    recorder.record(seen, "u-1", Date.now());
    await recorder.flush();
    expect(await armCount()).toBe(2);

    // The database away: the batch stays pending, and the next flush writes it.
    down = true;
    recorder.record(seen, "u-3", Date.now());
    await recorder.flush();
    expect(errors).toHaveLength(1);
    expect((await rows()).map((r) => r.subject)).toEqual(["u-1", "u-2"]);
    down = false;
    await recorder.flush();
    expect((await rows()).map((r) => r.subject)).toEqual(["u-1", "u-2", "u-3"]);
    expect(await armCount()).toBe(3);
  });
});
