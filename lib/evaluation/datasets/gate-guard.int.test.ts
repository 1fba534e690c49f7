// Changing the items of a dataset an environment gates on is a release decision there: an editor who may
// not deploy to a protected environment may not swap its gate's items for easy ones (auto-promote would
// then do the rest). Approvers may; a gate pinned to a dataset version is not affected by item changes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import * as fixtures from "../../../test/domain-fixtures";
import { failure, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { updateEnvironment } from "../../release/environments";
import {
  addItems,
  createDataset,
  listDatasetItems,
  removeItems,
  restoreDatasetVersion,
  updateDataset,
  updateDatasetItem,
} from ".";

let t: TestDatabase;
let f: Fixture;
const item = (q: string) => ({ input: { q }, tags: [], metadata: {} });

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "gate-guard");
  await fixtures.promptWith(t.db, f, "reply", 1);
  await fixtures.promptWith(t.db, f, "other", 1);
  const ds = await createDataset(f.ctx(f.admin), { name: "gate-items", prompt: "reply" });
  await addItems(f.ctx(f.admin), ds.id, [item("a"), item("b")], { source: "test" });
  await updateEnvironment(f.ctx(f.admin), "production", {
    evaluationGate: { dataset: "gate-items", minScore: 0.5 },
  });
});
afterAll(async () => t.drop());

const firstItem = async () => (await listDatasetItems(t.db, f.projectId, "gate-items")).items[0]!;

describe("a gate dataset's items", () => {
  it("an editor may not change them while protected production gates on them; nothing changes", async () => {
    const editor = f.ctx(f.editor);
    const before = await listDatasetItems(t.db, f.projectId, "gate-items");
    for (const attempt of [
      () => addItems(editor, "gate-items", [item("easy")], { source: "test" }),
      async () => removeItems(editor, "gate-items", [(await firstItem()).id]),
      async () => updateDatasetItem(editor, "gate-items", (await firstItem()).id, { input: { q: "easy" } }),
      () => restoreDatasetVersion(editor, "gate-items", 1),
      () => updateDataset(editor, "gate-items", { prompt: "other" }),
    ]) {
      const err = await failure(attempt());
      expect(err.code).toBe("forbidden");
      expect(err.message).toContain("Dataset gate-items is the evaluation gate of production");
    }
    expect(await listDatasetItems(t.db, f.projectId, "gate-items")).toEqual(before);
  });

  it("an approver may; an editor may once the gate is pinned to a dataset version (not its tie, though)", async () => {
    await addItems(f.ctx(f.approver), "gate-items", [item("c")], { source: "test" });
    await updateEnvironment(f.ctx(f.admin), "production", {
      evaluationGate: { dataset: "gate-items", minScore: 0.5, datasetVersion: 1 },
    });
    await addItems(f.ctx(f.editor), "gate-items", [item("d")], { source: "test" });
    expect((await failure(updateDataset(f.ctx(f.editor), "gate-items", { prompt: null }))).code).toBe("forbidden");
  });
});
