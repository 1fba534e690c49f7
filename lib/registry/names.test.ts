import { describe, it, expect } from "vitest";
import { createPromptInput } from "./prompts";
import { decodePromptPath, encodePromptName, isPromptName, newPromptNameProblem, promptNameSchema } from "./names";

describe("promptNameSchema: Langfuse's rule", () => {
  // Langfuse's own lists (its server tests of POST /api/public/v2/prompts and its JS SDK's names).
  it.each([
    "a",
    "greeting",
    "support/greeting",
    "simple-name",
    "name_with_underscores",
    "name.with.dots",
    "UPPERCASE",
    "folder/subfolder/name",
    "_starting_with_underscore",
    "ending_with_underscore_",
    "multiple...dots",
    "name with spaces",
    "multiple   spaces",
    "angled[brac]es]",
    "prompt@with#symbols",
    "prompt?with=query&chars",
    "prompt{with}braces",
    "prompt(with)parentheses",
    "prompt+with+plus",
    "prompt\\with\\backslashes",
    'prompt"with"quotes',
    "prompt'with'apostrophes",
    "prompt:with:colons",
    "prompt;with;semicolons",
    "prompt%20encoded",
    "unicode-prompt-名前-тест-🚀",
    "promptName?!+ =@#;x",
    ".hidden/.name",
    "x".repeat(255),
  ])("accepts %s", (name) => {
    expect(promptNameSchema.safeParse(name).success).toBe(true);
    expect(isPromptName(name)).toBe(true);
  });

  it.each([
    ["", "name cannot be empty"],
    ["/invalid-name", "name cannot start with a slash"],
    ["invalid-name/", "name cannot end with a slash"],
    ["invalid//name", "name cannot contain consecutive slashes"],
    ["invalid|name", "name cannot contain the '|' character"],
    ["new", "name cannot be 'new'"],
    ["metrics", "name cannot be 'metrics'"],
    ["Test <div>", "name cannot contain HTML tags"],
    ["x".repeat(256), "name must be at most 255 characters"],
    [" padded", "name cannot start or end with whitespace"],
    ["padded\u00a0", "name cannot start or end with whitespace"],
    ["a\nb", "name cannot contain control characters"],
    ["a/../b", "name cannot have '.' or '..'"],
    ["..", "name cannot have '.' or '..'"],
    [42, "name must be a string"],
  ])("refuses %j: %s", (name, message) => {
    const result = promptNameSchema.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain(message);
  });

  it("is case-sensitive, as in Langfuse: names that differ only in case are two names", () => {
    expect(encodePromptName("Greeting")).not.toBe(encodePromptName("greeting"));
  });
});

describe("a new prompt's name", () => {
  it.each(["support/evil\u202etxt.exe", "a\u2066b", "rtl\u200fname", "x\u061cy"])(
    "refuses bidirectional controls in %j, though an existing prompt so named stays reachable",
    (name) => {
      expect(newPromptNameProblem(name)).toMatch(/bidirectional control characters/);
      expect(createPromptInput.safeParse({ name }).success).toBe(false);
      expect(isPromptName(name)).toBe(true);
    },
  );

  it("takes right-to-left text itself", () => {
    expect(newPromptNameProblem("support/\u05e9\u05dc\u05d5\u05dd")).toBeUndefined();
  });
});

describe("encodePromptName: one rule for URLs and files", () => {
  it.each([
    ["support/reply", "support/reply"],
    ["support/My Prompt [v2].x", "support/My%20Prompt%20%5Bv2%5D.x"],
    ["prompt%20encoded", "prompt%2520encoded"],
    [".hidden/a.b", "%2Ehidden/a.b"],
    ["名前", "%E5%90%8D%E5%89%8D"],
    ["a?b#c&d", "a%3Fb%23c%26d"],
    ["a\\b:c*d", "a%5Cb%3Ac%2Ad"],
  ])("%s → %s", (name, encoded) => {
    expect(encodePromptName(name)).toBe(encoded);
    expect(decodePromptPath(encoded.split("/"))).toBe(name);
  });

  it("keeps folders as folders and never starts a segment with a dot", () => {
    for (const name of [".a", "x/.y", "..z/w"])
      for (const segment of encodePromptName(name).split("/")) expect(segment.startsWith(".")).toBe(false);
  });

  it("leaves nothing a URL path or a file name would mangle", () => {
    const name = 'a b/c?d#e%f\\g:h*i"j<k>l|m';
    expect(encodePromptName(name)).toMatch(/^[A-Za-z0-9._~%/-]+$/);
  });

  it("decodePromptPath refuses malformed escapes", () => {
    expect(decodePromptPath(["a%zz"])).toBeUndefined();
  });
});
