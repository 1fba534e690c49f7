import { describe, expect, it } from "vitest";
import { applyUndo, isPageUndo, revertList } from "./undo";
import { fromContent } from "./state";
import { contentSchema } from "@/lib/registry/content";

const m = (key: string, content = key) => ({ key, content });

describe("revertList", () => {
  const abc = [m("a"), m("b"), m("c")];

  it("puts a removed item back at its place", () => {
    const after = [m("a"), m("c")];
    expect(revertList(after, abc, after)).toEqual(abc);
  });

  it("keeps text typed since in the other items", () => {
    const after = [m("a"), m("c")];
    const current = [m("a", "a typed"), m("c")];
    expect(revertList(current, abc, after)).toEqual([m("a", "a typed"), m("b"), m("c")]);
  });

  it("reverses a move", () => {
    const after = [m("b"), m("a"), m("c")];
    expect(revertList(after, abc, after)).toEqual(abc);
  });

  it("removes an added item, keeping items added later", () => {
    const after = [...abc, m("d")];
    const current = [...after, m("e")];
    expect(revertList(current, abc, after)).toEqual([...abc, m("e")]);
  });

  it("does not bring back an item removed after the edit", () => {
    const after = [m("a"), m("c")];
    const current = [m("c")];
    expect(revertList(current, abc, after)).toEqual([m("b"), m("c")]);
  });
});

describe("applyUndo", () => {
  it("restores a removed message of the working copy", () => {
    const s = fromContent(
      contentSchema.parse({
        type: "chat",
        template: [
          { role: "system", content: "s" },
          { role: "user", content: "u" },
        ],
      }),
    );
    const removed = { ...s, messages: s.messages.slice(1) };
    const back = applyUndo(removed, { label: "x", list: "messages", before: s.messages, after: removed.messages });
    expect(back.messages.map((x) => x.content)).toEqual(["s", "u"]);
  });
});

describe("isPageUndo", () => {
  const key = { key: "z", ctrlKey: true, metaKey: false, shiftKey: false, altKey: false };
  const el = (tagName: string, inMonaco = false) => ({ tagName, closest: () => (inMonaco ? {} : null) });
  it.each([
    ["Ctrl+Z on a button", key, el("BUTTON"), true],
    ["Cmd+Z on the body", { ...key, ctrlKey: false, metaKey: true }, el("BODY"), true],
    ["Ctrl+Shift+Z (redo)", { ...key, shiftKey: true }, el("BODY"), false],
    ["plain z", { ...key, ctrlKey: false }, el("BODY"), false],
    ["Ctrl+Z in an input", key, el("INPUT"), false],
    ["Ctrl+Z in Monaco", key, el("DIV", true), false],
  ])("%s", (_, e, target, expected) => {
    expect(isPageUndo(e, target)).toBe(expected);
  });
});
