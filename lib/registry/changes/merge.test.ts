import { describe, it, expect } from "vitest";
import { chat, text } from "../../../test/contents";
import type { Content } from "../content";
import { mergeContent, mergeText, type MergeResult } from "./merge";

/** A text or chat content's template (these tests merge no skills). */
const tpl = (c: Content) => (c.type === "skill" ? undefined : c.template);

function merged(r: MergeResult): Content {
  if (!r.ok) throw new Error(`unexpected conflicts: ${r.conflicts.map((c) => c.key).join(", ")}`);
  return r.content;
}
function conflicted(r: MergeResult) {
  if (r.ok) throw new Error("expected conflicts");
  return r;
}

const lines = (...xs: string[]) => xs.join("\n");
const base5 = lines("l1", "l2", "l3", "l4", "l5");

describe("mergeText", () => {
  it.each([
    ["only ours changed", base5, lines("L1", "l2", "l3", "l4", "l5"), base5, lines("L1", "l2", "l3", "l4", "l5")],
    ["only theirs changed", base5, base5, lines("l1", "l2", "l3", "l4", "L5"), lines("l1", "l2", "l3", "l4", "L5")],
    ["same change on both sides", base5, lines("x"), lines("x"), lines("x")],
    [
      "draft line 1, latest line 5",
      base5,
      lines("D1", "l2", "l3", "l4", "l5"),
      lines("l1", "l2", "l3", "l4", "T5"),
      lines("D1", "l2", "l3", "l4", "T5"),
    ],
    [
      "insertions far apart",
      base5,
      lines("top", "l1", "l2", "l3", "l4", "l5"),
      lines("l1", "l2", "l3", "l4", "l5", "end"),
      lines("top", "l1", "l2", "l3", "l4", "l5", "end"),
    ],
  ])("merges cleanly: %s", (_label, base, ours, theirs, expected) => {
    expect(mergeText(base, ours, theirs)).toEqual({ ok: true, text: expected });
  });

  it("marks a conflict when both sides edit the same line", () => {
    const r = mergeText(base5, lines("l1", "l2", "draft", "l4", "l5"), lines("l1", "l2", "latest", "l4", "l5"));
    expect(r).toEqual({
      ok: false,
      marked: lines("l1", "l2", "<<<<<<< draft", "draft", "=======", "latest", ">>>>>>> latest", "l4", "l5"),
    });
  });

  it("uses custom labels", () => {
    const r = mergeText("a", "b", "c", { ours: "mine", theirs: "v7" });
    expect(r.ok ? "" : r.marked).toBe(lines("<<<<<<< mine", "b", "=======", "c", ">>>>>>> v7"));
  });
});

describe("mergeContent: text", () => {
  it("merges a draft edit of line 1 with a latest edit of line 5", () => {
    const r = mergeContent(
      text(base5),
      text(lines("D1", "l2", "l3", "l4", "l5")),
      text(lines("l1", "l2", "l3", "l4", "T5")),
    );
    expect(merged(r)).toEqual(text(lines("D1", "l2", "l3", "l4", "T5")));
  });

  it("reports a same-line edit as a conflict, keeping both sides", () => {
    const r = conflicted(mergeContent(text("Hello {{name}}"), text("Hi {{name}}"), text("Hey {{name}}")));
    expect(r.conflicts).toEqual([
      {
        key: "template",
        base: "Hello {{name}}",
        ours: "Hi {{name}}",
        theirs: "Hey {{name}}",
        marked: lines("<<<<<<< draft", "Hi {{name}}", "=======", "Hey {{name}}", ">>>>>>> latest"),
      },
    ]);
    expect(tpl(r.partial)).toBe(r.conflicts[0]?.marked);
  });

  it("still merges clean parts of a content that has a conflict elsewhere", () => {
    const r = conflicted(
      mergeContent(
        text("a", { config: { temperature: 0.5 } }),
        text("b", { config: { temperature: 0.5 } }),
        text("c", { config: { temperature: 0.1 } }),
      ),
    );
    expect(r.conflicts.map((c) => c.key)).toEqual(["template"]);
    expect(r.partial.config).toEqual({ temperature: 0.1 });
  });
});

describe("mergeContent: chat", () => {
  const base = chat([
    ["system", "You help."],
    ["user", "{{q}}"],
  ]);

  it("merges different messages edited on each side", () => {
    const ours = chat([
      ["system", "You help kindly."],
      ["user", "{{q}}"],
    ]);
    const theirs = chat([
      ["system", "You help."],
      ["user", "Question: {{q}}"],
    ]);
    expect(merged(mergeContent(base, ours, theirs))).toEqual(
      chat([
        ["system", "You help kindly."],
        ["user", "Question: {{q}}"],
      ]),
    );
  });

  it("merges a role change on one side with a content change on the other", () => {
    const ours = chat([
      ["developer", "You help."],
      ["user", "{{q}}"],
    ]);
    const theirs = chat([
      ["system", "You help a lot."],
      ["user", "{{q}}"],
    ]);
    expect(merged(mergeContent(base, ours, theirs))).toEqual(
      chat([
        ["developer", "You help a lot."],
        ["user", "{{q}}"],
      ]),
    );
  });

  it("conflicts on different role changes, keeping the draft's role", () => {
    const r = conflicted(
      mergeContent(
        base,
        chat([
          ["developer", "You help."],
          ["user", "{{q}}"],
        ]),
        chat([
          ["assistant", "You help."],
          ["user", "{{q}}"],
        ]),
      ),
    );
    expect(r.conflicts).toEqual([{ key: "messages[0].role", base: "system", ours: "developer", theirs: "assistant" }]);
    expect(tpl(r.partial)).toEqual([
      { role: "developer", content: "You help." },
      { role: "user", content: "{{q}}" },
    ]);
  });

  it("conflicts per message content with markers", () => {
    const r = conflicted(
      mergeContent(
        base,
        chat([
          ["system", "A"],
          ["user", "{{q}}"],
        ]),
        chat([
          ["system", "B"],
          ["user", "{{q}}"],
        ]),
      ),
    );
    expect(r.conflicts.map((c) => c.key)).toEqual(["messages[0]"]);
    expect(r.conflicts[0]?.marked).toContain("<<<<<<< draft\nA\n=======\nB\n>>>>>>> latest");
  });

  it("takes an added message when the other side left messages alone", () => {
    const ours = chat([
      ["system", "You help."],
      ["user", "{{q}}"],
      ["assistant", "Sure."],
    ]);
    const theirs = chat(
      [
        ["system", "You help."],
        ["user", "{{q}}"],
      ],
      { config: { model: "m" } },
    );
    const c = merged(mergeContent(base, ours, theirs));
    expect(tpl(c)).toEqual(tpl(ours));
    expect(c.config).toEqual({ model: "m" });
  });

  it("conflicts on 'messages' when one side adds a message and the other edits one", () => {
    const ours = chat([
      ["system", "You help."],
      ["user", "{{q}}"],
      ["assistant", "Sure."],
    ]);
    const theirs = chat([
      ["system", "Be brief."],
      ["user", "{{q}}"],
    ]);
    const r = conflicted(mergeContent(base, ours, theirs));
    expect(r.conflicts).toEqual([
      {
        key: "messages",
        base: "[system]\nYou help.\n\n[user]\n{{q}}",
        ours: "[system]\nYou help.\n\n[user]\n{{q}}\n\n[assistant]\nSure.",
        theirs: "[system]\nBe brief.\n\n[user]\n{{q}}",
      },
    ]);
    expect(tpl(r.partial)).toEqual(tpl(ours));
  });
});

describe("mergeContent: type", () => {
  it("takes a type switch when the other side left the template alone", () => {
    const switched = chat([["system", "x"]]);
    const r = mergeContent(text("x"), text("x", { config: { topP: 0.5 } }), switched);
    expect(merged(r)).toEqual({ ...switched, config: { topP: 0.5 } });
  });

  it("conflicts when one side switches type and the other edits the template", () => {
    const r = conflicted(mergeContent(text("x"), text("y"), chat([["system", "x"]])));
    expect(r.conflicts).toEqual([{ key: "type", base: "text", ours: "text", theirs: "chat" }]);
    expect(r.partial).toMatchObject({ type: "text", template: "y" });
  });
});

describe("mergeContent: variables and config", () => {
  const v = (name: string, extra: Record<string, unknown> = {}) => ({ name, ...extra });

  it("merges variables by name", () => {
    const base = text("t", { variables: [v("a"), v("b"), v("c")] });
    const ours = text("t", { variables: [v("a", { type: "number" }), v("b"), v("c"), v("fromDraft")] });
    const theirs = text("t", { variables: [v("a"), v("c", { required: false }), v("fromLatest")] });
    const c = merged(mergeContent(base, ours, theirs));
    expect(c.variables).toEqual([
      { name: "a", type: "number", required: true },
      { name: "c", type: "string", required: false },
      { name: "fromLatest", type: "string", required: true },
      { name: "fromDraft", type: "string", required: true },
    ]);
  });

  it.each([
    ["changed differently", [v("a", { type: "number" })], [v("a", { type: "boolean" })]],
    ["removed on one side, changed on the other", [], [v("a", { description: "new" })]],
    ["added differently on both", [v("a"), v("z", { type: "json" })], [v("a"), v("z")]],
  ])("conflicts when a variable is %s", (_label, ours, theirs) => {
    const r = conflicted(
      mergeContent(
        text("t", { variables: [v("a")] }),
        text("t", { variables: ours }),
        text("t", { variables: theirs }),
      ),
    );
    expect(r.conflicts).toHaveLength(1);
    expect(r.conflicts[0]?.key).toMatch(/^variables\.(a|z)$/);
  });

  it("shows a removed variable as an empty side", () => {
    const r = conflicted(
      mergeContent(text("t", { variables: [v("a")] }), text("t"), text("t", { variables: [v("a", { type: "json" })] })),
    );
    expect(r.conflicts[0]).toMatchObject({ key: "variables.a", ours: "" });
    expect(JSON.parse(r.conflicts[0]?.theirs ?? "")).toEqual({ name: "a", type: "json", required: true });
    expect(r.partial.variables).toEqual([]);
  });

  it("merges config per top-level key", () => {
    const base = text("t", { config: { model: "m1", temperature: 0.7, stop: ["x"] } });
    const ours = text("t", { config: { model: "m1", temperature: 0.2, stop: ["x"], seed: 3 } });
    const theirs = text("t", { config: { model: "m2", temperature: 0.7 } });
    expect(merged(mergeContent(base, ours, theirs)).config).toEqual({ model: "m2", temperature: 0.2, seed: 3 });
  });

  it("conflicts on a config key changed differently", () => {
    const r = conflicted(
      mergeContent(
        text("t", { config: { temperature: 0.7 } }),
        text("t", { config: { temperature: 0.2 } }),
        text("t", { config: { temperature: 1 } }),
      ),
    );
    expect(r.conflicts).toEqual([{ key: "config.temperature", base: "0.7", ours: "0.2", theirs: "1" }]);
    expect(r.partial.config).toEqual({ temperature: 0.2 });
  });

  it("conflicts on examples changed on both sides", () => {
    const ex = (output: string) => ({ examples: [{ input: {}, output }] });
    const r = conflicted(mergeContent(text("t", ex("a")), text("t", ex("b")), text("t", ex("c"))));
    expect(r.conflicts.map((c) => c.key)).toEqual(["examples"]);
  });
});
