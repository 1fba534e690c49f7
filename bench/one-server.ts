// The frame of the benches that measure one instance of the production build from outside (bench:slow-clients,
// bench:imports): a fresh PostgreSQL database (TEST_DATABASE_URL's server) and Redis (TEST_REDIS_URL), an
// `npm start` with a bootstrap admin key, the table and the numbers printed, and everything stopped after.
import { api, freePort, ServerProcess } from "../test/cluster/harness";
import { table, type Row } from "./report";
import { freshPostgres } from "./setup";

export const benchAdminKey = "lk_bench_admin_key_00000000000000000000000";

/** The settings of a bench instance: its database and Redis, the bootstrap admin key, no demo, `extra` added. */
export function benchEnv(
  o: { database: string; redis?: string; dataDir: string; adminKey?: string },
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATABASE_URL: o.database,
    REDIS_URL: o.redis ?? (process.env.TEST_REDIS_URL || "redis://127.0.0.1:6379"),
    LECTERN_BOOTSTRAP_ADMIN_KEY: o.adminKey ?? benchAdminKey,
    NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-1",
    LECTERN_DATA_DIR: `/tmp/${o.dataDir}-${Date.now()}`,
    LECTERN_SEED_DEMO: "false",
    ...extra,
  };
}

/** The text prompt the HTTP benches resolve: "bench-prompt", version 1 live in production. */
export const benchPrompt = {
  name: "bench-prompt",
  type: "text",
  template: "Hello {{name}}",
  variables: [{ name: "name" }],
};

/**
 * Through the API of a started instance: a runtime key named `keyName`, `prompt` (benchPrompt unless named) with
 * `moreTemplates` as further versions, and its version 1 deployed to production; a call refused stops the bench.
 * Returns the runtime key.
 */
export async function seedBenchPrompt(
  server: { url: string },
  adminKey: string,
  o: { keyName?: string; prompt?: { name: string } & Record<string, unknown>; moreTemplates?: string[] } = {},
): Promise<string> {
  const ok = async (path: string, body: unknown) => {
    const r = await api(server, "POST", path, adminKey, body);
    if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const prompt = o.prompt ?? benchPrompt;
  const at = `/api/v1/prompts/${encodeURIComponent(prompt.name)}`;
  const runtimeKey = (await ok("/api/v1/api-keys", { name: o.keyName ?? "bench", scope: "runtime" })).key as string;
  await ok("/api/v1/prompts", prompt);
  for (const template of o.moreTemplates ?? []) await ok(`${at}/versions`, { template });
  await ok(`${at}/deployments`, { environment: "production", version: 1 });
  return runtimeKey;
}

/** Runs `measure` against a fresh instance (`env` added to its settings), then prints what it returned. */
export function benchOneServer(
  name: string,
  env: Record<string, string>,
  measure: (server: ServerProcess) => Promise<{ rows: Row[]; results: Record<string, unknown> }>,
): void {
  const main = async () => {
    const srv = await freshPostgres(process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres");
    const server = new ServerProcess(
      await freePort(),
      benchEnv({ database: srv.url, dataDir: `lectern-bench-${name}` }, env),
    );
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
