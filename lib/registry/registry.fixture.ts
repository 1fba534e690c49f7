// Shared setup of the registry integration tests (version-integrity, create-prompt, edit-version,
// partials): a database with one project, text content, and row counts. Call setUpRegistry() at the top
// of a test file; the bindings below are live, set by its hooks.
import { afterAll, beforeAll, expect } from "vitest";
import type { AppError } from "../errors";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { count, failure, seedProject, type Fixture } from "../../test/domain-fixtures";

export let t: TestDatabase;
export let f: Fixture;

export function setUpRegistry() {
  beforeAll(async () => {
    t = await createTestDatabase();
    f = await seedProject(t.db, "registry");
  });
  afterAll(async () => t.drop());
}

export const text = (
  template: string,
  variables: { name: string; type?: "string" | "number" | "boolean" | "json" }[] = [],
) => ({ type: "text", template, variables });

export async function counts() {
  return {
    prompts: await count(t.db, "prompts"),
    versions: await count(t.db, "prompt_versions"),
    audit: await count(t.db, "audit_log"),
  };
}

/** The AppError `call` rejects with, once it is checked to have written nothing (the counts are as before). */
export async function refusedUnwritten(call: () => Promise<unknown>): Promise<AppError> {
  const before = await counts();
  const err = await failure(call());
  expect(await counts()).toEqual(before);
  return err;
}
