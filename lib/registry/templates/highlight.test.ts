import { describe, expect, it } from "vitest";
import { highlightTemplate } from "./highlight";

describe("highlightTemplate", () => {
  it.each([
    ["plain text", "Hello there", [["text", "Hello there"]]],
    [
      "a variable",
      "Hi {{name}}!",
      [
        ["text", "Hi "],
        ["variable", "{{name}}", "name"],
        ["text", "!"],
      ],
    ],
    ["spaces inside a tag", "{{ user.name }}", [["variable", "{{ user.name }}", "user.name"]]],
    [
      "triple and ampersand",
      "{{{raw}}} {{&raw2}}",
      [
        ["variable", "{{{raw}}}", "raw"],
        ["text", " "],
        ["variable", "{{&raw2}}", "raw2"],
      ],
    ],
    [
      "sections and inverted sections",
      "{{#vip}}VIP{{/vip}}{{^vip}}-{{/vip}}",
      [
        ["section", "{{#vip}}", "vip"],
        ["text", "VIP"],
        ["section", "{{/vip}}", "vip"],
        ["section", "{{^vip}}", "vip"],
        ["text", "-"],
        ["section", "{{/vip}}", "vip"],
      ],
    ],
    [
      "a partial",
      "{{> shared/tone}}\nNext",
      [
        ["partial", "{{> shared/tone}}", "shared/tone"],
        ["text", "\nNext"],
      ],
    ],
    [
      "a comment",
      "a{{! note }}b",
      [
        ["text", "a"],
        ["comment", "{{! note }}", "note"],
        ["text", "b"],
      ],
    ],
    ["an unclosed tag stays text", "Hi {{name", [["text", "Hi {{name"]]],
    ["empty", "", []],
  ])("%s", (_, text, expected) => {
    const segments = highlightTemplate(text);
    expect(segments.map((s) => (s.kind === "text" ? [s.kind, s.text] : [s.kind, s.text, s.name]))).toEqual(expected);
    expect(segments.map((s) => s.text).join("")).toBe(text);
  });
});
