import { describe, expect, it } from "vitest";
import { chat, text } from "../../../test/contents";
import { describeDiff, settingLabel, variableTraits } from "./describe";
import { diffContent } from "./diff";

describe("describeDiff", () => {
  it.each([
    ["one line replaced", text("a\nb\nc"), text("a\nB\nc"), ["Template: 1 line changed"]],
    [
      "replaced and appended",
      text("one\ntwo\nthree\n"),
      text("one\n2\nthree\nfour\nfive\n"),
      ["Template: 1 line changed, 2 added"],
    ],
    ["lines appended", text("a"), text("a\nb\nc"), ["Template: 2 lines added"]],
    ["a line removed", text("a\nb"), text("a"), ["Template: 1 line removed"]],
    ["two replaced, one removed", text("a\nb\nc"), text("x\ny"), ["Template: 2 lines changed, 1 removed"]],
    ["identical", text("a"), text("a"), []],
  ])("%s", (_, before, after, expected) => {
    expect(describeDiff(diffContent(before, after))).toEqual(expected);
  });

  it("describes messages by number and role, roles changes included", () => {
    const d = diffContent(
      chat([
        ["system", "s"],
        ["user", "u"],
      ]),
      chat([
        ["developer", "s"],
        ["user", "u2"],
        ["assistant", "ok"],
      ]),
    );
    expect(describeDiff(d)).toEqual([
      "Message 1 (developer): role system → developer",
      "Message 2 (user): 1 line changed",
      "Message 3 (assistant) added",
    ]);
  });

  it("describes a change of type once, numbering each side apart", () => {
    const d = diffContent(
      text("a"),
      chat([
        ["system", "a"],
        ["user", "b"],
      ]),
    );
    expect(describeDiff(d)).toEqual([
      "Changed from a text prompt to a chat prompt (a list of messages)",
      "Template removed",
      "Message 1 (system) added",
      "Message 2 (user) added",
    ]);
  });

  it("describes variables with what callers must send", () => {
    const before = text("{{a}} {{b}} {{c}}", {
      variables: [{ name: "a" }, { name: "b", type: "number" }, { name: "c", default: "x" }],
    });
    const after = text("{{a}} {{b}} {{d}}", {
      variables: [
        { name: "a", required: false },
        { name: "b", type: "string", description: "B", schema: { enum: ["x", "y"] } },
        { name: "d" },
        { name: "e", required: false },
      ],
    });
    expect(describeDiff(diffContent(before, after))).toEqual([
      "Template: 1 line changed",
      "Variable a: now optional",
      "Variable b: type number → string, description changed, schema added",
      "Variable c removed",
      "New variable d (string, required, no default)",
      "New variable e (string, optional)",
    ]);
  });

  it("names model settings in words", () => {
    const d = diffContent(
      text("a", {
        config: { temperature: 0.7, model: "m1", responseFormat: { type: "json_schema", schema: { type: "object" } } },
      }),
      text("a", {
        config: {
          temperature: 0.2,
          maxTokens: 100,
          responseFormat: { type: "json_schema", schema: { type: "array" } },
        },
      }),
    );
    expect(describeDiff(d)).toEqual([
      "Model removed (was m1)",
      "Temperature 0.7 → 0.2",
      "Response format › schema.type object → array",
      "Max tokens set to 100",
    ]);
  });

  it.each([
    [[], [{ input: {}, output: "x" }], "Few-shot examples: 0 → 1"],
    [[{ input: {}, output: "x" }], [{ input: {}, output: "y" }], "Few-shot examples edited"],
  ])("describes examples %j → %j", (before, after, expected) => {
    expect(describeDiff(diffContent(text("a", { examples: before }), text("a", { examples: after })))).toEqual([
      expected,
    ]);
  });
});

describe("variableTraits", () => {
  it.each([
    [{ type: "string", required: true }, "string, required, no default"],
    [{ type: "number", required: false }, "number, optional"],
    [{ type: "string", required: true, default: "Acme" }, 'string, default "Acme"'],
  ] as const)("%j → %s", (v, expected) => expect(variableTraits(v)).toBe(expected));
});

describe("settingLabel", () => {
  it.each([
    ["temperature", "Temperature"],
    ["responseFormat.schema.type", "Response format › schema.type"],
    ["seed", "seed"],
  ])("%s → %s", (path, expected) => expect(settingLabel(path)).toBe(expected));
});
