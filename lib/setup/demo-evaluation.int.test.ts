// The demo's offline evaluation: a 100+ item dataset for support-reply, completed runs recorded from
// scripted answers three times each (scored by the real scorers), production gated on them in paired mode,
// and the summarizer's candidate compared with its live version, paired and by a pairwise judge.
import { noEvents } from "../announcements";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { listDatasets } from "../evaluation/datasets";
import { compareEvalRuns, listEvalRuns } from "../evaluation/runs";
import { getPrompt } from "../registry/prompts";
import { planFor } from "../release/plan/plan-facts";
import { getEnvironmentRow } from "../release/environments";
import { bootstrap } from "./bootstrap";
import { eq } from "drizzle-orm";
import { projects } from "../../db/schema";
import { createProject } from "../auth/projects";
import { exportProjectSnapshot } from "../snapshots/export";
import { importProjectSnapshot } from "../snapshots/import";
import { demoDatasetName, demoScorers } from "./demo-evaluation";
import { demoSummariesDataset } from "./demo-summaries";
import { parseScorerSpecs } from "../scorers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe("the demo's evaluation", () => {
  it("has a 120-item dataset, three completed runs compared paired, and a gate on production that version 3 passes", async () => {
    const { db } = database;
    const { projectId } = await bootstrap(db, { seedDemo: true });
    const [ds] = await listDatasets(db, projectId, { prompt: "support-reply" });
    expect(ds).toMatchObject({ name: demoDatasetName, items: 120, version: 1 });
    const runs = await listEvalRuns(db, projectId, { prompt: "support-reply" });
    expect(runs.map((r) => [r.version, r.status])).toEqual([
      [3, "completed"],
      [2, "completed"],
      [1, "completed"],
    ]);
    const score = (v: number) => runs.find((r) => r.version === v)!.score!;
    expect(score(1)).toBeLessThan(score(2));
    expect(score(2)).toBeLessThan(score(3));
    expect(runs[0]!.summary!.byTag.vip!.items).toBeGreaterThan(0);
    const prompt = await getPrompt(db, projectId, "support-reply");
    const production = await getEnvironmentRow(db, projectId, "production");
    expect(production.gateDatasetId).toBe(ds!.id);
    const v3 = (await planFor(db, prompt, production, 3)).steps.find((s) => s.id === "evaluation")!;
    expect(v3).toMatchObject({ met: true, evaluation: { baseline: { version: 1 } } });
    const cmp = await compareEvalRuns(db, projectId, { a: runs[2]!.id, b: runs[0]!.id });
    expect(cmp.improvements).toBeGreaterThan(0);
    expect(cmp.verdict).toMatch(
      /^v3 is better than v1 on concise by 26\.7 points \[\d+\.\d, \d+\.\d\], and on next_step by 6\.7 points .*no scorer significantly worse \(120 items, paired t, Holm-adjusted\)\.$/,
    );
  });

  it("answers each item three times, so each run has a spread per item, pass@3 and pass^3", async () => {
    const { db } = database;
    const [demo] = await db.select().from(projects).where(eq(projects.slug, "demo"));
    const runs = await listEvalRuns(db, demo!.id, { prompt: "support-reply" });
    for (const run of runs) {
      expect(run).toMatchObject({ repetitions: 3, progress: { done: 360, total: 360 } });
      const stats = run.statistics!;
      expect(stats).toMatchObject({ unit: "item", items: 120, repetitions: 3 });
      // Some items pass only some of the three times: pass@3 (any passes) is above pass^3 (all pass).
      expect(stats.unstable).toBeGreaterThan(0);
      expect(stats.passAtK!).toBeGreaterThan(stats.passHatK!);
      expect(stats.ci![0]).toBeLessThan(stats.score!);
    }
    const v1 = runs.find((r) => r.version === 1)!.statistics!;
    // Version 1 rambles on every fifth ticket each time (24 fail all three) and on another fifth once.
    expect(v1.passHatK).toBeLessThan(0.6);
    expect(v1.unstable).toBe(32);
  });

  it("gates production in paired mode: version 3 is no worse than live version 1 on any scorer, item by item", async () => {
    const { db } = database;
    const [demo] = await db.select().from(projects).where(eq(projects.slug, "demo"));
    const prompt = await getPrompt(db, demo!.id, "support-reply");
    const production = await getEnvironmentRow(db, demo!.id, "production");
    expect(production).toMatchObject({ gateMode: "paired", gateMinScore: 0.8 });
    const step = (await planFor(db, prompt, production, 3)).steps.find((s) => s.id === "evaluation")!;
    expect(step.title).toBe(
      "An evaluation on support-reply regression scoring at least 80.0% and no worse than the live version",
    );
    expect(step).toMatchObject({ met: true, evaluation: { mode: "paired", paired: { items: 120 } } });
    expect(step.detail).toContain(
      "Item by item, no gate scorer is clearly lower than live version 1 (120 items; paired t test).",
    );
  });

  it("compares the summarizer's candidate with the live version paired, and by a pairwise judge", async () => {
    const { db } = database;
    const [demo] = await db.select().from(projects).where(eq(projects.slug, "demo"));
    const runs = await listEvalRuns(db, demo!.id, { prompt: "summarizer" });
    expect(runs.map((r) => [r.version, r.status, r.dataset.name])).toEqual([
      [2, "completed", demoSummariesDataset],
      [1, "completed", demoSummariesDataset],
    ]);
    const [v2, v1] = runs;
    expect(v2!.baseline).toBe(v1!.id);
    const cmp = await compareEvalRuns(db, demo!.id, { a: v1!.id, b: v2!.id });
    expect(cmp.verdict).toMatch(
      /^v2 is worse than v1 on faithful by 58\.3 points \[\d+\.\d, \d+\.\d\] \(24 items, paired t, Holm-adjusted\)\.$/,
    );
    // Version 2 keeps the order count on every fourth report (6), version 1 on all but every sixth (20):
    // the judge prefers whichever keeps it, and calls it a tie when both or neither do.
    expect(cmp.pairwise).toEqual([
      expect.objectContaining({ name: "preference", judged: "b", items: 24, wins: 2, ties: 6, losses: 16, flips: 0 }),
    ]);
    expect(cmp.pairwise[0]!.signPValue).toBeLessThan(0.01);
  });

  it("travels in a project snapshot: the dataset with its items and the gate naming it", async () => {
    const { db } = database;
    const [demo] = await db.select().from(projects).where(eq(projects.slug, "demo"));
    const snapshot = await exportProjectSnapshot(db, demo!.id);
    expect(snapshot.datasets.map((d) => [d.name, d.prompt, d.items.length]).sort()).toEqual([
      [demoSummariesDataset, "summarizer", 24],
      [demoDatasetName, "support-reply", 120],
    ]);
    expect(snapshot.environments.find((e) => e.name === "production")!.evaluationGate).toEqual({
      dataset: demoDatasetName,
      minScore: 0.8,
      maxDrop: 1,
      scorers: parseScorerSpecs(demoScorers),
      mode: "paired",
    });
    const system = { type: "system", label: "test" } as const;
    const copy = await createProject(db, { slug: "copy", name: "copy" }, system);
    const ctx = { db, actor: system, projectId: copy.id, events: noEvents };
    const summary = await importProjectSnapshot(ctx, JSON.parse(JSON.stringify(snapshot)));
    expect(summary.datasets.created.sort()).toEqual([demoSummariesDataset, demoDatasetName]);
    const [ds] = await listDatasets(db, copy.id, { prompt: "support-reply" });
    expect(ds).toMatchObject({ name: demoDatasetName, items: 120, prompt: "support-reply" });
    expect((await getEnvironmentRow(db, copy.id, "production")).gateDatasetId).toBe(ds!.id);
    // Importing again changes nothing.
    expect((await importProjectSnapshot(ctx, JSON.parse(JSON.stringify(snapshot)))).changed).toBe(false);
  });
});
