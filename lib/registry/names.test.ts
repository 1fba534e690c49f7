import { describe, it, expect } from "vitest";
import { isPromptName, promptNameMessage, promptNameSchema } from "./names";

describe("promptNameSchema", () => {
  it.each([
    "a",
    "greeting",
    "support/greeting",
    "support/billing/refund-v2",
    "snake_case_name",
    "0-starts-with-digit",
    "x".repeat(100),
  ])("accepts %s", (name) => {
    expect(promptNameSchema.safeParse(name).success).toBe(true);
  });

  it.each([
    ["empty", ""],
    ["too long", "x".repeat(101)],
    ["uppercase", "Greeting"],
    ["space", "my prompt"],
    ["dot", "a.b"],
    ["leading slash", "/a"],
    ["trailing slash", "a/"],
    ["double slash", "a//b"],
    ["only slash", "/"],
    ["unicode", "café"],
    ["not a string", 42],
  ])("rejects %s", (_label, name) => {
    const result = promptNameSchema.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(promptNameMessage);
  });

  it("isPromptName mirrors the schema", () => {
    expect(isPromptName("a/b")).toBe(true);
    expect(isPromptName("a//b")).toBe(false);
  });
});
