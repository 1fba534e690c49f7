// `npx tsx bench/attack.ts`: the section of `npm run bench` that measures resolve while OTLP and batch resolve are
// pushed to their limits (run-attack.ts), alone: one instance of the production build on PostgreSQL + Redis at
// 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL override). Prints the table and the numbers; asserts nothing.
import { api, freePort, ServerProcess } from "../test/cluster/harness";
import { table, type Report } from "./report";
import { underAttack } from "./run-attack";
import { freshPostgres } from "./setup";

async function main() {
  const srv = await freshPostgres(process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
  const adminKey = "lk_bench_admin_key_00000000000000000000000";
  const env = {
    DATABASE_URL: srv.url,
    REDIS_URL: process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379",
    LECTERN_BOOTSTRAP_ADMIN_KEY: adminKey,
    NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-1",
    LECTERN_DATA_DIR: `/tmp/lectern-bench-${Date.now()}`,
    LECTERN_SEED_DEMO: "false",
    LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000",
  };
  const a = new ServerProcess(await freePort(), env);
  try {
    await a.start();
    const runtimeKey = (await api(a, "POST", "/api/v1/api-keys", adminKey, { name: "bench", scope: "runtime" })).body
      .key as string;
    await api(a, "POST", "/api/v1/prompts", adminKey, { name: "bench-prompt", type: "text", template: "Hello" });
    await api(a, "POST", "/api/v1/prompts/bench-prompt/deployments", adminKey, {
      environment: "production",
      version: 1,
    });
    const report: Report = { results: {}, rows: [] };
    await underAttack(report, { a, b: a, env, adminKey, runtimeKey, quick: process.argv.includes("--quick") });
    console.log(table(report.rows));
    console.log(JSON.stringify(report.results, null, 1));
  } finally {
    await a.stop();
    await srv.drop();
  }
}
void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
