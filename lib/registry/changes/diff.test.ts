import { describe, it, expect } from "vitest";
import { chat, text } from "../../../test/contents";
import { diffContent } from "./diff";

describe("diffContent: text", () => {
  it("reports identical content as unchanged with an empty summary", () => {
    const c = text("a\nb", { config: { temperature: 0.5 } });
    const d = diffContent(c, c);
    expect(d.pieces).toEqual([
      { key: "template", status: "unchanged", before: "a\nb", after: "a\nb", hunks: [{ type: "same", text: "a\nb" }] },
    ]);
    expect(d).toMatchObject({ config: [], variables: [], typeChanged: false, summary: [] });
  });

  it("produces line hunks and counts them in the summary", () => {
    const d = diffContent(text("one\ntwo\nthree\n"), text("one\n2\nthree\nfour\nfive\n"));
    expect(d.pieces[0]?.status).toBe("changed");
    expect(d.pieces[0]?.hunks).toEqual([
      { type: "same", text: "one\n" },
      { type: "del", text: "two\n" },
      { type: "add", text: "2\n" },
      { type: "same", text: "three\n" },
      { type: "add", text: "four\nfive\n" },
    ]);
    expect(d.summary).toEqual(["template changed: +3 −1 lines"]);
  });

  it("treats a first version as all added", () => {
    const d = diffContent(null, text("hi", { variables: [{ name: "x" }], config: { model: "m" } }));
    expect(d.pieces[0]).toMatchObject({ status: "added", before: "", after: "hi" });
    expect(d.summary).toEqual(["template added", "variable x added", 'model set to "m"']);
  });
});

describe("diffContent: chat", () => {
  it("pairs messages by index", () => {
    const before = chat([
      ["system", "s"],
      ["user", "a\nb\nc"],
    ]);
    const after = chat([
      ["system", "s"],
      ["user", "a\nB\nc\nd\ne"],
      ["assistant", "ok"],
    ]);
    const d = diffContent(before, after);
    expect(d.pieces.map((p) => [p.key, p.status])).toEqual([
      ["messages[0] (system)", "unchanged"],
      ["messages[1] (user)", "changed"],
      ["messages[2] (assistant)", "added"],
    ]);
    expect(d.summary).toEqual(["message 2 (user) changed: +3 −1 lines", "message 3 (assistant) added"]);
  });

  it("reports removed messages and role changes", () => {
    const d = diffContent(
      chat([
        ["system", "s"],
        ["user", "u"],
      ]),
      chat([["developer", "s"]]),
    );
    expect(d.pieces[0]).toMatchObject({ status: "changed", roles: { before: "system", after: "developer" } });
    expect(d.pieces[1]).toMatchObject({ status: "removed", before: "u", after: "", roles: { before: "user" } });
    expect(d.summary).toEqual(["message 1 (system → developer) changed: role", "message 2 (user) removed"]);
  });

  it("diffs roles kept as given like any other", () => {
    const d = diffContent(chat([["function", "42"]]), chat([["critic", "42"]]));
    expect(d.summary).toEqual(["message 1 (function → critic) changed: role"]);
  });
});

describe("diffContent: type change", () => {
  it("removes the old pieces and adds the new ones", () => {
    const d = diffContent(
      text("hello"),
      chat([
        ["system", "hello"],
        ["user", "q"],
      ]),
    );
    expect(d.typeChanged).toBe(true);
    expect(d.pieces.map((p) => p.status)).toEqual(["removed", "added", "added"]);
    expect(d.summary).toEqual([
      "type text → chat",
      "template removed",
      "message 1 (system) added",
      "message 2 (user) added",
    ]);
  });
});

describe("diffContent: config", () => {
  it.each([
    [
      { temperature: 0.7 },
      { temperature: 0.2 },
      [{ path: "temperature", before: 0.7, after: 0.2 }],
      "temperature 0.7 → 0.2",
    ],
    [{}, { maxTokens: 512 }, [{ path: "maxTokens", before: undefined, after: 512 }], "maxTokens set to 512"],
    [{ stop: ["x"] }, {}, [{ path: "stop", before: ["x"], after: undefined }], 'stop removed (was ["x"])'],
    [
      { stop: ["x"] },
      { stop: ["x", "y"] },
      [{ path: "stop", before: ["x"], after: ["x", "y"] }],
      'stop ["x"] → ["x","y"]',
    ],
    [
      { responseFormat: { type: "json_schema", schema: { type: "object", required: ["a"] } } },
      { responseFormat: { type: "json_schema", schema: { type: "array", required: ["a"] } } },
      [{ path: "responseFormat.schema.type", before: "object", after: "array" }],
      'responseFormat.schema.type "object" → "array"',
    ],
    [{ seed: 1 }, { seed: 2 }, [{ path: "seed", before: 1, after: 2 }], "seed 1 → 2"],
  ])("%o → %o", (before, after, changes, line) => {
    const d = diffContent(text("t", { config: before }), text("t", { config: after }));
    expect(d.config).toEqual(changes);
    expect(d.summary).toEqual([line]);
  });

  it("ignores key order", () => {
    const d = diffContent(text("t", { config: { a: 1, b: 2 } }), text("t", { config: { b: 2, a: 1 } }));
    expect(d.config).toEqual([]);
  });
});

describe("diffContent: variables and examples", () => {
  it("reports added, removed and changed variables with the changed fields", () => {
    const d = diffContent(
      text("t", { variables: [{ name: "a" }, { name: "b", type: "number" }, { name: "c" }] }),
      text("t", {
        variables: [{ name: "b", type: "number", default: 3, required: false }, { name: "c" }, { name: "tone" }],
      }),
    );
    expect(d.variables.map((v) => [v.name, v.change, v.fields])).toEqual([
      ["a", "removed", undefined],
      ["b", "changed", ["required", "default"]],
      ["tone", "added", undefined],
    ]);
    expect(d.summary).toEqual(["variable a removed", "variable b changed: required, default", "variable tone added"]);
  });

  it.each([
    [[], [{ input: { q: "1" }, output: "1" }], "examples 0 → 1"],
    [[{ input: {}, output: "a" }], [{ input: {}, output: "b" }], "examples edited (1)"],
  ])("summarises examples %#", (before, after, line) => {
    expect(diffContent(text("t", { examples: before }), text("t", { examples: after })).summary).toEqual([line]);
  });
});

describe("diffContent: line endings and large texts", () => {
  it("does not count a missing final newline as a change of the last line", () => {
    const d = diffContent(text("a\nb"), text("a\nb\nc"));
    expect(d.pieces[0]?.hunks).toEqual([
      { type: "same", text: "a\nb\n" },
      { type: "add", text: "c" },
    ]);
    expect(d.summary).toEqual(["template changed: +1 −0 lines"]);
  });

  it("names a change that only adds the final newline", () => {
    expect(diffContent(text("a"), text("a\n")).summary).toEqual(["template changed: newline at end"]);
  });

  it("falls back to replace-all when the texts share almost nothing", () => {
    const lines = (p: string) => Array.from({ length: 2_500 }, (_, i) => `${p}${i}`).join("\n");
    const d = diffContent(text(lines("a")), text(lines("b")));
    expect(d.pieces[0]?.hunks.map((h) => h.type)).toEqual(["del", "add"]);
    expect(d.summary).toEqual(["template changed: +2500 −2500 lines"]);
  });
});
