import { describe, expect, it } from "vitest";
import { AppError } from "./errors";
import { assertSafeQuery, decodePath, findUnsafeValue, maxJsonDepth } from "./input-safety";

const nest = (n: number): unknown => (n === 0 ? 1 : [nest(n - 1)]);

describe("findUnsafeValue", () => {
  it.each([
    [{ name: "ok", tags: ["a"], config: { a: [1, { b: "c" }] } }, undefined],
    [{ name: "a\u0000b" }, "name contains a NUL character (\\u0000), which cannot be stored."],
    [{ tags: ["x", "y\u0000"] }, "tags[1] contains a NUL character (\\u0000), which cannot be stored."],
    [{ config: { deep: { "k\u0000": 1 } } }, "config.deep has a key containing a NUL character (\\u0000)."],
    [
      { content: { template: [{ role: "user", content: "\u0000" }] } },
      "content.template[0].content contains a NUL character (\\u0000), which cannot be stored.",
    ],
    [
      { config: nest(maxJsonDepth + 5) },
      `config${"[0]".repeat(maxJsonDepth)} is nested more than ${maxJsonDepth} levels deep.`,
    ],
  ])("%j → %s", (value, message) => {
    expect(findUnsafeValue(value)?.message).toBe(message);
  });

  it("accepts nesting up to the limit", () => {
    expect(findUnsafeValue(nest(maxJsonDepth - 1))).toBeUndefined();
  });

  it("handles 3,000 levels without blowing the stack", () => {
    const deep = JSON.parse("[".repeat(3000) + "]".repeat(3000));
    expect(findUnsafeValue(deep)?.code).toBe("invalid_input");
  });
});

describe("assertSafeQuery", () => {
  it("refuses a NUL in a value or a name, naming the parameter", () => {
    expect(() => assertSafeQuery([["name", "ok"]])).not.toThrow();
    expect(() => assertSafeQuery([["subject", "a\u0000"]])).toThrow(
      "Query parameter subject contains a NUL character (%00).",
    );
    expect(() => assertSafeQuery([["a\u0000", "x"]])).toThrow(AppError);
  });
});

describe("decodePath", () => {
  it.each([
    ["/api/v1/prompts/shared%2Ftone", ["", "api", "v1", "prompts", "shared/tone"]],
    ["/api/v1/prompts/caf%C3%A9", ["", "api", "v1", "prompts", "café"]],
  ])("%s", (raw, segments) => expect(decodePath(raw)).toEqual(segments));

  it.each(["/api/v1/prompts/%ZZ", "/api/v1/prompts/%E0%A4%A", "/x/%", "/a/b%00c"])("refuses %s", (raw) => {
    expect(() => decodePath(raw)).toThrow(AppError);
  });
});
