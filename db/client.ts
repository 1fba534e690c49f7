// Opens the database: embedded PGlite (default) or PostgreSQL (when a URL is given), with the same
// Drizzle schema and the same committed migrations. Takes its settings as arguments, never from env.
import path from "node:path";
import { chmodSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { is, sql, type SQL } from "drizzle-orm";
import { PgTransaction, type PgDatabase, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Database {
  db: Db;
  kind: "pglite" | "postgres";
  close(): Promise<void>;
  ping(): Promise<void>;
  /**
   * Sessions of their own on the primary (`directUrl`), for what a pooler in transaction mode cannot carry:
   * migrations, the job queue, `LISTEN`, locks held across statements. Without a direct URL, `db` itself.
   */
  direct: Pick<Database, "db" | "kind">;
  /** A streaming replica for reads that tolerate lag (`readUrl`), or null: read the primary. */
  replica: Db | null;
}

export interface DatabaseOptions {
  /** postgres:// URL; when absent PGlite is used. */
  url?: string;
  /** PGlite data directory, or "memory://" for a throwaway in-memory database. */
  dataDir?: string;
  /** node-postgres pool size. */
  poolSize?: number;
  /** PostgreSQL only: a URL that reaches the primary without a pooler in transaction mode (see `Database.direct`). */
  directUrl?: string;
  /** PostgreSQL only: a streaming replica's URL (see `Database.replica`). */
  readUrl?: string;
  /**
   * PGlite only: start from this image of a data directory (PGlite's `dumpDataDir()`) instead of an
   * empty cluster; the integration tests start each file's database from one migrated image.
   */
  image?: Blob;
}

export const migrationsFolder = path.join(process.cwd(), "db", "migrations");

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.url) {
    const { Pool } = await import("pg");
    const { drizzle } = await import("drizzle-orm/node-postgres");
    const pools: import("pg").Pool[] = [];
    const open = (url: string, max: number) => {
      const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: 5000 });
      // An idle client losing its connection must not crash the process; the pool replaces it.
      pool.on("error", () => {});
      pools.push(pool);
      return drizzle({ client: pool, schema, casing: "snake_case" }) as unknown as Db;
    };
    const db = open(opts.url, opts.poolSize ?? 10);
    // The job queue and a listener or two: a few sessions are enough.
    const direct = opts.directUrl && opts.directUrl !== opts.url ? open(opts.directUrl, 5) : db;
    const replica = opts.readUrl ? open(opts.readUrl, opts.poolSize ?? 10) : null;
    return {
      db,
      kind: "postgres",
      direct: { db: direct, kind: "postgres" },
      replica,
      close: async () => {
        await Promise.all(pools.map((p) => p.end()));
      },
      ping: async () => {
        await db.execute(sql`select 1`);
      },
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  const dir = opts.dataDir ?? "memory://";
  if (!dir.startsWith("memory://")) privateDirectory(dir);
  const client = await PGlite.create({
    dataDir: dir.startsWith("memory://") ? undefined : dir,
    loadDataDir: opts.image,
  });
  if (!dir.startsWith("memory://")) privateDirectory(dir);
  const db = drizzle({ client, schema, casing: "snake_case" }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    direct: { db, kind: "pglite" },
    replica: null,
    close: async () => {
      await client.close();
      if (!dir.startsWith("memory://")) privateDirectory(dir);
    },
    ping: async () => {
      await db.execute(sql`select 1`);
    },
  };
}

/**
 * The embedded database's files hold every secret Lectern stores, and PGlite creates them 0666 (it
 * sets the mode itself, whatever the umask). The directory (and LECTERN_DATA_DIR above it, when this
 * creates it) is made 0700, so no other user can reach anything inside, and the files PGlite has
 * written lose their group and other bits when it opens and when it closes.
 */
function privateDirectory(dir: string) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const walk = (d: string) => {
    chmodSync(d, 0o700);
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        const mode = statSync(p).mode;
        if (mode & 0o077) chmodSync(p, mode & 0o700);
      }
    }
  };
  walk(dir);
}

/**
 * Applies every committed migration not yet applied (drizzle's migrator; idempotent). A test of one migration
 * passes a folder holding those before it.
 */
export async function migrateDatabase(
  database: Pick<Database, "db" | "kind"> & { direct?: Database["direct"] },
  folder = migrationsFolder,
) {
  if (database.kind === "postgres") {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    // On a session of its own: a pooler in transaction mode may not carry the migrator's statements.
    await migrate((database.direct ?? database).db as never, { migrationsFolder: folder });
  } else {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder: folder });
  }
}

/** Runs raw SQL and returns its rows (the two drivers wrap results differently). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * Whether `db` is a transaction. A transaction holds one connection, which runs one query at a time:
 * queries sent to it side by side queue in the driver (node-postgres deprecates that, and will refuse it)
 * and the savepoints of nested transactions run side by side would cross. Code that works side by side
 * does so only outside a transaction (`readTogether`, or a concurrency of 1).
 */
export function inTransaction(db: Db): boolean {
  // `is`, not `instanceof`: on `npm start` Lectern's server and Next's bundle each load their own copy of
  // drizzle-orm, and a transaction begun through one copy is no instance of the other copy's class.
  return is(db, PgTransaction);
}

type Results<T extends readonly (() => unknown)[]> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

/**
 * Runs independent reads: side by side on the pool, one after another inside a transaction (see
 * `inTransaction`). Each read is a function so that none starts before its turn.
 */
export async function readTogether<const T extends readonly (() => unknown)[]>(db: Db, reads: T): Promise<Results<T>> {
  if (!inTransaction(db)) return (await Promise.all(reads.map((r) => r()))) as Results<T>;
  const out: unknown[] = [];
  for (const read of reads) out.push(await read());
  return out as Results<T>;
}

/** `fn` over each item: side by side on the pool, one after another inside a transaction (`inTransaction`). */
export async function readEach<T, R>(db: Db, items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  if (!inTransaction(db)) return Promise.all(items.map(fn));
  const out: R[] = [];
  for (const item of items) out.push(await fn(item));
  return out;
}
