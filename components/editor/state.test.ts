import { describe, expect, it } from "vitest";
import type { Content } from "@/lib/registry/content";
import { fromContent, toContent } from "./state";

const content: Content = {
  type: "chat",
  template: [{ role: "system", content: "Classify {{message}}" }],
  variables: [{ name: "message", type: "string", required: true }],
  config: { model: "m", temperature: 0.2, seed: 7 },
  examples: [{ input: { message: "refund please" }, output: '{"intent":"billing"}' }],
};

describe("editor state", () => {
  it("round-trips content, including examples and provider-specific config", () => {
    expect(toContent(fromContent(content))).toEqual({ content, errors: {} });
  });

  it.each([
    ["{not json", "Not valid JSON."],
    ["[1, 2]", "Must be a JSON object of variable values."],
  ])("reports an example input of %j at its field", (inputText, message) => {
    const s = fromContent(content);
    s.examples[0]!.inputText = inputText;
    expect(toContent(s).errors["examples.0.input"]).toBe(message);
  });

  it("treats an empty example input as no variables", () => {
    const s = fromContent(content);
    s.examples[0]!.inputText = "  ";
    expect(toContent(s).content?.examples[0]).toEqual({ input: {}, output: '{"intent":"billing"}' });
  });
});
