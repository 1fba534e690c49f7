// Shared by the release integration tests (lib/release/release.int.test.ts, rollback.int.test.ts): a fresh
// database per file with a seeded project, and helpers that make prompts and read their statuses and live
// versions there. The bindings below are assigned in beforeAll and read by the tests.
import type { TestDatabase } from "./db";
import * as fixtures from "./domain-fixtures";
import { projectDatabaseForFile, type Fixture } from "./domain-fixtures";

export let t: TestDatabase;
export let f: Fixture;

/** Registers this file's database and project `slug` (beforeAll / afterAll). */
export function withReleaseDatabase(slug: string): void {
  projectDatabaseForFile(slug, (db, fx) => {
    t = db;
    f = fx;
  });
}

export const promptWith = (name: string, versions: number, fx: Fixture = f) =>
  fixtures.promptWith(t.db, fx, name, versions);
export const statusOf = (name: string, fx: Fixture = f) => fixtures.statusesOf(t.db, fx, name);
export const live = (name: string, environment: string, fx: Fixture = f) =>
  fixtures.liveVersion(t.db, fx, name, environment);
