import { describe, expect, it } from "vitest";
import type { Content } from "@/lib/registry/content";
import { fieldLabel, fromContent, shownAtField, toContent } from "./state";

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

describe("field errors in words", () => {
  it("reports schema messages as sentences at their field", () => {
    const s = fromContent(content);
    s.variables[0]!.name = "1st";
    expect(toContent(s).errors["variables.0.name"]).toMatch(/^Variable name must start with a letter .*\.$/);
  });

  it.each([
    ["variables.0.name", "Name of variable 1 (message)"],
    ["variables.0.default", "Default of variable 1 (message)"],
    ["variables.3", "Variable 4"],
    ["variables", "Variables"],
    ["config.temperature", "Temperature"],
    ["config.responseFormat", "Response format"],
    ["examples.0.input", "Input of example 1"],
    ["template.messages.0.content", "Template"],
    ["content", "The prompt"],
  ])("labels %s as %j", (path, label) => expect(fieldLabel(path, fromContent(content))).toBe(label));

  it.each([
    ["variables.0.name", true],
    ["config.temperature", true],
    ["examples.1.input", true],
    ["template", true],
    ["template.messages.0.content", false],
    ["content", false],
  ])("%s is shown at its field: %s", (path, shown) => expect(shownAtField(path)).toBe(shown));
});
