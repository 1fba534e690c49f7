// The session rules on Redis (TEST_REDIS_URL; the int:postgres tier): the same cases as the in-process store,
// through two stores on two connections, as two instances would share it.
import { randomBytes } from "node:crypto";
import { createClient, type RedisClientType } from "redis";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { testRedisUrl } from "../../test/db";
import { caseLimits, sessionCases } from "../../test/mcp-session-cases";
import { RedisStore } from "../runtime/redis-store";
import { ScriptedSessionStore } from "./session-script";

const url = testRedisUrl;
const clients: RedisClientType[] = [];
let prefix = "";

async function store() {
  const client = createClient({ url }) as RedisClientType;
  await client.connect();
  clients.push(client);
  return new ScriptedSessionStore(new RedisStore(client, url!), prefix, caseLimits);
}

beforeEach(() => {
  // Each case on an empty store of its own: the total (LECTERN_MCP_SESSIONS_MAX) counts every session in it.
  prefix = `test-${randomBytes(4).toString("hex")}:mcp:`;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.quit()));
});

let n = 0;
describe.skipIf(!url)("MCP sessions in Redis, shared by two instances", () => {
  sessionCases(
    async () => [await store(), await store()],
    () => String(++n),
  );

  it("refuses an unknown operation in words rather than guessing", async () => {
    const s = await store();
    await expect(
      (s as unknown as { run(op: string, now: number, id: string): Promise<unknown> }).run("nope", 0, "x"),
    ).rejects.toThrow(/unknown operation nope/);
  });
});
