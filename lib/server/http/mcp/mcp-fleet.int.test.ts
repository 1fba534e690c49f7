// A fleet of long-lived MCP clients (the official TypeScript SDK, which does not initialize again after a 404) on
// one API key, past the key's cap (20 here): a new session ends only an idle one (no request for the active
// window), the longest idle first, and never an active one; the active ones keep working, each calling every
// second for a minute with no failure; with every session active, one more is refused 429 with Retry-After and a
// JSON-RPC error naming the cap and its settings, and after Retry-After (the clients idle meanwhile) it opens.
// Time is the test's: every request carries the clock (mcp-int-setup.ts), so nothing here waits.
import { describe, expect, it, vi } from "vitest";
import {
  ACTIVE_SECONDS,
  clock,
  connect,
  keys,
  PER_KEY,
  rawInitialize,
  rawPost,
  setUpMcp,
  wiring,
} from "./mcp-int-setup";

vi.mock("../../wiring/db", () => wiring.db);
vi.mock("../../wiring/env", (original) => wiring.env(original));

setUpMcp("mcp-fleet");

const initialize = () => rawPost(keys.runtime, rawInitialize(7));

const call = (c: Awaited<ReturnType<typeof connect>>) => c.getPrompt({ name: "tone", arguments: { mood: "calm" } });

describe("an MCP fleet on one key", () => {
  it("ends only idle sessions for newcomers, keeps every active one working, and refuses one more when all are active", async () => {
    const fleet = [];
    for (let i = 0; i < PER_KEY; i++) fleet.push(await connect(keys.runtime));
    // A window later, half of the fleet is still at work; the other half has gone quiet (idle, not ended).
    clock.now += (ACTIVE_SECONDS + 1) * 1000;
    for (const c of fleet.slice(10)) await call(c);
    // Five more clients join: each ends one idle session, the longest idle first.
    for (let i = 0; i < 5; i++) fleet.push(await connect(keys.runtime));
    for (const c of fleet.slice(0, 5))
      await expect(call(c)).rejects.toThrow(
        /not_found.*longest idle .*LECTERN_MCP_SESSION_ACTIVE_SECONDS.*a key holds at most 20: LECTERN_MCP_SESSIONS_PER_KEY/,
      );
    // The 20 left (the quiet ones too, back at work) each call every second for a minute: no failure.
    const working = fleet.slice(5);
    let failures = 0;
    for (let second = 0; second < 60; second++) {
      clock.now += 1000;
      const answers = await Promise.allSettled(working.map(call));
      failures += answers.filter((a) => a.status === "rejected").length;
    }
    expect(failures).toBe(0);

    // Every session is active: the 26th client is refused, and nothing of the fleet ends.
    await expect(connect(keys.runtime)).rejects.toMatchObject({
      code: 429,
      message: expect.stringMatching(/a key holds at most 20: LECTERN_MCP_SESSIONS_PER_KEY.*"rate_limited"/),
    });
    const refused = await initialize();
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe(String(ACTIVE_SECONDS + 1));
    const body = (await refused.json()) as { jsonrpc: string; id: number; error: Record<string, unknown> };
    expect(body).toMatchObject({
      jsonrpc: "2.0",
      id: 7,
      error: {
        code: -32000,
        data: { code: "rate_limited", limit: "perKey", setting: "LECTERN_MCP_SESSIONS_PER_KEY", max: 20 },
      },
    });
    expect(body.error.message).toMatch(/a key holds at most 20: LECTERN_MCP_SESSIONS_PER_KEY/);
    expect(body.error.message).toMatch(/LECTERN_MCP_SESSION_ACTIVE_SECONDS/);
    for (const c of working) await call(c);

    // After Retry-After, with only the last five still at work, a newcomer opens in the longest-idle one's place.
    clock.now += (ACTIVE_SECONDS + 1) * 1000;
    for (const c of working.slice(-5)) await call(c);
    const late = await connect(keys.runtime);
    expect((await call(late)).messages).toEqual([{ role: "user", content: { type: "text", text: "Be calm." } }]);
    await expect(call(working[0]!)).rejects.toThrow(/not_found.*LECTERN_MCP_SESSIONS_PER_KEY/);
    for (const c of working.slice(-5)) await call(c);
  });
});
