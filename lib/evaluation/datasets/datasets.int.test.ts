// Datasets against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): imports in three
// formats typed by the prompt, all-or-nothing 422s, versions that pin exactly their items, export.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryRows } from "../../../db/client";
import { createTestDatabase, type TestDatabase } from "../../../test/db";
import { failure, seedProject, type Fixture } from "../../../test/domain-fixtures";
import { createPrompt } from "../../registry/prompts";
import { onlineEvalRules, onlineSamples } from "../../../db/schema";
import { getPrompt } from "../../registry/prompts";
import { getEnvironmentRow, updateEnvironment } from "../../release/environments";
import {
  addItemsFromSamples,
  createDataset,
  getDataset,
  datasetListResponse,
  datasetSchema,
  deleteDataset,
  exportDataset,
  importItems,
  itemsAtVersion,
  listDatasets,
  listDatasetItems,
  removeItems,
  updateDatasetItem,
} from ".";

let t: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedProject(t.db, "datasets");
  await createPrompt(f.ctx(f.editor), {
    name: "support",
    type: "text",
    template: "{{question}} ({{count}}, {{urgent}})",
    variables: [
      { name: "question", type: "string" },
      { name: "count", type: "number", required: false },
      { name: "urgent", type: "boolean", required: false },
    ],
  });
});
afterAll(async () => {
  await t.drop();
});

const count = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;

describe("datasets", () => {
  it("imports CSV typed by the prompt, JSON and JSONL, each as a new version", async () => {
    const ctx = f.ctx(f.editor);
    const ds = await createDataset(ctx, { name: "support-set", prompt: "support" });
    const csv = await importItems(
      ctx,
      ds.id,
      "csv",
      "question,count,urgent,expected,tags\nWhere is my order?,2,yes,Soon,billing;urgent\nHello,,,Hi,\n",
    );
    expect(csv).toEqual({ version: 1, added: 2 });
    const json = await importItems(ctx, "support-set", "json", {
      items: [{ input: { question: "Refund?" }, expected: { action: "refund" }, tags: ["billing"] }],
    });
    expect(json).toEqual({ version: 2, added: 1 });
    const jsonl = await importItems(
      ctx,
      ds.id,
      "jsonl",
      '{"input":{"question":"A"}}\n{"input":{"question":"B","count":3}}\n',
    );
    expect(jsonl).toEqual({ version: 3, added: 2 });
    const page = await listDatasetItems(t.db, f.projectId, ds.id, {});
    expect(page.total).toBe(5);
    expect(page.items[0]).toMatchObject({
      input: { question: "Where is my order?", count: 2, urgent: true },
      expected: "Soon",
      tags: ["billing", "urgent"],
    });
    expect((await listDatasetItems(t.db, f.projectId, ds.id, { version: 1 })).total).toBe(2);
    expect((await listDatasetItems(t.db, f.projectId, ds.id, { tag: "billing" })).total).toBe(2);
    expect((await listDatasets(t.db, f.projectId)).find((d) => d.id === ds.id)).toMatchObject({
      version: 3,
      items: 5,
      prompt: "support",
    });
    // As the API sends them: JSON that fits the routes' response schemas.
    const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));
    expect(datasetListResponse.safeParse(asJson({ data: await listDatasets(t.db, f.projectId) })).success).toBe(true);
    expect(datasetSchema.parse(asJson(await getDataset(t.db, f.projectId, ds.name)))).toMatchObject({ id: ds.id });
  });

  it("refuses a whole upload with a bad row: 422 listing each bad row, nothing stored", async () => {
    const ctx = f.ctx(f.editor);
    const ds = await createDataset(ctx, { name: "bad-rows", prompt: "support" });
    const before = await count("dataset_items");
    const e = await failure(importItems(ctx, ds.id, "csv", "question,count\nok,1\nfine,many\n,2\n"));
    expect(e.code).toBe("unprocessable");
    expect(e.status).toBe(422);
    expect(e.details!.errors).toEqual([
      { row: 2, field: "input.count", message: 'input.count must be a number, got "many"' },
      { row: 3, field: "input.question", message: "input.question is required by the prompt and missing" },
    ]);
    expect(e.message).toContain("2 of 3 rows are invalid; nothing was stored");
    expect(await count("dataset_items")).toBe(before);
    expect((await listDatasets(t.db, f.projectId)).find((d) => d.id === ds.id)!.version).toBe(0);
  });

  it("edits and removals make new versions; old versions keep exactly their items", async () => {
    const ctx = f.ctx(f.editor);
    const ds = await createDataset(ctx, { name: "versions" });
    await importItems(ctx, ds.id, "json", {
      items: [
        { input: { q: "a" }, expected: "1" },
        { input: { q: "b" }, expected: "2" },
        { input: { q: "c" }, expected: "3" },
      ],
    });
    const v1 = await itemsAtVersion(t.db, ds.id, 1);
    const edited = await updateDatasetItem(ctx, ds.id, v1[1]!.id, { expected: "two" });
    expect(edited.version).toBe(2);
    expect(edited.item.key).toBe(v1[1]!.key);
    expect(edited.item.id).not.toBe(v1[1]!.id);
    const removed = await removeItems(ctx, ds.id, [v1[0]!.id]);
    expect(removed).toEqual({ version: 3, removed: 1 });
    const at = async (v: number) =>
      (await itemsAtVersion(t.db, ds.id, v)).map((i) => `${(i.input as { q: string }).q}=${String(i.expected)}`);
    expect(await at(1)).toEqual(["a=1", "b=2", "c=3"]);
    expect(await at(2)).toEqual(["a=1", "b=two", "c=3"]);
    expect(await at(3)).toEqual(["b=two", "c=3"]);
    // The old revision cannot be edited any more.
    expect((await failure(updateDatasetItem(ctx, ds.id, v1[1]!.id, { expected: "x" }))).code).toBe("conflict");
    const csv = await exportDataset(t.db, f.projectId, ds.id, "csv");
    expect(csv.body).toBe("q,expected,tags,metadata\nb,two,,\nc,3,,\n");
    expect(csv.filename).toBe("versions-v3.csv");
    const jsonl = await exportDataset(t.db, f.projectId, ds.id, "jsonl", 1);
    expect(jsonl.body.trim().split("\n")).toHaveLength(3);
  });

  it("the database refuses an item outside its version range", async () => {
    const ds = await createDataset(f.ctx(f.editor), { name: "ranges" });
    await importItems(f.ctx(f.editor), ds.id, "json", { items: [{ input: { q: "a" } }] });
    await expect(
      t.db.execute(sql`update dataset_items set to_version = from_version where dataset_id = ${ds.id}`),
    ).rejects.toThrow();
  });

  // That a viewer cannot add items is the wrapper's (own-action-permissions.int.test.ts: importItemsAction).
  it("a gate's dataset cannot be deleted", async () => {
    const ds = await createDataset(f.ctx(f.editor), { name: "gated" });
    await updateEnvironment(f.ctx(f.admin), "production", {
      evaluationGate: { dataset: "gated", minScore: 0.8, maxDrop: 0.1 },
    });
    expect((await failure(deleteDataset(f.ctx(f.admin), ds.id))).code).toBe("conflict");
    await updateEnvironment(f.ctx(f.admin), "production", { evaluationGate: null });
    await deleteDataset(f.ctx(f.admin), ds.id);
  });

  it("adds production samples as items (input, output as expected), refusing unknown sample ids", async () => {
    const ctx = f.ctx(f.editor);
    const ds = await createDataset(ctx, { name: "from-production", prompt: "support" });
    const prompt = await getPrompt(t.db, f.projectId, "support");
    const env = await getEnvironmentRow(t.db, f.projectId, "production");
    const [rule] = await t.db
      .insert(onlineEvalRules)
      .values({
        projectId: f.projectId,
        promptId: prompt.id,
        environmentId: env.id,
        sampleRate: 1,
        scorers: [],
        signals: [],
        window: 10,
        minSamples: 2,
        alpha: 0.05,
        rollback: { enabled: false, maxDrop: 0.15, cooldownMinutes: 60 },
      })
      .returning();
    const samples = await t.db
      .insert(onlineSamples)
      .values(
        [1, 2].map((i) => ({
          projectId: f.projectId,
          ruleId: rule!.id,
          eventId: `e${i}`,
          promptId: prompt.id,
          version: 1,
          environment: "production",
          input: { question: `real ${i}` },
          output: `answer ${i}`,
          at: new Date(),
        })),
      )
      .returning({ id: onlineSamples.id });
    const r = await addItemsFromSamples(
      ctx,
      ds.id,
      samples.map((x) => x.id),
    );
    expect(r).toMatchObject({ version: 1, added: 2 });
    const items = await itemsAtVersion(t.db, ds.id, 1);
    expect(items.map((i) => [i.input, i.expected, i.source])).toEqual([
      [{ question: "real 1" }, "answer 1", `sample:${samples[0]!.id}`],
      [{ question: "real 2" }, "answer 2", `sample:${samples[1]!.id}`],
    ]);
    expect((await failure(addItemsFromSamples(ctx, ds.id, [999_999]))).code).toBe("not_found");
  });

  it("imports 10,000 CSV rows in one upload", async () => {
    const ctx = f.ctx(f.editor);
    const ds = await createDataset(ctx, { name: "big", prompt: "support" });
    const rows = Array.from(
      { length: 10_000 },
      (_, i) => `Question number ${i},${i},${i % 2 ? "true" : "false"},Answer ${i},t${i % 7}`,
    );
    const r = await importItems(ctx, ds.id, "csv", `question,count,urgent,expected,tags\n${rows.join("\n")}\n`);
    expect(r).toEqual({ version: 1, added: 10_000 });
    expect(
      (await listDatasetItems(t.db, f.projectId, ds.id, { offset: 9_999, limit: 5 })).items.map((i) => i.input.count),
    ).toEqual([9_999]);
  }, 60_000);
});
