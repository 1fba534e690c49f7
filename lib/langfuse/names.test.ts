import { describe, expect, it } from "vitest";
import { langfuseCreateBody } from "./mapping";

// Langfuse's PromptNameSchema's own messages (packages/shared/src/features/prompts/validation.ts, read at
// commit 6275144), which its server tests look for in the answer's issues.
describe("names on the Langfuse-compatible create: Langfuse's checks and words", () => {
  const issues = (name: unknown) => {
    const r = langfuseCreateBody.safeParse({ name, prompt: "test prompt", type: "text" });
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  it.each([
    ["/invalid-name", "Name cannot start with a slash"],
    ["invalid-name/", "Name cannot end with a slash"],
    ["invalid//name", "Name cannot contain consecutive slashes"],
    ["invalid|name", "Prompt name cannot contain '|' character"],
    ["new", "Prompt name cannot be 'new'"],
    ["metrics", "Prompt name cannot be 'metrics'"],
    ["", "Text cannot be empty"],
    ["   ", "Name cannot be empty"],
    ["Test <div>", "Text cannot contain HTML tags"],
  ])("%j → %s", (name, message) => {
    expect(issues(name)).toContain(message);
  });

  it("trims as Langfuse does, then holds Lectern's own rule", () => {
    expect(langfuseCreateBody.parse({ name: "  a/b  ", prompt: "x" }).name).toBe("a/b");
    expect(issues("a\u0001b")).toEqual(["name cannot contain control characters"]);
    expect(issues("a/../b")[0]).toMatch(/'\.' or '\.\.'/);
    expect(issues("x".repeat(256))).toEqual(["name must be at most 255 characters"]);
    expect(issues(7)).toEqual(["name must be a string"]);
  });
});
