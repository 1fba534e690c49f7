import { describe, expect, it } from "vitest";
import { chat, text } from "../../../test/contents";
import { suggestCommitMessage } from "./commit-suggestion";

const tone = { variables: [{ name: "tone", type: "string" }] };
const base: [string, string][] = [
  ["system", "You are kind."],
  ["user", "Hi"],
  ["assistant", "Hello"],
];

describe("suggestCommitMessage", () => {
  it.each([
    [
      "a system message edited and a variable added",
      chat(base),
      chat([["system", "You are {{tone}}."], base[1]!, base[2]!], tone),
      "Edit system message; add variable `tone`",
    ],
    ["a message removed from the middle", chat(base), chat([base[0]!, base[2]!]), "Remove user message"],
    ["a message inserted", chat(base), chat([base[0]!, ["user", "Again"], base[1]!, base[2]!]), "Add user message"],
    ["messages reordered", chat(base), chat([base[1]!, base[0]!, base[2]!]), "Reorder messages"],
    [
      "two messages of one role edited",
      chat([base[1]!, ["user", "b"]]),
      chat([
        ["user", "x"],
        ["user", "y"],
      ]),
      "Edit 2 user messages",
    ],
    [
      "a role changed only",
      chat(base),
      chat([["developer", base[0]![1]], base[1]!, base[2]!]),
      "Make system message developer",
    ],
    ["the text template edited", text("a"), text("b"), "Edit template"],
    ["a variable removed", text("{{tone}}", tone), text("{{tone}}"), "Remove variable `tone`"],
    [
      "a variable changed",
      text("x", tone),
      text("x", { variables: [{ name: "tone", type: "string", required: false }] }),
      "Change variable `tone`",
    ],
    ["one setting set", text("a"), text("a", { config: { model: "gpt-4o" } }), "Set model to gpt-4o"],
    [
      "several settings",
      text("a", { config: { temperature: 1 } }),
      text("a", { config: { temperature: 0.2, model: "m" } }),
      "Change temperature, model",
    ],
    ["a setting removed", text("a", { config: { temperature: 1 } }), text("a"), "Change temperature"],
    ["examples edited", text("a"), text("a", { examples: [{ input: {}, output: "ok" }] }), "Edit examples"],
    ["text turned into chat", text("a"), chat([["user", "a"]]), "Turn into a chat prompt"],
    ["nothing changed", text("a"), text("a"), ""],
    ["a first version", null, chat(base), "Create chat prompt"],
  ])("%s", (_, before, after, expected) => {
    expect(suggestCommitMessage(before, after)).toBe(expected);
  });

  it("names a removed placeholder by its name", () => {
    const withHistory = chat([["system", "s"], { type: "placeholder", name: "history" }]);
    expect(suggestCommitMessage(withHistory, chat([["system", "s"]]))).toBe("Remove placeholder `history`");
  });
});
