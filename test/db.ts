// Integration-test databases: a fresh in-memory PGlite per test file by default, or, when
// TEST_DATABASE_URL is set, a fresh PostgreSQL database per file (created and dropped here).
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { migrateDatabase, openDatabase, type Database } from "../db/client";

export const testDatabaseUrl = process.env.TEST_DATABASE_URL || undefined;
export const testRedisUrl = process.env.TEST_REDIS_URL || undefined;

export type TestDatabase = Database & { url?: string; drop(): Promise<void> };

export async function createTestDatabase(): Promise<TestDatabase> {
  if (!testDatabaseUrl) {
    const database = await openDatabase({ dataDir: "memory://" });
    await migrateDatabase(database);
    return { ...database, drop: () => database.close() };
  }
  const name = `lectern_test_${randomBytes(6).toString("hex")}`;
  const admin = new Client({ connectionString: testDatabaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
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
