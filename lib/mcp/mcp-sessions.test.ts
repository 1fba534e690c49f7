// The session rules on the in-process store (the same cases run on Redis: session-script.int.test.ts), and the
// session id's own reading.
import { describe, expect, it } from "vitest";
import { caseLimits, sessionCases } from "../../test/mcp-session-cases";
import { MemorySessionStore, newSessionId, readSessionId } from "./mcp-sessions";

let n = 0;
describe("MCP sessions in one process", () => {
  sessionCases(
    async () => {
      const store = new MemorySessionStore(caseLimits);
      return [store, store];
    },
    () => String(++n),
  );
});

describe("session ids", () => {
  it("say the key and environment they were made for, and nothing else reads as one", () => {
    const id = newSessionId("key-1", "staging");
    expect(id).toMatch(/^[\x21-\x7e]+$/);
    expect(readSessionId(id)).toEqual({ keyId: "key-1", environment: "staging" });
    expect(newSessionId("key-1", "staging")).not.toBe(id);
    for (const bad of ["", "a.b", "a.b.c.d", "a.b.c d", "a.b.", "../x.y.z"]) expect(readSessionId(bad)).toBeNull();
  });
});
