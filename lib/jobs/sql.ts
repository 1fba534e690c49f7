// Raw SQL over the database Lectern already opened: node-postgres (a pool) or embedded PGlite (one
// connection, every query and transaction serialised by PGlite's own mutex). pg-boss talks to the
// database only through `executeSql`, so both engines run the same queue.
import type { Pool, PoolClient } from "pg";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import { queryRows, type Database, type Db } from "../../db/client";

export type SqlRows<T = Record<string, unknown>> = { rows: T[] };

export interface SqlDriver {
  readonly kind: "pglite" | "postgres";
  /** One statement with $n parameters. */
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<SqlRows<T>>;
  /**
   * pg-boss's `db` adapter. Without parameters the text may hold several statements (pg-boss wraps
   * schema changes and maintenance in `BEGIN; …; COMMIT;`); if one fails, the transaction is rolled
   * back here, because a multi-statement string that fails after BEGIN leaves the session inside an
   * aborted transaction — on PGlite, the only session there is.
   */
  executeSql(text: string, values?: unknown[]): Promise<SqlRows>;
  /**
   * Takes the named lock if nobody holds it and returns its release, or null when it is taken.
   * PostgreSQL: `pg_try_advisory_xact_lock` in a transaction on a connection of its own, held until
   * release (or until the connection dies with its process). PGlite: advisory locks are re-entrant
   * for one session and PGlite has one session, so the lock lives in this process — which is the
   * only process that can open a PGlite data directory.
   */
  tryLock(name: string): Promise<(() => Promise<void>) | null>;
  /** Calls `onNotify` for each NOTIFY on the channel, and once after each reconnection (some may have been missed). */
  listen(channel: string, onNotify: () => void, onError?: (e: Error) => void): Promise<() => Promise<void>>;
}

const lockKey = "('x' || substr(md5($1), 1, 16))::bit(64)::bigint";
const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;
const last = (r: unknown): SqlRows => {
  const one = Array.isArray(r) ? r[r.length - 1] : r;
  return { ...(one as object), rows: (one as SqlRows | undefined)?.rows ?? [] };
};

/** The driver for a database opened by db/client.ts. */
export function sqlDriver(database: Pick<Database, "db" | "kind"> & { direct?: Database["direct"] }): SqlDriver {
  // Locks held across statements and LISTEN need a session: the direct URL's, when there is one.
  const client = ((database.direct ?? database).db as unknown as { $client: unknown }).$client;
  return database.kind === "postgres" ? postgresDriver(client as Pool) : pgliteDriver(client as PGlite);
}

export function postgresDriver(pool: Pool): SqlDriver {
  return {
    kind: "postgres",
    async query<T>(text: string, values?: unknown[]) {
      return (await pool.query(text, values)) as unknown as SqlRows<T>;
    },
    async executeSql(text, values) {
      if (values?.length) return last(await pool.query(text, values));
      const c = await pool.connect();
      try {
        return last(await c.query(text));
      } catch (e) {
        await c.query("ROLLBACK").catch(() => {});
        throw e;
      } finally {
        c.release();
      }
    },
    tryLock: (name) => tryPostgresLock(pool, name),
    listen: (channel, onNotify, onError) => listenPostgres(pool, channel, onNotify, onError),
  };
}

/** SqlDriver.tryLock on PostgreSQL: a transaction-scoped advisory lock on a connection held until release. */
async function tryPostgresLock(pool: Pool, name: string): Promise<(() => Promise<void>) | null> {
  const c = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => (broken = e);
  c.on("error", onError);
  const done = (err?: Error) => {
    c.off("error", onError);
    c.release(err ?? broken);
  };
  try {
    await c.query("BEGIN");
    const { rows } = await c.query(`SELECT pg_try_advisory_xact_lock(${lockKey}) AS ok`, [`lectern.lock:${name}`]);
    if (!rows[0]?.ok) {
      await c.query("ROLLBACK");
      done();
      return null;
    }
  } catch (e) {
    done(e as Error);
    throw e;
  }
  return async () => {
    try {
      await c.query("COMMIT");
      done();
    } catch (e) {
      done(e as Error);
    }
  };
}

/** SqlDriver.listen on PostgreSQL: a connection of its own, reconnected with backoff when it fails. */
async function listenPostgres(
  pool: Pool,
  channel: string,
  onNotify: () => void,
  onError?: (e: Error) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let current: PoolClient | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  const connect = async (): Promise<void> => {
    if (stopped) return;
    try {
      const c = await pool.connect();
      c.on("notification", (m) => {
        if (m.channel === channel) onNotify();
      });
      c.on("error", (e) => {
        onError?.(e);
        if (current === c) current = undefined;
        c.release(e);
        schedule();
      });
      await c.query(`LISTEN ${quoteIdent(channel)}`);
      current = c;
      if (failures > 0) onNotify();
      failures = 0;
    } catch (e) {
      onError?.(e as Error);
      schedule();
    }
  };
  const schedule = () => {
    if (stopped || retry) return;
    failures++;
    retry = setTimeout(
      () => {
        retry = undefined;
        void connect();
      },
      Math.min(30_000, 500 * 2 ** Math.min(failures, 6)),
    );
    retry.unref?.();
  };
  await connect();
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const c = current;
    current = undefined;
    if (c) {
      await c.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => {});
      c.release();
    }
  };
}

const LOCKS = Symbol.for("lectern.pgliteLocks");

export function pgliteDriver(client: PGlite): SqlDriver {
  const held: Set<string> = ((client as unknown as Record<symbol, Set<string>>)[LOCKS] ??= new Set());
  return {
    kind: "pglite",
    async query<T>(text: string, values?: unknown[]) {
      return (await client.query(text, values as never)) as unknown as SqlRows<T>;
    },
    async executeSql(text, values) {
      if (values?.length) return (await client.query(text, values as never)) as unknown as SqlRows;
      try {
        return last(await client.exec(text));
      } catch (e) {
        // Outside a transaction this is only a warning.
        await client.exec("ROLLBACK").catch(() => {});
        throw e;
      }
    },
    async tryLock(name) {
      if (held.has(name)) return null;
      held.add(name);
      return async () => {
        held.delete(name);
      };
    },
    async listen(channel, onNotify) {
      const unsubscribe = await client.listen(channel, () => onNotify());
      return async () => {
        await unsubscribe().catch(() => {});
      };
    },
  };
}

/**
 * Deletes the jobs of `job` with these singleton keys that have not started (created or
 * waiting for a retry), in the caller's transaction: what a job was about is gone (a dataset deleted
 * with its runs), and a job left behind would fail and retry ahead of real work for hours. Nothing to
 * do when the queue's tables do not exist yet (the queue never started on this database).
 */
export async function discardQueuedJobs(
  db: Db,
  job: { readonly name: string },
  singletonKeys: readonly string[],
): Promise<number> {
  const name = job.name;
  if (!singletonKeys.length) return 0;
  const [table] = await queryRows<{ t: string | null }>(db, sql`select to_regclass('pgboss.job')::text as t`);
  if (!table?.t) return 0;
  const gone = await queryRows<{ id: string }>(
    db,
    sql`delete from pgboss.job where name = ${name} and state in ('created', 'retry') and singleton_key in ${singletonKeys} returning id`,
  );
  return gone.length;
}
