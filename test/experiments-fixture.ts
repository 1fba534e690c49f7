// Shared by the experiments' integration tests (lib/experiments/*.int.test.ts): a fresh database per
// file with a seeded project, and helpers that put a prompt live and define an experiment on it. The
// bindings below are assigned in beforeAll and read by the tests.
import { sql } from "drizzle-orm";
import { queryRows } from "../db/client";
import { promote } from "../lib/release/promote";
import type { TestDatabase } from "./db";
import * as fixtures from "./domain-fixtures";
import { projectDatabaseForFile, type Fixture } from "./domain-fixtures";

export let t: TestDatabase;
export let f: Fixture;

/** Registers this file's database and project (beforeAll / afterAll). */
export function withExperimentsDatabase(slug: string): void {
  projectDatabaseForFile(slug, (db, fx) => {
    t = db;
    f = fx;
  });
}

/** A prompt whose version 1 the environment serves: an experiment's control is what the environment serves. */
export async function servedPrompt(name: string, versions: number, environment = "staging") {
  const prompt = await fixtures.promptWith(t.db, f, name, versions);
  await promote(f.ctx(f.approver), name, { environment, version: 1 });
  return prompt;
}

export const count = async (table: string) =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]!.n;
export const base = (prompt: string, extra: Record<string, unknown> = {}) => ({
  prompt,
  environment: "staging",
  name: `Test ${prompt}`,
  variants: [
    { key: "A", version: 1, weight: 0.5 },
    { key: "B", version: 2, weight: 0.5 },
  ],
  mode: "sequential" as const,
  primaryMetric: { name: "thumbs", kind: "binary" as const },
  ...extra,
});

/** A seeded pseudo-random generator (mulberry32), for event streams that are the same on every run. */
export function mulberry(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
