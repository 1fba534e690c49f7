// Shared by the accounts integration tests (lib/auth/*.int.test.ts): a fresh database per file, the
// system actor, sign-in limits, and helpers that return the AppError a call fails with. The database
// binding is assigned in beforeAll and read by the tests.
import { afterAll, beforeAll } from "vitest";
import type { Actor } from "../lib/auth/permissions";
import type { SigninLimits } from "../lib/auth/signin-limits";
import { createTestDatabase, type TestDatabase } from "./db";

export let t: TestDatabase;

/** Registers this file's database (beforeAll / afterAll). */
export function withAuthDatabase(): void {
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => t.drop());
}

export const system: Actor = { type: "system", label: "test" };
export const limits: SigninLimits = {
  ipFailures: 3,
  accountFreeFailures: 5,
  windowSeconds: 60,
  maxBackoffSeconds: 900,
};

export { code, failure } from "./domain-fixtures";
