// The reads beside rendered resolve (reads-fast.ts) on their own, without the rest of `npm run bench` (which runs
// them too, in its HTTP section): one instance of the production build on a fresh PostgreSQL database + Redis.
//   npx tsx bench/run-reads.ts [--quick]
import os from "node:os";
import { api, freePort, ServerProcess } from "../test/cluster/harness";
import { readsBeside } from "./reads-fast";
import { table, type Report } from "./report";
import type { Servers } from "./run-http";
import { freshPostgres } from "./setup";

const PG = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const REDIS = process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379";

async function main() {
  const quick = process.argv.includes("--quick");
  const db = await freshPostgres(PG);
  const adminKey = "lk_bench_admin_key_00000000000000000000000";
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL: REDIS,
    LECTERN_BOOTSTRAP_ADMIN_KEY: adminKey,
    NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-1",
    LECTERN_DATA_DIR: `/tmp/lectern-reads-${Date.now()}`,
    LECTERN_SEED_DEMO: "false",
    LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000",
  };
  const a = new ServerProcess(await freePort(), env);
  const report: Report = { results: {}, rows: [] };
  try {
    await a.start();
    const runtimeKey = (await api(a, "POST", "/api/v1/api-keys", adminKey, { name: "bench", scope: "runtime" })).body
      .key as string;
    await api(a, "POST", "/api/v1/prompts", adminKey, {
      name: "bench-prompt",
      type: "text",
      template: "Hello {{name}}",
      variables: [{ name: "name" }],
    });
    await api(a, "POST", "/api/v1/prompts/bench-prompt/deployments", adminKey, {
      environment: "production",
      version: 1,
    });
    await readsBeside(report, { a, b: a, env, adminKey, runtimeKey, quick } as Servers);
  } finally {
    await a.stop();
    await db.drop();
  }
  console.log(`\nreads beside resolve — ${os.cpus().length} cores (${os.cpus()[0]?.model}), node ${process.version}\n`);
  console.log(table(report.rows));
  console.log(JSON.stringify(report.results, null, 2));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
