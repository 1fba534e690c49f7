// The demo's offline evaluation: a 100+ item dataset for support-reply, completed runs recorded from
// scripted answers (scored by the real scorers), and production gated on them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { listDatasets } from "../evaluation/datasets";
import { compareRuns, listRuns } from "../evaluation/runs";
import { getPrompt } from "../registry/prompts";
import { evaluateGate } from "../release/gate";
import { getEnvironment } from "../release/environments";
import { bootstrap } from "./bootstrap";
import { demoDatasetName } from "./demo-evaluation";

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
    const v3 = await evaluateGate(db, prompt.id, production, 3);
    expect(v3).toMatchObject({ passed: true, baseline: { version: 1 } });
    const cmp = await compareRuns(db, projectId, { a: runs[2]!.id, b: runs[0]!.id });
    expect(cmp.improvements).toBeGreaterThan(0);
  });
});
