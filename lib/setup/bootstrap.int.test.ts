// A fresh install: the demo project's production shows the release workflow (review + staging first),
// while a project created later gets the plain defaults.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { listAudit } from "../audit/record";
import { createProject } from "../auth/projects";
import { stopExperiment } from "../experiments/lifecycle";
import { listExperiments } from "../experiments/store";
import { liveVersions } from "../release/deployments";
import { getPrompt } from "../registry/prompts";
import { createVersion } from "../registry/versions";
import { noEvents } from "../announcements";
import { promoteVersion } from "../release/promote";
import { listEnvironmentRows } from "../release/environments";
import { bootstrap } from "./bootstrap";
import { experimentResults } from "../experiments/analysis/results";
import { experimentSummaries } from "../experiments/analysis/experiment-summaries";
import { demoExperimentUsers } from "./demo-experiment";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

const system = { type: "system", label: "test" } as const;
const rules = (envs: Awaited<ReturnType<typeof listEnvironmentRows>>) =>
  Object.fromEntries(
    envs.map((e) => [
      e.name,
      { protected: e.protected, requiresReview: e.requiresReview, requiresLiveIn: e.requiresLiveIn },
    ]),
  );

describe("bootstrap with the demo", () => {
  it("gives the demo's production the review-and-staging-first rules; new projects keep the plain defaults", async () => {
    const { projectId } = await bootstrap(database.db, {
      seedDemo: true,
      adminEmail: "admin@demo.test",
      adminPassword: "a-long-enough-password",
    });
    expect(rules(await listEnvironmentRows(database.db, projectId))).toEqual({
      development: { protected: false, requiresReview: false, requiresLiveIn: null },
      staging: { protected: false, requiresReview: false, requiresLiveIn: null },
      production: { protected: true, requiresReview: true, requiresLiveIn: "staging" },
    });
    const other = await createProject(database.db, { slug: "later", name: "Later" }, system);
    expect(rules(await listEnvironmentRows(database.db, other.id)).production).toEqual({
      protected: true,
      requiresReview: false,
      requiresLiveIn: null,
    });
  });

  it("so a new version of a demo prompt cannot go straight to production", async () => {
    const { projectId } = await bootstrap(database.db, { seedDemo: true });
    const ctx = { db: database.db, projectId, actor: system, events: noEvents };
    const { version } = await createVersion(ctx, "summarizer", {
      type: "text",
      template: "Summarise {{text}} briefly.",
      variables: [{ name: "text" }],
      commitMessage: "shorter",
    });
    await expect(
      promoteVersion(ctx, "summarizer", { environment: "production", version: version.version }),
    ).rejects.toMatchObject({
      code: "conflict",
      details: { rule: expect.stringMatching(/^requires(Review|LiveIn)$/) },
    });
  });

  it("records the experiment's first users and their history, so CUPED's adjusted lift shows at once", async () => {
    const { projectId } = await bootstrap(database.db, { seedDemo: true });
    const [e] = await listExperiments(database.db, projectId, { status: "running" });
    const results = await experimentResults(database.db, projectId, e!.id);
    expect(results.arms.reduce((n, a) => n + a.subjects, 0)).toBe(demoExperimentUsers);
    const thumbs = results.comparisons.find((c) => c.variant === "concise")!.metrics.thumbs!;
    // Every user who gave a thumbs up or down in the experiment has four from the ten days before it.
    expect(thumbs.adjusted!.covariate.subjectsWithHistory).toBe(thumbs.adjusted!.covariate.subjects);
    expect(thumbs.adjusted!.covariate.subjects).toBeGreaterThan(demoExperimentUsers / 2);
    expect(thumbs.adjusted!.lookbackDays).toBe(14);
    // Taste carries over, so the history explains part of the outcome: a narrower interval, no verdict yet.
    expect(thumbs.adjusted!.varianceReduction).toBeGreaterThan(5);
    const width = (ci: [number, number] | null) => ci![1] - ci![0];
    expect(width(thumbs.adjusted!.differenceCi)).toBeLessThan(width(thumbs.differenceCi));
    expect(thumbs.significant).toBe(false);
    // The concise arm is truly cheaper: the guardrail shows it from the first users (no history of cost).
    expect(results.comparisons[0]!.metrics.cost_usd).toMatchObject({ significant: true });
    expect(results.comparisons[0]!.metrics.cost_usd!.difference!).toBeLessThan(0);
    // The experiments list shows the seeded users from the first visit, before the scheduled job's first run.
    const [listed] = await experimentSummaries(database.db, projectId, { status: "running" });
    expect(listed).toMatchObject({ subjects: demoExperimentUsers, winner: results.winner, verdict: results.verdict });
    // "Lift over time" ends on the number the verdict states (CUPED-adjusted), the unadjusted one beside it,
    // each point at the fixed end of a bin that fits the data's span.
    const last = results.timeline.at(-1)!.lift.concise!;
    expect(last.adjusted).toBe(true);
    expect(last.lift).toBeCloseTo(thumbs.adjusted!.lift!, 10);
    expect(last.ci![0]).toBeCloseTo(thumbs.adjusted!.ci![0], 10);
    expect(last.raw.lift).toBeCloseTo(thumbs.lift!, 10);
    const ends = results.timeline.map((p) => Date.parse(p.at));
    expect(ends.every((t) => t % results.timelineBinMs === 0)).toBe(true);
    expect(results.timeline.length).toBeLessThanOrEqual(60);
  });

  it("starts the demo experiment on support-reply in staging (audited), where shipping the winner is a plain promotion", async () => {
    const { projectId } = await bootstrap(database.db, { seedDemo: true });
    const ctx = { db: database.db, projectId, actor: system, events: noEvents };
    const [e, ...others] = await listExperiments(database.db, projectId, { status: "running" });
    expect(others).toEqual([]);
    expect(e).toMatchObject({
      prompt: "support-reply",
      environment: "staging",
      mode: "sequential",
      phase: 1,
      plannedSamplePerArm: expect.any(Number),
    });
    expect(e!.variants.map((v) => [v.key, v.version])).toEqual([
      ["control", 2],
      ["concise", 3],
    ]);
    const prompt = await getPrompt(database.db, projectId, "support-reply");
    // The control is what staging serves, so users outside the experiment see no change.
    expect(
      (await liveVersions(database.db, projectId, prompt.id)).find((l) => l.environment === "staging")?.live?.version,
    ).toBe(2);
    expect(
      (await listAudit(database.db, projectId, { objectType: "experiment", objectId: e!.id }))
        .map((a) => a.action)
        .sort(),
    ).toEqual(["experiment.create", "experiment.start"]);
    await stopExperiment(ctx, e!.id, { decision: { ship: "concise" }, reason: "test" });
    expect(
      (await liveVersions(database.db, projectId, prompt.id)).find((l) => l.environment === "staging")?.live?.version,
    ).toBe(3);
  });
});
