// Shared by the online-evaluation integration tests (lib/evaluation/online/*.int.test.ts): a fresh
// database per file with a seeded project, the local model server, and helpers that send generation
// events and put prompts live. The bindings below are assigned in beforeAll and read by the tests.
import { sql } from "drizzle-orm";
import { beforeEach, expect } from "vitest";
import { queryRows } from "../db/client";
import { ingestEvents } from "../lib/ingest/ingest";
import type { LoopDecision } from "../lib/evaluation/online/loop/loop";
import type { OnlineEvalInput } from "../lib/evaluation/online/rules";
import { createPrompt } from "../lib/registry/prompts";
import { createVersion } from "../lib/registry/versions";
import { promoteVersion } from "../lib/release/promote";
import type { TestDatabase } from "./db";
import * as fixtures from "./domain-fixtures";
import { projectDatabaseForFile, type Fixture } from "./domain-fixtures";
import { startLlmServer, type LlmServer, type Script } from "./llm-server";

export let t: TestDatabase;
export let f: Fixture;
export let server: LlmServer;

/** Registers this file's database, project and model server (beforeAll / afterAll). */
export function withOnlineDatabase(slug: string): void {
  projectDatabaseForFile(
    slug,
    async (db, fx) => {
      t = db;
      f = fx;
      server = await startLlmServer();
    },
    () => server.stop(),
  );
}

/** Before each test of the block: the model server starts afresh and answers by `script`. */
export function scriptEachTest(script: Script): void {
  beforeEach(() => {
    server.reset();
    server.script(script);
  });
}

export const count = async (table: string, where = sql`true`) =>
  (
    await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from ${sql.identifier(table)} where ${where}`)
  )[0]!.n;

// A rule that samples everything and scores "does the reply thank the customer", with small windows.
export const rule = (extra: Partial<OnlineEvalInput> = {}): OnlineEvalInput => ({
  environment: "staging",
  sampleRate: 1,
  scorers: [{ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }],
  signals: [],
  window: 200,
  minSamples: 20,
  alert: { maxDrop: 0.1 },
  rollback: { enabled: true, maxDrop: 0.3, cooldownMinutes: 60 },
  ...extra,
});

let seq = 0;
/** A number never handed out before in this file (unique event ids and subjects). */
export const nextSeq = () => ++seq;
/** n generation events for a version: the first `good` thank the customer, the rest do not. */
export async function generations(
  prompt: string,
  version: number,
  n: number,
  good: number,
  environment = "staging",
  at?: Date,
  /** The composition's partials the event names (`name@version,…`), when it names one. */
  partials?: string,
) {
  const events = Array.from({ length: n }, (_, i) => ({
    ...(partials !== undefined ? { partials } : {}),
    id: `gen-${prompt}-${++seq}`,
    type: "generation",
    prompt,
    version,
    environment,
    subject: `user-${seq}`,
    latencyMs: 100,
    ...(at ? { at: at.toISOString() } : {}),
    input: { customer: "Ana" },
    output: i < good ? "Thank you for waiting, Ana. Your refund is on its way." : "Your refund is on its way.",
  }));
  const r = await ingestEvents(t.db, f.projectId, { events });
  expect(r.accepted).toBe(n);
}

export const decisionFor = (ds: LoopDecision[], prompt: string) => ds.find((d) => d.prompt === prompt)!;

export async function promptLiveIn(name: string, versions: number, live: number) {
  await fixtures.promptWith(t.db, f, name, versions);
  await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: live });
}

/** A pairwise judge of shadow candidates that prefers the reply thanking the customer. */
export const thanksJudge = {
  type: "llm_judge",
  name: "preference",
  mode: "pairwise",
  model: "judge-1",
  rubric: "The reply should thank the customer for waiting.",
};

/** A partial `name`: v1 `first`, live in staging, and v2 `second`. */
export async function partialLiveIn(name: string, first: string, second: string) {
  await createPrompt(f.ctx(f.editor), { name, type: "text", template: first });
  await createVersion(f.ctx(f.editor), name, { template: second });
  await promoteVersion(f.ctx(f.approver), name, { environment: "staging", version: 1 });
}
