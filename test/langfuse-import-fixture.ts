// Shared by the Langfuse importer's integration tests (lib/langfuse/import.int.test.ts,
// import-bulk.int.test.ts): a fresh database per file with a seeded project, a local server answering
// with recorded Langfuse answers (./langfuse-server.ts), and a run of the importer against it. The
// bindings below are assigned in beforeAll and read by the tests.
import { importFromLangfuse, type ImportReport } from "../lib/langfuse/import";
import type { TestDatabase } from "./db";
import { projectDatabaseForFile, type Fixture } from "./domain-fixtures";
import { LangfuseServer } from "./langfuse-server";

export let t: TestDatabase;
export let f: Fixture;
export let lf: LangfuseServer;

/** Registers this file's database, project `slug` and Langfuse server (beforeAll / afterAll). */
export function withLangfuseImport(slug: string): void {
  projectDatabaseForFile(
    slug,
    async (db, fx) => {
      t = db;
      f = fx;
      lf = new LangfuseServer();
      await lf.start();
    },
    () => lf.stop(),
  );
}

/** The Langfuse server as the importer's source. */
export const source = () => ({ url: lf.url, publicKey: lf.publicKey, secretKey: lf.secretKey });
/** An import by the project's admin from the Langfuse server. */
export const run = (opts: { dryRun?: boolean } = {}) =>
  importFromLangfuse(f.ctx(f.admin), source(), { fetcher: fetch, ...opts });
export const byName = (r: ImportReport, name: string) => r.prompts.find((p) => p.name === name)!;
