// The facts the run form's scorer presets come from, read from a real database: expected answers in the
// dataset's current version only, the gates using a dataset, the demo dataset's own scorers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { seedProject, type Fixture } from "../../../test/domain-fixtures";
import { updateEnvironment } from "../../release/environments";
import { normalizeGateScorers } from "../../scorers/gate";
import { demoDatasetName, demoScorers } from "../../setup/demo-evaluation";
import { addItems, createDataset, listDatasetItems, removeItems } from "../datasets";
import { newRunFormData } from "./form-data";
import { projectContext } from "../../context";
import { noEvents } from "../../announcements";

let t: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "run-form");
  const ctx = f.ctx(f.admin);
  const answered = await createDataset(ctx, { name: "answered" });
  await addItems(ctx, answered.id, [
    { input: { q: "2+2" }, expected: "4", tags: [], metadata: {} },
    { input: { q: "sky" }, expected: "blue", tags: [], metadata: {} },
    { input: { q: "open" }, tags: [], metadata: {} },
  ]);
  // The item without an expected answer goes: the current version has expected answers everywhere.
  const open = (await listDatasetItems(t.db, f.projectId, "answered")).items.find((i) => i.expected === undefined)!;
  await removeItems(ctx, "answered", [open.id]);
  const demo = await createDataset(ctx, { name: demoDatasetName });
  await addItems(ctx, demo.id, [{ input: { ticket: "refund" }, tags: [], metadata: {} }]);
  await createDataset(ctx, { name: "empty" });
  await updateEnvironment(ctx, "staging", {
    evaluationGate: { dataset: demoDatasetName, minScore: 0.5, maxDrop: 1, scorers: [{ type: "safety" }] },
  });
});
afterAll(async () => t.drop());

const offerOf = async (name: string) =>
  (await newRunFormData(projectContext(t.db, f.admin, f.projectId, noEvents))).datasets.find((d) => d.name === name)!
    .scorers;

describe("newRunFormData", () => {
  it("offers exact match by default when every current item has an expected answer", async () => {
    const offer = await offerOf("answered");
    expect(offer.defaultId).toBe("exact");
    expect(offer.note).toBeNull();
  });

  it("offers a gate's scorers first, then the demo's own, and no exact match without expected answers", async () => {
    const offer = await offerOf(demoDatasetName);
    expect(offer.presets.slice(0, 2).map((p) => [p.id, p.scorers])).toEqual([
      ["gate:staging", normalizeGateScorers([{ type: "safety" }])],
      ["suggested", demoScorers],
    ]);
    expect(offer.defaultId).toBe("gate:staging");
    expect(offer.presets.map((p) => p.id)).not.toContain("exact");
  });

  it("says an empty dataset has no items yet", async () => {
    expect((await offerOf("empty")).note).toContain("no items yet");
  });
});
