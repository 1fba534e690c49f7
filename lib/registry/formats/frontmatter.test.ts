// The one-pass split agrees with the dotprompt library's on where the YAML ends and what the template is.
import { Dotprompt } from "dotprompt";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { splitFrontmatter } from "./frontmatter";

describe("splitFrontmatter", () => {
  it.each([
    ["plain", "---\nmodel: a\n---\nHello {{x}}\n"],
    ["no frontmatter", "Hello {{x}}\n"],
    ["license comments and blank lines first", "# Copyright\n\n# more\n---\nmodel: a\n---\nBody"],
    ["CRLF", "---\r\nmodel: a\r\n---\r\nBody\r\n"],
    ["blank lines around the YAML and the body", "---\n\n\nmodel: a\n\n---\n\n\n  Body  \n\n"],
    ["spaces after the fences", "---   \nmodel: a\n---  \nBody"],
    ["an unclosed frontmatter", "---\nmodel: a\nBody"],
    ["a fence followed by text is not a fence", "---\nmodel: a\n---x: 1\n---\nBody"],
    ["a body holding another fence", "---\nmodel: a\n---\nBody\n---\nstill body"],
    ["empty frontmatter", "---\n---\nBody"],
    ["text before the fence", "Hi\n---\nmodel: a\n---\nBody"],
  ])("%s", (_what, source) => {
    const lib = new Dotprompt().parse(source);
    const mine = splitFrontmatter(source);
    expect(mine.template).toBe(lib.template);
    expect(mine.frontmatter === undefined ? {} : YAML.parse(mine.frontmatter)).toEqual(
      (lib as { raw?: unknown }).raw ?? {},
    );
  });

  it("reads a long run of blank lines in one pass", () => {
    const source = `---${"\n".repeat(200_000)}x`;
    expect(splitFrontmatter(source).frontmatter).toBeUndefined();
  });
});
