import { describe, expect, it } from "vitest";
import { contentSchema, type Content } from "../../lib/registry/content";
import { fileObject, readPromptText, serializePrompt, setFileVersion, type PromptFileData } from "./prompt-file";

const text = (template: string, extra: Partial<Content> = {}): Content =>
  contentSchema.parse({ type: "text", template, ...extra });
const chat = (...messages: [string, string][]): Content =>
  contentSchema.parse({ type: "chat", template: messages.map(([role, content]) => ({ role, content })) });
const data = (content: Content, more: Partial<PromptFileData> = {}): PromptFileData => ({
  version: 3,
  description: "",
  tags: [],
  content,
  ...more,
});

function roundTrip(d: PromptFileData): PromptFileData {
  const r = readPromptText(serializePrompt(d), "x.yaml");
  expect(r.problems).toEqual([]);
  const p = r.parsed!;
  return { ...p.data, content: contentSchema.parse(p.raw) };
}

describe("YAML round trip", () => {
  it.each([
    ["one line", "Hello {{name}}"],
    ["multi-line, no final newline", "Line one\nLine two"],
    ["one final newline", "Line one\nLine two\n"],
    ["several final newlines", "a\nb\n\n\n"],
    ["blank lines inside", "a\n\n\nb"],
    ["leading newline", "\nstarts after a blank line"],
    ["leading spaces on the first line", "   indented first\nthen not"],
    ["leading spaces on one line", "  x"],
    ["trailing spaces", "ends with spaces   \nand here  "],
    ["tabs", "\tTabbed\n\t\tmore"],
    ["CRLF", "windows\r\nline"],
    ["empty", ""],
    ["only a newline", "\n"],
    ["unicode", "Grüße, 日本語, emoji 😀, RTL עברית\nü"],
    ["YAML-special characters", "key: value\n# not a comment\n- not a list\n? not a key\n& * ! | > ' \" % @ `"],
    ["looks like other types", "true"],
    ["looks like null", "null"],
    ["looks like a number", "0x1F"],
    ["a document marker", "---\n..."],
    [
      "mustache sections and partials",
      "{{#items}}\n- {{name}}: {{{raw}}}\n{{/items}}\n{{> shared/tone}}\n{{^none}}x{{/none}}",
    ],
    ["a colon-space at the start", ": starts oddly"],
    ["a dash-space at the start", "- looks like a list"],
    ["NEL and line separator", "a\u0085b\u2028c"],
  ])("text template: %s", (_what, template) => {
    const d = data(text(template));
    expect(roundTrip(d)).toEqual(d);
  });

  it.each([
    [
      "special characters in every field",
      chat(["system", "You are: helpful # really\n- always"], ["user", "  {{question}}  "]),
    ],
    ["empty and multi-line messages", chat(["system", ""], ["assistant", "line\n\nline\n"])],
  ])("chat messages: %s", (_what, content) => {
    const d = data(content);
    expect(roundTrip(d)).toEqual(d);
  });

  it("keeps variables, defaults of every type, config with provider keys, and examples", () => {
    const content = contentSchema.parse({
      type: "text",
      template: "{{a}} {{b}} {{c}} {{d}}",
      variables: [
        { name: "a", type: "string", required: false, default: "x: y", description: "a: described\nover lines" },
        { name: "b", type: "number", default: 0.5 },
        { name: "c", type: "boolean", default: false },
        { name: "d", type: "json", default: { list: [1, "two", null], nested: { "k: v": true } } },
        { name: "e", type: "json", required: false, schema: { type: "array", items: { enum: ["x", "y"] } } },
      ],
      config: {
        temperature: 0,
        model: "gpt-4o",
        reasoning_effort: "low",
        stop: ["\n\n", "#"],
        responseFormat: { type: "json_schema", schema: { type: "object" } },
      },
      examples: [{ input: { a: "multi\nline" }, output: "out\n" }],
    });
    const d = data(content, { description: "Describes: many # things", tags: ["a", "b: c"] });
    expect(roundTrip(d)).toEqual(d);
  });

  it("new prompts have no version line, and read back as version null", () => {
    const d = data(text("x"), { version: null });
    expect(serializePrompt(d)).not.toMatch(/version/);
    expect(roundTrip(d).version).toBeNull();
  });
});

describe("deterministic output", () => {
  it("writes keys in a fixed order whatever order the server sent them in", () => {
    const a = data(
      contentSchema.parse({ type: "text", template: "t", config: { temperature: 1, model: "m", zeta: 1, alpha: 2 } }),
    );
    const b = data(
      contentSchema.parse({ config: { alpha: 2, zeta: 1, model: "m", temperature: 1 }, template: "t", type: "text" }),
    );
    expect(serializePrompt(a)).toBe(serializePrompt(b));
    expect(Object.keys(fileObject(a).config as object)).toEqual(["model", "temperature", "alpha", "zeta"]);
  });

  it("is stable: serialize → read → serialize gives the same bytes", () => {
    const d = data(chat(["system", "You are kind.\n{{> tone}}\n"], ["user", "{{q}}"]), {
      description: "d",
      tags: ["t"],
    });
    const once = serializePrompt(d);
    expect(serializePrompt(roundTrip(d))).toBe(once);
  });

  it("uses block scalars for multi-line text, so a one-line change is a one-line git diff", () => {
    const before = serializePrompt(data(text("one\ntwo\nthree\n")));
    const after = serializePrompt(data(text("one\n2\nthree\n")));
    expect(before).toContain("template: |\n  one\n  two\n  three\n");
    const changed = before.split("\n").filter((l, i) => l !== after.split("\n")[i]);
    expect(changed).toEqual(["  two"]);
  });
});

describe("setFileVersion", () => {
  it("changes only the version line, keeping comments and layout", () => {
    const src = "# reviewed by legal\nversion: 3\ntype: text\ntemplate: >-\n  folded\n  text # not a comment\n";
    expect(setFileVersion(src, 4)).toBe(src.replace("version: 3", "version: 4"));
  });

  it("adds version first to a new file", () => {
    expect(setFileVersion("type: text\ntemplate: hi\n", 1)).toBe("version: 1\ntype: text\ntemplate: hi\n");
  });
});

describe("reading problems", () => {
  it.each([
    ["YAML syntax", "type: text\ntemplate: [oops\n", undefined, /^YAML: /],
    ["a duplicate key", "type: text\ntemplate: a\ntemplate: b\n", undefined, /unique/],
    ["an unknown key", "type: text\ntemplate: a\ntemplat: b\n", "templat", /unknown key templat/],
    ["messages in a text prompt", "type: text\nmessages: []\n", "messages", /text prompt has template/],
    ["a bad version", "version: -1\ntype: text\ntemplate: a\n", "version", /whole number/],
    ["tags that are not strings", "type: text\ntemplate: a\ntags: [1, {x: 2}]\n", "tags", /list of strings/],
    ["not a mapping", "- a\n- b\n", undefined, /mapping/],
  ])("%s", (_what, src, field, message) => {
    const r = readPromptText(src, "f.yaml");
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems[0]!.file).toBe("f.yaml");
    expect(r.problems[0]!.field).toBe(field);
    expect(r.problems[0]!.message).toMatch(message);
    expect(r.problems[0]!.line ?? 1).toBeGreaterThan(0);
  });

  it("infers the type from template or messages", () => {
    expect(readPromptText("messages:\n  - {role: user, content: hi}\n", "f").parsed!.raw.type).toBe("chat");
    expect(readPromptText("template: hi\n", "f").parsed!.raw.type).toBe("text");
  });
});

describe("setFileVersion edge cases", () => {
  it.each([
    [
      "a comment before the first key",
      "# title\n\ntype: text\ntemplate: hi\n",
      "# title\n\nversion: 7\ntype: text\ntemplate: hi\n",
    ],
    ["an empty version value", "version:\ntype: text\ntemplate: hi\n", "version: 7\ntype: text\ntemplate: hi\n"],
    ["a quoted version", 'version: "3"\ntype: text\n', "version: 7\ntype: text\n"],
    [
      "version last",
      "type: text\ntemplate: hi\nversion: 2 # from CI\n",
      "type: text\ntemplate: hi\nversion: 7 # from CI\n",
    ],
  ])("%s", (_what, src, expected) => expect(setFileVersion(src, 7)).toBe(expected));

  it("rewrites a flow mapping as a whole", () => {
    expect(readPromptText(setFileVersion("{type: text, template: hi}\n", 7), "f").parsed!.data.version).toBe(7);
  });
});
