// `npm run bench`: measures the runtime path and prints a table; writes bench/results.json.
// Uses PostgreSQL + Redis on 127.0.0.1 when reachable (TEST_DATABASE_URL / TEST_REDIS_URL override),
// else PGlite and the in-process store. Runs against the production build (built if missing).
import { execSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import { createClient, type RedisClientType } from "redis";
import { RedisStore } from "../lib/runtime/redis-store";
import { MemoryStore, type SharedStore } from "../lib/runtime/shared-store";
import { evalRunBench } from "./eval-run";
import { experimentsSimulation } from "./experiments-sim";
import { regressionToRollback, scoringThroughput } from "./online-eval";
import { ms, table as formatTable, type Report, type Row } from "./report";
import { overHttp } from "./run-http";
import { inProcess } from "./run-in-process";
import { freshPostgres, openMigrated, reachable } from "./setup";
import { runToExit } from "./run-main";

const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";
const quick = process.argv.includes("--quick");
const N = quick ? 300 : 2000;

async function redisStore(url: string): Promise<SharedStore> {
  const client = createClient({ url }) as RedisClientType;
  await client.connect();
  return new RedisStore(client, url);
}

async function main() {
  const withPg = await reachable(PG, 5432);
  const withRedis = withPg && (await reachable(REDIS, 6379));
  const results: Record<string, unknown> = {
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      at: new Date().toISOString(),
    },
    backend: withPg ? `PostgreSQL${withRedis ? " + Redis" : ""}` : "PGlite + in-process store",
  };
  const rows: Row[] = [];
  const report: Report = { results, rows };
  const pg = withPg ? await freshPostgres(PG) : undefined;
  const database = await openMigrated(pg?.url);
  const store = withRedis ? await redisStore(REDIS) : new MemoryStore();
  try {
    await inProcess(report, database, store, { quick, n: N, withPg });

    // 2–4. Over HTTP against the production build.
    if (!existsSync(".next/BUILD_ID"))
      execSync("npm run build", { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
    if (pg && withRedis) await overHttp(report, { pg: PG, redis: REDIS, quick });
    else rows.push(["HTTP, propagation, SDK", "skipped", "needs PostgreSQL + Redis", "—"]);
  } finally {
    await store.close();
    await database.close();
    await pg?.drop();
  }

  // Statistics simulations (seeded: the same numbers on every machine).
  const sim = experimentsSimulation({ quick });
  results.experimentsSimulation = sim;
  for (const r of sim.rows) rows.push([r.measure, r.value, "—", r.target]);

  // Online evaluation: heuristic scoring throughput, and a regression's last sample → rollback served.
  const scoring = await scoringThroughput({ samples: quick ? 2_000 : 20_000 });
  results.onlineScoring = scoring;
  rows.push([
    `online scoring, heuristic scorers (${scoring.backend})`,
    `${Math.round(scoring.samplesPerSecond)} samples/s`,
    `${scoring.samples} samples`,
    "—",
  ]);
  // Offline evaluation: a 1,000-item run against the local model server (50 ms scripted latency, concurrency 16).
  const evalRun = await evalRunBench({ items: quick ? 200 : 1000, latencyMs: 50, concurrency: 16 });
  results.evalRun = evalRun;
  rows.push([
    `eval run, ${evalRun.items} items × 50 ms, concurrency 16 (${evalRun.backend})`,
    `${(evalRun.wallMs / 1000).toFixed(2)} s`,
    `ideal ${(evalRun.idealMs / 1000).toFixed(2)} s · DB write ${evalRun.writeMsPerItem.toFixed(2)} ms/item`,
    `ratio ${evalRun.ratio.toFixed(2)}× (target ≤ 1.3×)`,
  ]);
  const loop =
    withPg && withRedis ? await regressionToRollback({ trials: quick ? 2 : 5, samples: quick ? 60 : 120 }) : null;
  results.regressionToRollback = loop;
  if (loop)
    rows.push([
      "last bad sample → rollback served (cron tick, other instance)",
      ms(loop.p50),
      `max ${ms(loop.max)}`,
      "within minutes (+ ≤ 60 s scheduler period)",
    ]);

  const table = formatTable(rows);
  console.log(
    `\nLectern benchmark — ${results.backend} — ${(results.machine as { cpus: number }).cpus} cores, node ${process.version}\n`,
  );
  console.log(table);
  results.table = table;
  writeFileSync("bench/results.json", JSON.stringify(results, null, 2));
  console.log("\nwrote bench/results.json");
}

runToExit(main);
