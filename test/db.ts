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

export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject("lecternTemplate");
  if (!testDatabaseUrl) {
    if (template?.kind === "pglite") image ??= new Blob([readFileSync(template.file)]);
    const database = await openDatabase({ dataDir: "memory://", image });
    // Applies nothing when started from the template; checks that it is current all the same.
    await migrateDatabase(database);
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
  await migrateDatabase(database);
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
