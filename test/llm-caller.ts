// Shared setup for the lib/llm integration tests: one local model server per test file, reset before
// each test, and callers whose backoff sleeps are recorded instead of waited for.
import { BlockList } from "node:net";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { createModelCaller, type Clock, type ModelCallerOptions } from "../lib/llm/model-caller";
import type { ConnectionInput } from "../lib/llm/connection";
import { startLlmServer, type LlmServer } from "./llm-server";

export function recordingClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => performance.now(), sleep: async (ms) => void sleeps.push(ms) };
}

export const testPrices = { "scripted-model": { inputPerMTok: 2, outputPerMTok: 8 } };

/** Registers the hooks and returns a getter for the file's server. */
export function withLlmServer(): () => LlmServer {
  let server: LlmServer | undefined;
  beforeAll(async () => {
    server = await startLlmServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    server!.script({});
    // A request the previous test abandoned (hang, abort) is only dropped once its socket closes.
    await expect.poll(() => server!.inFlight).toBe(0);
    server!.reset();
  });
  return () => server!;
}

/** A caller on the server (OpenAI-compatible unless overridden) with a recording clock and random() = 0.5. */
export function localCaller(server: LlmServer, conn: Partial<ConnectionInput> = {}, opts: ModelCallerOptions = {}) {
  const clock = recordingClock();
  const c = createModelCaller(
    { id: "local", name: "Local", provider: "openai-compatible", baseUrl: server.baseUrl, ...conn },
    { prices: testPrices, clock, random: () => 0.5, ...opts },
  );
  return Object.assign(c, { sleeps: clock.sleeps });
}

export const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "scripted-model",
  messages: [{ role: "user" as const, content }],
  ...extra,
});

/** The private addresses the tests' local servers listen on (127.0.0.1 only), as LECTERN_CONNECTIONS_ALLOW_PRIVATE would list them. */
export function loopbackOnly(): BlockList {
  const list = new BlockList();
  list.addAddress("127.0.0.1", "ipv4");
  return list;
}
