// The frame of the benches that measure one instance of the production build from outside (bench:slow-clients,
// bench:imports): a fresh PostgreSQL database (TEST_DATABASE_URL's server) and Redis (TEST_REDIS_URL), an
// `npm start` with a bootstrap admin key, the table and the numbers printed, and everything stopped after.
import { freePort, ServerProcess } from "../test/cluster/harness";
import { table, type Row } from "./report";
import { freshPostgres } from "./setup";

export const benchAdminKey = "lk_bench_admin_key_00000000000000000000000";

/** Runs `measure` against a fresh instance (`env` added to its settings), then prints what it returned. */
export function benchOneServer(
  name: string,
  env: Record<string, string>,
  measure: (server: ServerProcess) => Promise<{ rows: Row[]; results: Record<string, unknown> }>,
): void {
  const main = async () => {
    const srv = await freshPostgres(process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
    const server = new ServerProcess(await freePort(), {
      DATABASE_URL: srv.url,
      REDIS_URL: process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379",
      LECTERN_BOOTSTRAP_ADMIN_KEY: benchAdminKey,
      NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-1",
      LECTERN_DATA_DIR: `/tmp/lectern-bench-${name}-${Date.now()}`,
      LECTERN_SEED_DEMO: "false",
      ...env,
    });
    try {
      await server.start();
      const { rows, results } = await measure(server);
      console.log(table(rows));
      console.log(JSON.stringify({ at: new Date().toISOString(), ...results }, null, 1));
    } finally {
      await server.stop();
      await srv.drop();
    }
  };
  void main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
