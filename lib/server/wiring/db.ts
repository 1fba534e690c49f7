import "server-only";
import path from "node:path";
import { openDatabase, migrateDatabase, type Database, type Db } from "@/db/client";
import { replicaReader, type ReadSource } from "@/db/replica";
import { ensureEventPartitions } from "@/lib/ingest/retention";
import { bootstrap } from "@/lib/setup/bootstrap";
import { env } from "./env";
import { log } from "./log";
import { processStart } from "./singleton";

// One database per process (processSingleton): PGlite in particular must be opened once per data directory.

async function start(): Promise<Database> {
  const config = env();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    directUrl: config.DATABASE_DIRECT_URL,
    readUrl: config.DATABASE_READ_URL,
    dataDir: path.resolve(config.LECTERN_DATA_DIR, "pglite"),
  });
  await migrateDatabase(database);
  await ensureEventPartitions(database.direct.db);
  const result = await bootstrap(database.db, {
    seedDemo: config.LECTERN_SEED_DEMO,
    adminEmail: config.LECTERN_ADMIN_EMAIL,
    adminPassword: config.LECTERN_ADMIN_PASSWORD,
    bootstrapAdminKey: config.LECTERN_BOOTSTRAP_ADMIN_KEY,
  });
  log.info(
    `database ready (${database.kind}${database.kind === "pglite" ? ` at ${config.LECTERN_DATA_DIR}/pglite` : ""})`,
  );
  if (result.createdAdmin)
    console.log(
      `\n  Lectern admin created: ${result.createdAdmin.email} / ${result.createdAdmin.password}\n` +
        `  (set LECTERN_ADMIN_EMAIL and LECTERN_ADMIN_PASSWORD to choose them)\n`,
    );
  return database;
}

export function getDatabase(): Promise<Database> {
  return processStart("database", start);
}

let ready: Db | undefined;

export async function getDb(): Promise<Db> {
  ready ??= (await getDatabase()).db;
  return ready;
}

/** The database once it has opened, without an await (the hot path of every API request). */
export const readyDb = (): Db | undefined => ready;

let reader: (() => Promise<ReadSource>) | undefined;

/**
 * Where a read that tolerates lag goes (experiment results): the replica of DATABASE_READ_URL with how far behind
 * it is, or the primary. `maxLagSeconds` is how far behind a page may read before it says so.
 */
export async function getReadDb(): Promise<ReadSource & { maxLagSeconds: number }> {
  const database = await getDatabase();
  reader ??= replicaReader(database.db, database.replica, (e) =>
    log.warn(`read replica unavailable, reading the primary: ${e instanceof Error ? e.message : String(e)}`),
  );
  return { ...(await reader()), maxLagSeconds: env().LECTERN_READ_MAX_LAG_SECONDS };
}
