// Integration-test databases: a fresh in-memory PGlite per test file by default, or, when
// TEST_DATABASE_URL is set, a fresh PostgreSQL database per file (created and dropped here). Both start
// from the run's migrated template (test/int-setup.ts), so a file does not migrate its own.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { Client } from "pg";
import { inject } from "vitest";
import { migrateDatabase, openDatabase, type Database } from "../db/client";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const testRedisUrl = process.env.TEST_REDIS_URL || undefined;

export type TestDatabase = Database & { url?: string; drop(): Promise<void> };

let image: Blob | undefined;

/** A fresh migrated database; with `empty`, one with no migration applied (to test a migration itself). */
export async function createTestDatabase(opts: { empty?: boolean } = {}): Promise<TestDatabase> {
  const template = opts.empty ? undefined : inject("lecternTemplate");
  if (!testDatabaseUrl) {
    if (template?.kind === "pglite") image ??= new Blob([readFileSync(template.file)]);
    const database = await openDatabase({ dataDir: "memory://", image: template && image });
    // Applies nothing when started from the template; checks that it is current all the same.
    if (!opts.empty) await migrateDatabase(database);
    return { ...database, drop: () => database.close() };
  }
  const name = `lectern_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}${template?.kind === "postgres" ? ` template ${template.name}` : ""}`);
  await admin.end();
  const url = new URL(testDatabaseUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ url: url.toString(), poolSize: 40 });
  refuseConcurrentQueries(database);
  if (!opts.empty) await migrateDatabase(database);
  return {
    ...database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      const c = new Client({ connectionString: testDatabaseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

type PgClient = {
  query: (...args: unknown[]) => unknown;
  _activeQuery?: unknown;
  _queryQueue?: unknown[];
};

/**
 * A connection runs one query at a time. Two sent to one at once (code running reads side by side inside a
 * transaction) queue in node-postgres, which warns once per process and will refuse them in pg@9: here
 * the second one fails the test, with the statements that met.
 */
function refuseConcurrentQueries(database: Database) {
  const pool = (database.db as unknown as { $client: { on(e: "connect", f: (c: PgClient) => void): void } }).$client;
  pool.on("connect", (client) => {
    const query = client.query;
    client.query = function (this: PgClient, ...args: unknown[]) {
      const text = (q: unknown) => String(typeof q === "string" ? q : (q as { text?: string } | undefined)?.text);
      // The rollback that follows such a failure waits its turn, as it must.
      if ((this._activeQuery || this._queryQueue?.length) && text(args[0]) !== "rollback") {
        throw new Error(
          `Two queries at once on one connection (inside a transaction?): ${text(args[0]).slice(0, 160)} while ${text(this._activeQuery).slice(0, 160)} runs`,
        );
      }
      return query.apply(this, args);
    };
  });
}
