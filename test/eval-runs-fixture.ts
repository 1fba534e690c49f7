// Shared by the evaluation-run integration tests (lib/evaluation/runs/*.int.test.ts): a fresh database
// per file with a seeded project, the local model server, the prompt "support" in five versions and a
// ten-item dataset. The bindings below are assigned in beforeAll and read by the tests.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { queryRows } from "../db/client";
import { createDataset, importItems, updateDataset } from "../lib/evaluation/datasets";
import {
  createEvalRun,
  executeRun,
  getEvalRun,
  parseCreateRunInput,
  type CreateRunRequest,
  type RunDeps,
  type RunStart,
} from "../lib/evaluation/runs";
import type { DomainContext } from "../lib/context";
import { createPrompt } from "../lib/registry/prompts";
import { createVersion } from "../lib/registry/versions";
import { createTestDatabase, type TestDatabase } from "./db";
import { seedProject, type Fixture } from "./domain-fixtures";
import { localCaller } from "./llm-caller";
import { startLlmServer, type LlmServer } from "./llm-server";

export let t: TestDatabase;
export let f: Fixture;
export let server: LlmServer;
export let deps: RunDeps;
export let datasetId: string;

// v1 answers well, v2 badly, v3 well, v4 well except on q9 (score 0.9), v5 well.
export const script = {
  rules: [
    { match: "Bad:", text: "no idea" },
    { regex: "Partial: q9\\b", text: "no idea" },
  ],
  default: { text: "good answer", usage: { input: 10, output: 5 } },
};

export const exact = [{ type: "exact_match" }, { type: "length", min: 1, weight: 0 }];

/** Registers this file's database, project, prompt, dataset and model server (beforeAll / afterAll). */
export function withRunsDatabase(slug: string): void {
  beforeAll(async () => {
    t = await createTestDatabase();
    f = await seedProject(t.db, slug);
    server = await startLlmServer({ script });
    const caller = localCaller(server, { concurrency: 16, maxRetries: 0 });
    deps = { modelsFor: () => () => caller, cancelPollMs: 50 };
    const ctx = f.ctx(f.editor);
    const config = { model: "scripted-model" };
    const variables = [{ name: "question" }];
    await createPrompt(ctx, { name: "support", type: "text", template: "Good: {{question}}", variables, config });
    for (const template of ["Bad: ", "Good again: ", "Partial: ", "Good v5: "])
      await createVersion(ctx, "support", { template: `${template}{{question}}`, variables, config });
    const ds = await createDataset(ctx, { name: "support-eval", prompt: "support" });
    datasetId = ds.id;
    const rows = Array.from({ length: 10 }, (_, i) => `q${i},good answer,${i % 2 ? "odd" : "even"}`);
    await importItems(ctx, ds.id, "csv", `question,expected,tags\n${rows.join("\n")}\n`);
    // Tied to "support" for typing its CSV cells; untied so that gates apply to every prompt of the
    // project (a dataset tied to one prompt gates that prompt only).
    await updateDataset(f.ctx(f.admin), ds.id, { prompt: null });
  });
  afterAll(async () => {
    await server.stop();
    await t.drop();
  });
}

/** For tests that execute their runs themselves (executeRun): no job is sent and no limit applies. */
export const direct: RunStart = { enqueue: async () => {}, limits: null, models: null };

/** createEvalRun as the route and the UI call it: the input through the one parser (422 naming the field). */
export async function newRun(ctx: DomainContext, input: CreateRunRequest, start: RunStart = direct) {
  return createEvalRun(ctx, parseCreateRunInput(input), start);
}

/** Creates a run of a version of "support" on the dataset and executes it to the end. */
export async function run(version: number, extra: Record<string, unknown> = {}, runDeps: RunDeps = deps) {
  const r = await newRun(f.ctx(f.editor), {
    prompt: "support",
    version,
    dataset: datasetId,
    scorers: exact,
    concurrency: 4,
    ...extra,
  });
  await executeRun(t.db, r.id, runDeps);
  return getEvalRun(t.db, f.projectId, r.id);
}

export const itemCount = async (runId: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from eval_run_items where run_id = ${runId}`))[0]!
    .n;

/** How many of a run's units could not run or be judged (an error of their own or of a scorer). */
export const failedUnits = async (runId: string) =>
  (
    await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from eval_run_items
          where run_id = ${runId} and (error is not null or jsonb_path_exists(scores, '$[*].error'))`,
    )
  )[0]!.n;
