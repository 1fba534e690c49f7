// `npx tsx bench/attack.ts`: the section of `npm run bench` that measures resolve while OTLP and batch resolve are
// pushed to their limits (run-attack.ts), alone: one instance of the production build on PostgreSQL + Redis at
// 127.0.0.1 (TEST_DATABASE_URL / TEST_REDIS_URL override). Prints the table and the numbers; asserts nothing.
import { freePort, ServerProcess } from "../test/cluster/harness";
import { benchAdminKey, benchEnv, seedBenchPrompt } from "./one-server";
import { table, type Report } from "./report";
import { underAttack } from "./run-attack";
import { freshPostgres } from "./setup";

async function main() {
  const srv = await freshPostgres(process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
  const adminKey = benchAdminKey;
  const env = benchEnv(
    { database: srv.url, dataDir: "lectern-bench" },
    { LECTERN_MAX_CONNECTIONS_PER_ADDRESS: "10000" },
  );
  const a = new ServerProcess(await freePort(), env);
  try {
    await a.start();
    const runtimeKey = await seedBenchPrompt(a, adminKey, {
      prompt: { name: "bench-prompt", type: "text", template: "Hello" },
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
