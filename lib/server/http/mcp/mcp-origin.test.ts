// The MCP server's Origin rule: its own origin, the listed ones, and no Origin at all pass; anything else,
// including a rebinding page's own name for 127.0.0.1 and the opaque "null" origin, does not.
import { describe, expect, it } from "vitest";
import { originCheck } from "./mcp-origin";

describe("originCheck", () => {
  const own = originCheck("http://localhost:3000", []);
  it.each([
    [null, true],
    ["http://localhost:3000", true],
    ["http://127.0.0.1:3000", true],
    ["http://[::1]:3000", true],
    ["http://localhost:3001", false],
    ["https://localhost:3000", false],
    ["http://evil.example.com", false],
    ["http://evil.example.com:3000", false],
    ["null", false],
    ["", false],
  ])("on a server at http://localhost:3000, Origin %s passes: %s", (origin, passes) => {
    expect(own(origin)).toBe(passes);
  });

  it("lets listed origins in, with default ports spelled or not, and * lets every origin in", () => {
    const listed = originCheck("https://lectern.example.com", ["https://app.example.com", "http://localhost:6274"]);
    expect(listed("https://lectern.example.com")).toBe(true);
    expect(listed("https://lectern.example.com:443")).toBe(true);
    expect(listed("https://app.example.com")).toBe(true);
    expect(listed("http://127.0.0.1:6274")).toBe(true);
    expect(listed("https://app.example.com.evil.io")).toBe(false);
    expect(listed("http://lectern.example.com")).toBe(false);
    expect(originCheck("https://lectern.example.com", "*")("http://anything.example")).toBe(true);
  });
});
