// Shared by the LangSmith and PromptLayer importers' integration tests (lib/compat/langsmith/import.int.test.ts,
// lib/compat/promptlayer/import.int.test.ts): a fresh database per file with a seeded project and an environment
// that needs a review, a local server speaking the other system's REST API, and a run of the importer against it.
// The bindings below are assigned in beforeAll and read by the tests.
import { expect } from "vitest";
import type { DomainContext } from "../lib/context";
import type { ForeignImportReport } from "../lib/compat/import";
import type { Fetcher } from "../lib/registry/import-source";
import { getPrompt } from "../lib/registry/prompts";
import { listVersionRows } from "../lib/registry/versions";
import { createEnvironment } from "../lib/release/environments";
import { loadResolved } from "../lib/runtime/load";
import type { TestDatabase } from "./db";
import { projectDatabaseForFile, type Fixture } from "./domain-fixtures";

/** A local server answering as the other system does, for the key it holds. */
export interface KeyedServer {
  readonly key: string;
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type Importer = (
  ctx: DomainContext,
  input: { url: string; apiKey: string; dryRun: boolean; folder?: string },
  opts: { fetcher: Fetcher },
) => Promise<ForeignImportReport>;

export let t: TestDatabase;
export let f: Fixture;
let server: KeyedServer;
let importer: Importer;

/** Registers this file's database, project `slug`, "guarded" environment and server (beforeAll / afterAll); gives
 * the import run and the report's lookup. */
export function withForeignImport(slug: string, source: KeyedServer, importWith: Importer) {
  server = source;
  importer = importWith;
  projectDatabaseForFile(
    slug,
    async (db, fx) => {
      t = db;
      f = fx;
      await server.start();
      await createEnvironment(f.ctx(f.admin), { name: "guarded", requiresReview: true });
    },
    () => server.stop(),
  );
  return { run, byName };
}

/** An import by the project's admin from the server (its own key unless another is given). */
export const run = (opts: { dryRun?: boolean; folder?: string; apiKey?: string } = {}) =>
  importer(
    f.ctx(f.admin),
    { url: server.url, apiKey: opts.apiKey ?? server.key, dryRun: opts.dryRun ?? false, folder: opts.folder },
    { fetcher: fetch },
  );
export const byName = (r: ForeignImportReport, name: string) => r.prompts.find((p) => p.name === name)!;

/** What both servers hold as support/reply's first version, as Lectern stores it once imported. */
export const firstReply = {
  type: "chat",
  template: [
    { role: "system", content: "You are {{company}}'s agent." },
    { role: "user", content: "{{question}}" },
  ],
  config: { provider: "openai", model: "gpt-4o", temperature: 0.2, maxTokens: 300 },
};

/** An imported prompt and its versions, oldest first. */
export async function versionsOf(name: string) {
  const prompt = await getPrompt(t.db, f.projectId, name);
  return { prompt, versions: (await listVersionRows(t.db, prompt, { order: "asc" })).map((v) => v.version) };
}

/** A second run: it creates nothing, and reports support/reply's label for "guarded" (sourceId) without moving it. */
export async function expectRerunIdle(sourceId: string, unchanged: (outcome: string) => boolean) {
  const r = await run();
  expect(r.totals).toMatchObject({ imported: 0, versions: 0, labels: 0 });
  expect(r.prompts.every((p) => unchanged(p.outcome))).toBe(true);
  expect(byName(r, "support/reply").wasLiveIn).toContainEqual(expect.objectContaining({ label: "guarded", sourceId }));
  await expect(loadResolved(t.db, f.projectId, "support/reply", "guarded")).rejects.toThrow(
    /Nothing of support\/reply is live/,
  );
}
