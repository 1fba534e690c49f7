// Stale gates, visible (docs/evaluation.md, "When a gate's dataset changes"): removing a gate dataset's item makes every version's gate run
// stop counting, gateStatus says so (and the release plan agrees), "Run them" starts the runs, and
// restoring the previous dataset version makes the old runs count again. A pinned gate is unaffected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { seedProject, type Fixture } from "../../../test/domain-fixtures";
import { direct } from "../../../test/eval-runs-fixture";
import {
  createDataset,
  importItems,
  listDatasetItems,
  removeItems,
  restoreDatasetVersion,
} from "../../evaluation/datasets";
import { listDatasetVersions } from "../../evaluation/datasets/dataset-versions";
import { recordRun, runGateRuns } from "../../evaluation/runs";
import { createPrompt, getPrompt } from "../../registry/prompts";
import { createVersion } from "../../registry/versions";
import { deploy } from "../deployments";
import { getEnvironmentRow, updateEnvironment } from "../environments";
import { gateStatus, type GateStatus } from "./gate-status";
import { planByName } from "../plan/plan-facts";
import { requestReview } from "../reviews/reviews";

let t: TestDatabase;
let f: Fixture;
let datasetId: string;
const exact = [{ type: "exact_match" }];
const text = { type: "text", variables: [{ name: "question" }], config: { model: "m" } } as const;

const states = (gates: GateStatus[], env: string) =>
  Object.fromEntries(gates.find((g) => g.environment === env)!.versions.map((v) => [`v${v.version}`, v.state]));

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "gates");
  const ctx = f.ctx(f.admin);
  await createPrompt(ctx, { name: "faq", template: "One: {{question}}", ...text });
  await createVersion(ctx, "faq", { template: "Two: {{question}}", ...text });
  await createVersion(ctx, "faq", { template: "Three: {{question}}", ...text });
  const ds = await createDataset(ctx, { name: "faq-gate", prompt: "faq" });
  datasetId = ds.id;
  await importItems(ctx, ds.id, "csv", "question,expected\nq1,a1\nq2,a2\nq3,a3\n");
  // Versions 1 and 2 answer every item right, on dataset version 1, with the gate's scorers.
  for (const version of [1, 2])
    await recordRun(ctx, { prompt: "faq", version, dataset: ds.id, scorers: exact }, ({ input }) => ({
      text: `a${String(input.question).slice(1)}`,
    }));
  await updateEnvironment(ctx, "production", {
    requiresLiveIn: "staging",
    evaluationGate: { dataset: ds.id, minScore: 0.8, maxDrop: 1, scorers: exact },
  });
  await updateEnvironment(ctx, "staging", {
    evaluationGate: { dataset: ds.id, datasetVersion: 1, minScore: 0.8, maxDrop: 1, scorers: exact },
  });
  const prompt = await getPrompt(t.db, f.projectId, "faq");
  await deploy(ctx, prompt, await getEnvironmentRow(t.db, f.projectId, "production"), 1, "promote", "seed");
  await deploy(ctx, prompt, await getEnvironmentRow(t.db, f.projectId, "staging"), 2, "promote", "seed");
  // Version 3 waits for a review for production without ever having run.
  await requestReview(f.ctx(f.editor), "faq", {
    environment: "production",
    version: 3,
    deployOnApprove: false,
  });
});
afterAll(async () => {
  await t.drop();
});

describe("gateStatus", () => {
  it("lists the versions that matter for each gate and whether their run counts", async () => {
    const gates = await gateStatus(t.db, f.projectId);
    expect(gates.map((g) => g.environment).sort()).toEqual(["production", "staging"]);
    const production = gates.find((g) => g.environment === "production")!;
    expect(production).toMatchObject({
      dataset: { id: datasetId, name: "faq-gate" },
      datasetVersion: 1,
      currentVersion: 1,
      pinned: false,
      minScore: 0.8,
      needRun: 1,
    });
    expect(production.versions).toEqual([
      expect.objectContaining({ prompt: "faq", version: 3, state: "missing", why: ["review pending for production"] }),
      expect.objectContaining({ version: 2, state: "passes", why: ["live in staging"], score: 1 }),
      expect.objectContaining({ version: 1, state: "passes", why: ["live in production"], score: 1 }),
    ]);
    // Staging requires nothing first: only what it serves matters there.
    expect(states(gates, "staging")).toEqual({ v2: "passes" });
    // Another dataset's gates: none.
    expect(await gateStatus(t.db, f.projectId, { dataset: "00000000-0000-4000-8000-000000000000" })).toEqual([]);
  });

  it("a removal makes the runs stale (the plan agrees), Run them starts them, restore makes them count again", async () => {
    // An approver: the items of a protected environment's gate dataset are a release decision there.
    const ctx = f.ctx(f.approver);
    const [first] = (await listDatasetItems(t.db, f.projectId, datasetId)).items;
    const removed = await removeItems(ctx, datasetId, [first!.id]);
    expect(removed.version).toBe(2);

    let gates = await gateStatus(t.db, f.projectId, { dataset: datasetId });
    expect(states(gates, "production")).toEqual({ v3: "missing", v2: "stale", v1: "stale" });
    const production = gates.find((g) => g.environment === "production")!;
    expect(production).toMatchObject({ datasetVersion: 2, needRun: 3 });
    expect(production.versions.find((v) => v.version === 2)!.detail).toContain(
      "it ran on dataset version 1, whose items differ from version 2",
    );
    // The pinned gate still checks version 1: nothing changed for it.
    expect(states(gates, "staging")).toEqual({ v2: "passes" });
    // The release plan says the same thing a promotion would refuse.
    const plan = await planByName(t.db, f.projectId, "faq", "production", 2);
    expect(plan.steps.find((s) => s.id === "evaluation")).toMatchObject({
      met: false,
      action: { kind: "run_evaluation", datasetVersion: 2 },
    });

    // Run them: one gate run per version that needs one; a second click has nothing left to start.
    const started = await runGateRuns(ctx, { dataset: datasetId }, direct);
    expect(started.failed).toEqual([]);
    expect(started.started.map((s) => [s.environment, s.version]).sort()).toEqual([
      ["production", 1],
      ["production", 2],
      ["production", 3],
    ]);
    expect(states(await gateStatus(t.db, f.projectId), "production")).toEqual({
      v3: "running",
      v2: "running",
      v1: "running",
    });
    expect((await runGateRuns(ctx, { dataset: datasetId }, direct)).started).toEqual([]);

    // Undo: the restored version has the same items as version 1, so the old runs count again.
    const restored = await restoreDatasetVersion(ctx, datasetId, removed.version - 1);
    expect(restored).toEqual({ version: 3, restored: 1 });
    gates = await gateStatus(t.db, f.projectId, { dataset: datasetId });
    expect(states(gates, "production")).toEqual({ v3: "missing", v2: "passes", v1: "passes" });
    expect(gates.find((g) => g.environment === "production")).toMatchObject({ datasetVersion: 3, needRun: 1 });
    expect((await planByName(t.db, f.projectId, "faq", "production", 2)).missing).toEqual([]);
    expect((await listDatasetVersions(t.db, f.projectId, datasetId)).map((v) => [v.version, v.sameItemsAs])).toEqual([
      [3, 1],
      [2, null],
      [1, null],
    ]);
  });
  // "Run them" refused to a viewer is the wrapper's: runGateRunsAction (lib/server/actions/own-action-permissions.int.test.ts).
});
