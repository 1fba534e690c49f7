// Offline evaluation benchmark (alone: `npx tsx bench/eval-run.ts [--items 1000] [--latency 50] [--concurrency 16]`).
// A 1,000-item run of a prompt version against the local model server (test/llm-server.ts, in its own
// process, as a provider would be) answering
// every call after a scripted 50 ms, with concurrency 16, executed by the eval-run job's own code
// (executeRun) on the database (PostgreSQL when reachable, else PGlite). Prints the wall time against
// the ideal items × latency / concurrency, and the database write cost per item: the same writes
// (one result row per item; progress is recomputed from the rows twice a second) timed without any model call.
// Prints numbers; asserts nothing.
import { noEvents } from "../lib/announcements";
import { spawn, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { createProject } from "../lib/auth/projects";
import { createDataset, importItems } from "../lib/evaluation/datasets";
import { createEvalRun, executeRun, getEvalRun, parseCreateRunInput, type RunStart } from "../lib/evaluation/runs";
import { createModelCaller } from "../lib/llm";
import { createPrompt } from "../lib/registry/prompts";
import { freePort } from "../test/cluster/harness";
import { freshPostgres, openMigrated, reachable, system } from "./setup";

const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/** The local model server in its own process, as a provider would be: its CPU is not the run's. */
async function modelServer(script: object): Promise<{ url: string; baseUrl: string; process: ChildProcess }> {
  const port = await freePort();
  const file = path.join(tmpdir(), `eval-bench-script-${port}.json`);
  writeFileSync(file, JSON.stringify(script));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "test/llm-server.ts", "--port", String(port), "--script", file],
    { stdio: "ignore" },
  );
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${url}/__health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, baseUrl: `${url}/v1`, process: child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill();
  throw new Error("the local model server did not start");
}

export type EvalRunBench = {
  backend: string;
  items: number;
  latencyMs: number;
  concurrency: number;
  wallMs: number;
  idealMs: number;
  ratio: number;
  writeMsPerItem: number;
  score: number | null;
  modelCalls: number;
};

export async function evalRunBench(opts: {
  items: number;
  latencyMs: number;
  concurrency: number;
}): Promise<EvalRunBench> {
  const withPg = await reachable(PG, 5432);
  const pg = withPg ? await freshPostgres(PG) : undefined;
  const database = await openMigrated(pg?.url);
  const server = await modelServer({
    latencyMs: opts.latencyMs,
    default: { text: "Thanks for your patience: your refund is on its way.", usage: { input: 40, output: 12 } },
  });
  try {
    const project = await createProject(database.db, { slug: "bench-eval", name: "eval" }, system);
    const ctx = { db: database.db, actor: system, projectId: project.id, events: noEvents };
    await createPrompt(ctx, {
      name: "reply",
      type: "text",
      template: "Reply to {{customer}} about order {{order}}.",
      variables: [{ name: "customer" }, { name: "order", type: "number" }],
      config: { model: "scripted-model" },
    });
    const ds = await createDataset(ctx, { name: "bench", prompt: "reply" });
    const rows = Array.from(
      { length: opts.items },
      (_, i) => `customer ${i},${1000 + i},Thanks for your patience: your refund is on its way.,t${i % 5}`,
    );
    await importItems(ctx, ds.id, "csv", `customer,order,expected,tags\n${rows.join("\n")}\n`);
    // The connection's own limit must not be the bottleneck: the run's concurrency is what is measured.
    const caller = createModelCaller({
      id: "bench",
      name: "bench",
      provider: "openai-compatible",
      baseUrl: server.baseUrl,
      concurrency: 64,
      maxRetries: 0,
    });
    const scorers = [{ type: "exact_match" }, { type: "contains", value: "refund" }, { type: "length", max: 400 }];
    // Executed here, not by a job: nothing is sent, no limit applies.
    const direct: RunStart = { enqueue: async () => {}, limits: null, models: null };
    const run = await createEvalRun(
      ctx,
      parseCreateRunInput({ prompt: "reply", version: 1, dataset: ds.id, scorers, concurrency: opts.concurrency }),
      direct,
    );
    const t0 = performance.now();
    await executeRun(database.db, run.id, { modelsFor: () => () => caller });
    const wallMs = performance.now() - t0;
    const result = await getEvalRun(database.db, project.id, run.id);
    const modelCalls = ((await (await fetch(`${server.url}/__requests`)).json()) as unknown[]).length;

    // Write cost alone: the same statement per item into a second run, no model calls.
    const writeRun = await createEvalRun(
      ctx,
      parseCreateRunInput({ prompt: "reply", version: 1, dataset: ds.id, scorers, concurrency: 1 }),
      direct,
    );
    const items = await queryRows<{ id: string; position: number }>(
      database.db,
      sql`select id, position from dataset_items where dataset_id = ${ds.id} order by position`,
    );
    const scores = JSON.stringify([
      { name: "exact_match", type: "exact_match", weight: 1, threshold: 1, score: 1, passed: true, reason: "equal" },
    ]);
    const w0 = performance.now();
    for (const it of items)
      await database.db
        .execute(sql`insert into eval_run_items (run_id, item_id, repetition, position, output, score, passed, scores, latency_ms, input_tokens, output_tokens, cost_usd)
        values (${writeRun.id}, ${it.id}, 0, ${it.position}, 'Thanks', 1, true, ${scores}::jsonb, 50, 40, 12, null) on conflict do nothing`);
    const writeMsPerItem = (performance.now() - w0) / items.length;
    const idealMs = (opts.items * opts.latencyMs) / opts.concurrency;
    return {
      backend: withPg ? "postgres" : "pglite",
      items: opts.items,
      latencyMs: opts.latencyMs,
      concurrency: opts.concurrency,
      wallMs,
      idealMs,
      ratio: wallMs / idealMs,
      writeMsPerItem,
      score: result.score,
      modelCalls,
    };
  } finally {
    server.process.kill();
    await database.close();
    await pg?.drop();
  }
}

async function main() {
  const r = await evalRunBench({
    items: arg("items", 1000),
    latencyMs: arg("latency", 50),
    concurrency: arg("concurrency", 16),
  });
  console.log(
    `eval run (${r.backend}): ${r.items} items, ${r.latencyMs} ms scripted latency, concurrency ${r.concurrency}`,
  );
  console.log(`  wall time            ${(r.wallMs / 1000).toFixed(2)} s`);
  console.log(`  ideal (n × lat / c)  ${(r.idealMs / 1000).toFixed(2)} s`);
  console.log(`  ratio                ${r.ratio.toFixed(2)}× (target ≤ 1.3×)`);
  console.log(
    `  DB write per item    ${r.writeMsPerItem.toFixed(2)} ms (one result row; progress is synced twice a second)`,
  );
  console.log(`  run score            ${r.score}; model calls: ${r.modelCalls}`);
}

if (process.argv[1]?.endsWith("eval-run.ts")) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
