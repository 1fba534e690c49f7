// Event ingest into aggregates, checked against the raw events, and the results built from them.
import { beforeAll, describe, expect, it } from "vitest";
import { eq, sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { experimentArmStats } from "../../db/schema";
import { failure } from "../../test/domain-fixtures";
import { ingestEvents } from "./ingest";
import { startExperiment } from "../experiments/lifecycle";
import { experimentResults } from "../experiments/analysis/results";
import { assign, type AssignmentDefinition } from "../experiments/assign";
import { createExperiment, getExperiment } from "../experiments/store";
import { base, count, f, mulberry, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";

withExperimentsDatabase("exp-ingest");

describe("event ingest", () => {
  let id = "";
  let def: AssignmentDefinition;
  // Implicitly attributed events count only for the subject's assigned arm: each subject sends its arm's version.
  const versionOf = (subject: string) => (assign(def, subject)!.key === "A" ? 1 : 2);
  beforeAll(async () => {
    await servedPrompt("exp-events", 2);
    id = (
      await createExperiment(
        f.ctx(f.approver),
        base("exp-events", { guardrails: [{ name: "latency_ms", kind: "continuous", direction: "increase_is_bad" }] }),
      )
    ).id;
    await startExperiment(f.ctx(f.approver), id);
    const x = await getExperiment(t.db, f.projectId, id);
    const weights = x.phases.at(-1)!.weights as Record<string, number>;
    def = {
      seed: x.phases.at(-1)!.seed,
      coverage: x.coverage,
      variants: x.variants.map((v) => ({ key: v.key, weight: weights[v.key]! })),
    };
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

  it("records the composition an event names (resolve's object, or partials), and refuses one of another prompt", async () => {
    const composition = { prompt: { name: "exp-events", version: 1 }, partials: [{ name: "tone", version: 2 }] };
    await ingestEvents(t.db, f.projectId, {
      events: [
        { id: "comp-1", type: "feedback", prompt: "exp-events", version: 1, subject: "c1", value: 1, composition },
        { id: "comp-2", type: "feedback", subject: "c2", value: 1, composition },
        { id: "comp-3", type: "feedback", prompt: "exp-events", version: 1, subject: "c3", value: 1, partials: "" },
        { id: "comp-4", type: "feedback", prompt: "exp-events", version: 1, subject: "c4", value: 1 },
      ],
    });
    const rows = await queryRows<{ event_id: string; partials: string | null; version: number }>(
      t.db,
      sql`select event_id, partials, version from metric_events where event_id like 'comp-%' order by event_id`,
    );
    expect(rows.map((r) => [r.event_id, r.partials, r.version])).toEqual([
      ["comp-1", "tone@2", 1],
      ["comp-2", "tone@2", 1],
      ["comp-3", "", 1],
      ["comp-4", null, 1],
    ]);
    const err = await failure(
      ingestEvents(t.db, f.projectId, {
        events: [
          { id: "comp-5", type: "feedback", prompt: "exp-events", version: 2, subject: "c5", value: 1, composition },
          {
            id: "comp-6",
            type: "feedback",
            prompt: "exp-events",
            version: 1,
            subject: "c6",
            value: 1,
            partials: "tone",
          },
        ],
      }),
    );
    const problems = err.details?.problems as { index: number; field: string; message: string }[];
    expect(problems.map((p) => [p.index, p.field])).toEqual([
      [0, "composition"],
      [1, "partials"],
    ]);
    expect(problems[0]!.message).toContain("not of the event's exp-events v2");
  });

  it("refuses numbers that would poison the aggregates (1e200 cost, 1.7e308 tokens), naming the bound", async () => {
    const before = await count("metric_events");
    const gen = { type: "generation", prompt: "exp-events", version: 1, subject: "s1", latencyMs: 3 };
    const err = await failure(
      ingestEvents(t.db, f.projectId, {
        events: [
          { ...gen, id: "big-1", costUsd: 1e200 },
          { ...gen, id: "big-2", inputTokens: 1.7e308 },
          { ...gen, id: "big-3", latencyMs: 1e200 },
          { ...gen, id: "big-4", outputTokens: 2.5 },
          { id: "big-5", type: "metric", prompt: "exp-events", version: 1, subject: "s1", name: "x", value: -1e13 },
          { ...gen, id: "ok-max", costUsd: 10_000, inputTokens: 100_000_000, latencyMs: 86_400_000 },
        ],
      }),
    );
    const problems = err.details?.problems as { index: number; field: string; message: string }[];
    expect(problems.map((p) => [p.index, p.field, p.message])).toEqual([
      [0, "costUsd", "costUsd must be at most 10,000 (dollars for one generation)"],
      [1, "inputTokens", "inputTokens must be at most 100,000,000"],
      [1, "inputTokens", "inputTokens must be a whole number"],
      [2, "latencyMs", "latencyMs must be at most 86,400,000 (one day)"],
      [3, "outputTokens", "outputTokens must be a whole number"],
      [4, "value", "value must be from -1e12 to 1e12"],
    ]);
    expect(await count("metric_events")).toBe(before);
  });

  it("counts each id once, and the arm statistics equal the subject means computed from the raw events", async () => {
    const events: Record<string, unknown>[] = [];
    const rand = mulberry(7);
    for (let s = 0; s < 60; s++) {
      const version = versionOf(`s${s}`);
      const of = { prompt: "exp-events", version, subject: `s${s}`, environment: "staging" };
      for (let k = 0; k < 1 + (s % 3); k++) {
        events.push({
          id: `fb-${s}-${k}`,
          type: "feedback",
          ...of,
          value: rand() < (version === 2 ? 0.7 : 0.4) ? 1 : 0,
        });
        events.push({ id: `gen-${s}-${k}`, type: "generation", ...of, latencyMs: Math.round(200 + rand() * 100) });
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
    const inA = Array.from({ length: 60 }, (_, s) => versionOf(`s${s}`)).filter((v) => v === 1).length;
    expect(inA).toBeGreaterThan(15); // both arms have subjects
    expect(inA).toBeLessThan(45);
    expect(results.arms.map((a) => [a.variant, a.version, a.subjects])).toEqual([
      ["A", 1, inA],
      ["B", 2, 60 - inA],
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
        version: versionOf(`c${i % 40}`),
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
    const arms = await queryRows<{ n: number; sum: number; sum_sq: number }>(
      t.db,
      sql`select sum(n)::int as n, sum(sum) as sum, sum(sum_sq) as sum_sq from experiment_arm_stats
          where experiment_id = ${id} and metric = 'completed'`,
    );
    expect(arms[0]!.n).toBe(40);
    // The arms' moments are those of the subjects' means, whichever batch made a subject's row.
    const means = await queryRows<{ sum: number; sum_sq: number }>(
      t.db,
      sql`select sum(sum / count) as sum, sum((sum / count) ^ 2) as sum_sq from experiment_subject_stats
          where experiment_id = ${id} and metric = 'completed'`,
    );
    expect(arms[0]!.sum).toBeCloseTo(means[0]!.sum, 9);
    expect(arms[0]!.sum_sq).toBeCloseTo(means[0]!.sum_sq, 9);
  });
});
