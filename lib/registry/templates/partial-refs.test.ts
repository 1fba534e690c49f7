import { describe, expect, it } from "vitest";
import {
  formatPartialRef,
  fromLangfuseTags,
  inlinePartials,
  parsePartialRef,
  refPromptName,
  toLangfuseTags,
} from "./partial-refs";
import { collectPartials } from "./partials";

const refs = (text: string) =>
  collectPartials({ type: "text", template: fromLangfuseTags(text), variables: [], config: {}, examples: [] }).map(
    (r) => parsePartialRef(r),
  );

// Langfuse's own cases for parsing composition tags (web/src/__tests__/server/prompts.v2.servertest.ts,
// "Parsing prompt dependency tags"), re-expressed through the conversion into Lectern's partials.
describe("Langfuse composition tags become pinned partial references", () => {
  it("a tag with a version", () => {
    expect(refs("This is a test with @@@langfusePrompt:name=test|version=1@@@ dependency")).toEqual([
      { name: "test", version: 1 },
    ]);
  });

  it("names with special characters (hyphens, spaces, underscores, dots, digits)", () => {
    expect(
      refs(`
        @@@langfusePrompt:name=test-with-hyphens|version=1@@@
        @@@langfusePrompt:name=test with spaces|label=production@@@
        @@@langfusePrompt:name=test_with_underscores|version=2@@@
        @@@langfusePrompt:name=test.with.dots|label=staging@@@
        @@@langfusePrompt:name=test123WithNumbers|version=3@@@
      `),
    ).toEqual([
      { name: "test-with-hyphens", version: 1 },
      { name: "test with spaces", label: "production" },
      { name: "test_with_underscores", version: 2 },
      { name: "test.with.dots", label: "staging" },
      { name: "test123WithNumbers", version: 3 },
    ]);
  });

  it("a tag with a label", () => {
    expect(refs("This is a test with @@@langfusePrompt:name=test|label=production@@@ dependency")).toEqual([
      { name: "test", label: "production" },
    ]);
  });

  it("several tags", () => {
    expect(
      refs(`
        First dependency: @@@langfusePrompt:name=first|version=1@@@
        Second dependency: @@@langfusePrompt:name=second|label=staging@@@
      `),
    ).toEqual([
      { name: "first", version: 1 },
      { name: "second", label: "staging" },
    ]);
  });

  it("invalid tags are left as text", () => {
    const text = `
        Valid: @@@langfusePrompt:name=valid|version=1@@@
        Invalid: @@@langfusePrompt:version=1@@@
        Also invalid: @@@langfusePrompt:name=invalid|something=else@@@
      `;
    expect(refs(text)).toEqual([{ name: "valid", version: 1 }]);
    expect(fromLangfuseTags(text)).toContain("@@@langfusePrompt:version=1@@@");
    expect(fromLangfuseTags(text)).toContain("@@@langfusePrompt:name=invalid|something=else@@@");
  });

  it("no tags: the text is unchanged", () => {
    expect(refs("This is a test with no dependency tags")).toEqual([]);
    expect(fromLangfuseTags("This is a test with no dependency tags")).toBe("This is a test with no dependency tags");
  });

  it("special characters in the name", () => {
    expect(refs("Tag with special chars @@@langfusePrompt:name=test-prompt_123|version=2@@@")).toEqual([
      { name: "test-prompt_123", version: 2 },
    ]);
  });

  it("special characters in the label", () => {
    expect(refs("Tag with special chars @@@langfusePrompt:name=test|label=prod-v1.0_beta@@@")).toEqual([
      { name: "test", label: "prod-v1.0_beta" },
    ]);
  });

  it("the production label", () => {
    expect(refs("@@@langfusePrompt:name=test|label=production@@@")).toEqual([{ name: "test", label: "production" }]);
  });

  it("the version is a number", () => {
    const [r] = refs("Version as string @@@langfusePrompt:name=test|version=123@@@");
    expect(r).toEqual({ name: "test", version: 123 });
    expect(typeof r!.version).toBe("number");
  });

  it("a label with a space is not a label (Langfuse's label rule): the tag stays text", () => {
    // Langfuse's parser extracts it, then its label schema refuses it on create; here it is never a reference.
    const text = "Tag with spaces @@@langfusePrompt:name=my prompt|label=production label@@@";
    expect(refs(text)).toEqual([]);
    expect(fromLangfuseTags(text)).toBe(text);
  });

  it("the same prompt with different versions and labels gives one reference each", () => {
    expect(
      refs(`
        @@@langfusePrompt:name=same|version=1@@@
        @@@langfusePrompt:name=same|version=2@@@
        @@@langfusePrompt:name=same|label=production@@@
      `),
    ).toEqual([
      { name: "same", version: 1 },
      { name: "same", version: 2 },
      { name: "same", label: "production" },
    ]);
  });

  it("malformed tags are ignored", () => {
    expect(
      refs(`
        Valid: @@@langfusePrompt:name=valid|version=1@@@
        Malformed: @@langfusePrompt:name=test|version=1@@
        Also malformed: @@@langfusePrompt:name=test|version=1
        And: langfusePrompt:name=test|version=1@@@
      `),
    ).toEqual([{ name: "valid", version: 1 }]);
  });

  it("media tags are not composition tags", () => {
    expect(
      refs(`
        @@@langfusePrompt:name=valid|version=1@@@
        @@@langfuseMedia:type=image/jpeg|id=cc48838a-3da8-4ca4-a007-2cf8df930e69|source=base64@@@
        @@@langfusePrompt:name=another|label=production@@@
      `),
    ).toEqual([
      { name: "valid", version: 1 },
      { name: "another", label: "production" },
    ]);
  });

  it("the name must come first", () => {
    expect(
      refs(`
        Valid: @@@langfusePrompt:name=valid|version=1@@@
        Invalid: @@@langfusePrompt:version=1|name=test@@@
      `),
    ).toEqual([{ name: "valid", version: 1 }]);
  });
});

describe("partial references", () => {
  it.each([
    ["support/tone", { name: "support/tone" }],
    ["My Prompt [v2]|label=staging", { name: "My Prompt [v2]", label: "staging" }],
    ["p|label=latest", { name: "p", label: "latest" }],
    ["p|version=12", { name: "p", version: 12 }],
  ])("%s", (ref, parsed) => {
    expect(parsePartialRef(ref)).toEqual(parsed);
    expect(formatPartialRef(parsePartialRef(ref)!)).toBe(ref);
    expect(refPromptName(ref)).toBe(parsed.name);
  });

  it.each(["", "a//b", "p|", "p|label=", "p|version=0", "p|version=x", "p|label=Prod", "p|other=1", "new|version=1"])(
    "refuses %j",
    (ref) => {
      expect(parsePartialRef(ref)).toBeUndefined();
    },
  );

  it("round-trips Langfuse tags: pinned references go back, unpinned partials stay Lectern's", () => {
    const langfuse = "A @@@langfusePrompt:name=x y|label=staging@@@ B @@@langfusePrompt:name=z|version=3@@@ C";
    const lectern = fromLangfuseTags(langfuse);
    expect(lectern).toBe("A {{> x y|label=staging}} B {{> z|version=3}} C");
    expect(toLangfuseTags(lectern)).toBe(langfuse);
    expect(toLangfuseTags("{{> plain}} and {{>z|version=3}}")).toBe(
      "{{> plain}} and @@@langfusePrompt:name=z|version=3@@@",
    );
  });

  it("inlines nested references by their full reference", () => {
    expect(
      inlinePartials("P: {{> a|label=production}} / {{> b}}", {
        "a|label=production": "A({{> c|version=1}})",
        "c|version=1": "C",
        b: "B",
      }),
    ).toBe("P: A(C) / B");
  });
});
