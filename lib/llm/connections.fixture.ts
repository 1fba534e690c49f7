// Shared setup of the model-connection integration tests (connections-*.int.test.ts, resolver,
// project prices, playground): a database with two projects, the local model server, and a resolver
// allowed to reach it. Call setUpConnections() at the top of a test file; the bindings below are
// live, set by its hooks.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { queryRows } from "../../db/client";
import { createTestDatabase, type TestDatabase } from "../../test/db";
import { seedProject, type Fixture } from "../../test/domain-fixtures";
import { loopbackOnly, recordingClock, withLlmServer } from "../../test/llm-caller";
import type { LlmServer } from "../../test/llm-server";
import { createConnection, updateConnection } from "./connections";
import type { CachedCallers } from "./connections/rows";
import { createCallerResolver } from "./resolver";

export let t: TestDatabase;
export let fx: Fixture;
export let other: Fixture;
export let server: () => LlmServer;
export const key = randomBytes(32);
// The local model server listens on loopback: allowed by address, as an operator allows a local Ollama.
export const allow = { allowPrivate: loopbackOnly() };
export const resolver = () =>
  createCallerResolver({
    encryptionKey: () => key,
    ...allow,
    maxResponseBytes: 1 << 20,
    callerOptions: { clock: recordingClock(), random: () => 0.5 },
  });

export function setUpConnections() {
  server = withLlmServer();
  beforeAll(async () => {
    t = await createTestDatabase();
    fx = await seedProject(t.db, "conn");
    other = await seedProject(t.db, "conn-other");
  });
  afterAll(async () => {
    await t.drop();
  });
}

export const count = async () =>
  (await queryRows<{ n: number }>(t.db, sql`select count(*)::int as n from model_connections`))[0]!.n;
export const local = (over: Record<string, unknown> = {}) => ({
  name: `local-${randomBytes(3).toString("hex")}`,
  provider: "openai-compatible",
  baseUrl: server().baseUrl,
  ...over,
});
/** Creates a connection in p's project (fx's unless said) as its admin, with the key, allowed to reach the server. */
export const createIn = (input: unknown, p: Fixture = fx) => createConnection(p.ctx(p.admin), input, key, allow);
/** Changes a connection of fx's project as its admin, with the key, allowed to reach the server. */
export const updateIn = (id: string, input: unknown, callers?: CachedCallers) =>
  updateConnection(fx.ctx(fx.admin), id, input, key, allow, callers);
