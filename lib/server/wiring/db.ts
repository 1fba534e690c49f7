import "server-only";
import path from "node:path";
import { openDatabase, migrateDatabase, type Database, type Db } from "@/db/client";
import { replicaReader, type ReadSource } from "@/db/replica";
import { ensureEventPartitions } from "@/lib/ingest/retention";
import { env } from "./env";
import { log } from "./log";
import { processStart } from "./singleton";

// One database per process (processSingleton): PGlite in particular must be opened once per data directory.

/** What startup does to a database once it has migrated, before anything reads it (the bootstrap). */
export type PrepareDatabase = (database: Database) => Promise<void>;

async function start(prepare?: PrepareDatabase): Promise<Database> {
  const config = env();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    directUrl: config.DATABASE_DIRECT_URL,
    readUrl: config.DATABASE_READ_URL,
    dataDir: path.resolve(config.LECTERN_DATA_DIR, "pglite"),
  });
  await migrateDatabase(database);
  await ensureEventPartitions(database.direct.db);
  await prepare?.(database);
  log.info(
    `database ready (${database.kind}${database.kind === "pglite" ? ` at ${config.LECTERN_DATA_DIR}/pglite` : ""})`,
  );
  return database;
}

/**
 * Opens and migrates the process's database, then runs `prepare` on it, once: startup() passes the bootstrap
 * (lib/server/wiring/process/startup.ts), so that what the pages and routes import does not include the demo seed
 * and everything it uses (a third of what Next compiled for the sign-in route). Whoever calls first decides.
 */
export function startDatabase(prepare?: PrepareDatabase): Promise<Database> {
  return processStart("database", () => start(prepare));
}

/** The process's database, once startup has opened, migrated and bootstrapped it. */
export function getDatabase(): Promise<Database> {
  return startDatabase();
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
