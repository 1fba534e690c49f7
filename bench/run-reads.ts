// The reads beside rendered resolve (reads-fast.ts) on their own, without the rest of `npm run bench` (which runs
// them too, in its HTTP section): one instance of the production build on a fresh PostgreSQL database + Redis.
//   npx tsx bench/run-reads.ts [--quick]
import os from "node:os";
import { freePort, ServerProcess } from "../test/cluster/harness";
import { benchAdminKey, benchEnv, seedBenchPrompt } from "./one-server";
import { readsBeside } from "./reads-fast";
import { table, type Report } from "./report";
import type { Servers } from "./run-http";
import { freshPostgres } from "./setup";
import { runToExit } from "./run-main";

const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

async function main() {
  const quick = process.argv.includes("--quick");
  const db = await freshPostgres(PG);
  const adminKey = benchAdminKey;
  const env = benchEnv(
    { database: db.url, redis: REDIS, dataDir: "lectern-reads" },
    { LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000" },
  );
  const a = new ServerProcess(await freePort(), env);
  const report: Report = { results: {}, rows: [] };
  try {
    await a.start();
    const runtimeKey = await seedBenchPrompt(a, adminKey);
    await readsBeside(report, { a, b: a, env, adminKey, runtimeKey, quick } as Servers);
  } finally {
    await a.stop();
    await db.drop();
  }
  console.log(`\nreads beside resolve — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}\n`);
  console.log(table(report.rows));
  console.log(JSON.stringify(report.results, null, 2));
}

runToExit(main);
