import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "./redirects";

const origin = "https://lectern.example.com";

describe("safeCallbackPath", () => {
  it.each([
    ["/demo/prompts", "/demo/prompts"],
    ["/demo/prompts?tag=a#x", "/demo/prompts?tag=a#x"],
    ["https://lectern.example.com/demo/settings", "/demo/settings"],
    ["/\\evil.example/x", "/"], // what /%5Cevil.example/x decodes to
    ["/\t/evil.example/x", "/"], // what /%09/evil.example/x decodes to
    ["/\n/evil.example/x", "/"],
    ["//evil.example/x", "/"],
    ["\\\\evil.example", "/"],
    ["https://evil.example/x", "/"],
    ["javascript:alert(1)", "/"],
    ["http://lectern.example.com/x", "/"], // another scheme is another origin
    ["/.//evil.example", "/evil.example"],
    ["relative/path", "/relative/path"],
    ["", "/"],
    [undefined, "/"],
  ])("%j → %s", (value, expected) => {
    expect(safeCallbackPath(value, origin)).toBe(expected);
  });

  it("without a known origin only paths pass", () => {
    expect(safeCallbackPath("/demo/prompts")).toBe("/demo/prompts");
    expect(safeCallbackPath("https://lectern.example.com/x")).toBe("/");
  });
});
