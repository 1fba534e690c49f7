// The demo's offline evaluation: a 100+ item dataset for support-reply, completed runs recorded from
// scripted answers (scored by the real scorers), and production gated on them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { listDatasets } from "../evaluation/datasets";
import { compareRuns, listRuns } from "../evaluation/runs";
import { getPrompt } from "../registry/prompts";
import { planFor } from "../release/plan-facts";
import { getEnvironment } from "../release/environments";
import { bootstrap } from "./bootstrap";
import { eq } from "drizzle-orm";
import { projects } from "../../db/schema";
import { createProject } from "../auth/projects";
import { exportSnapshot } from "../snapshots/export";
import { importSnapshot } from "../snapshots/import";
import { demoDatasetName, demoScorers } from "./demo-evaluation";
import { parseScorerSpecs } from "../scorers";

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database?.drop());

describe("the demo's evaluation", () => {
  it("has a 120-item dataset, three completed runs and a gate on production that version 3 passes", async () => {
    const { db } = database;
    const { projectId } = await bootstrap(db, { seedDemo: true });
    const [ds] = await listDatasets(db, projectId, { prompt: "support-reply" });
    expect(ds).toMatchObject({ name: demoDatasetName, items: 120, version: 1 });
    const runs = await listRuns(db, projectId, { prompt: "support-reply" });
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
    const production = await getEnvironment(db, projectId, "production");
    expect(production.gateDatasetId).toBe(ds!.id);
    const v3 = (await planFor(db, prompt, production, 3)).steps.find((s) => s.id === "evaluation")!;
    expect(v3).toMatchObject({ met: true, evaluation: { baseline: { version: 1 } } });
    const cmp = await compareRuns(db, projectId, { a: runs[2]!.id, b: runs[0]!.id });
    expect(cmp.improvements).toBeGreaterThan(0);
  });

  it("travels in a project snapshot: the dataset with its items and the gate naming it", async () => {
    const { db } = database;
    const [demo] = await db.select().from(projects).where(eq(projects.slug, "demo"));
    const snapshot = await exportSnapshot(db, demo!.id);
    expect(snapshot.datasets.map((d) => [d.name, d.prompt, d.items.length])).toEqual([
      [demoDatasetName, "support-reply", 120],
    ]);
    expect(snapshot.environments.find((e) => e.name === "production")!.evaluationGate).toEqual({
      dataset: demoDatasetName,
      minScore: 0.8,
      maxDrop: 0.05,
      scorers: parseScorerSpecs(demoScorers),
      mode: "threshold",
    });
    const system = { type: "system", label: "test" } as const;
    const copy = await createProject(db, { slug: "copy", name: "copy" }, system);
    const ctx = { db, actor: system, projectId: copy.id };
    const summary = await importSnapshot(ctx, JSON.parse(JSON.stringify(snapshot)));
    expect(summary.datasets.created).toEqual([demoDatasetName]);
    const [ds] = await listDatasets(db, copy.id);
    expect(ds).toMatchObject({ name: demoDatasetName, items: 120, prompt: "support-reply" });
    expect((await getEnvironment(db, copy.id, "production")).gateDatasetId).toBe(ds!.id);
    // Importing again changes nothing.
    expect((await importSnapshot(ctx, JSON.parse(JSON.stringify(snapshot)))).changed).toBe(false);
  });
});
