import { describe, expect, it } from "vitest";
import type { ChatContent, Content } from "@/lib/registry/content";
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

  it("keeps a variable's schema through the editor, and refuses a schema with a keyword Lectern does not check", () => {
    const typed: Content = {
      type: "text",
      template: "{{#tags}}{{.}}{{/tags}}",
      variables: [
        { name: "tags", type: "json", required: false, schema: { type: "array", items: { type: "string" } } },
      ],
      config: {},
      examples: [],
    };
    expect(toContent(fromContent(typed))).toEqual({ content: typed, errors: {} });
    const s = fromContent(typed);
    s.variables[0]!.schema = { $ref: "#/x" };
    expect(toContent(s).errors["variables.0.schema"]).toMatch(/keyword \$ref is not supported/);
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

describe("editor state with images", () => {
  const withImages: Content = {
    type: "chat",
    template: [
      {
        role: "user",
        content: [
          { type: "text", text: "What is wrong with {{item}}?" },
          { type: "image", url: "https://cdn.example.com/ref.png" },
          { type: "image", variable: "photo" },
        ],
      },
    ],
    variables: [
      { name: "item", type: "string", required: true },
      { name: "photo", type: "image", required: false, default: "https://cdn.example.com/none.png" },
    ],
    config: {},
    examples: [],
  };

  it("round-trips a message's text and images, and an image variable's default", () => {
    const s = fromContent(withImages);
    expect(s.messages[0]!.images?.map((i) => [i.source, i.value])).toEqual([
      ["url", "https://cdn.example.com/ref.png"],
      ["variable", "photo"],
    ]);
    expect(s.messages[0]!.reordered).toBeUndefined();
    expect(toContent(s)).toEqual({ content: withImages, errors: {} });
  });

  it("says when saving moves text that came after an image, and saves text first", () => {
    const c = structuredClone(withImages);
    (c.template[0] as { content: unknown }).content = [
      { type: "image", url: "https://cdn.example.com/ref.png" },
      { type: "text", text: "Compare." },
    ];
    const s = fromContent(c);
    expect(s.messages[0]!.reordered).toBe(true);
    expect((toContent(s).content as ChatContent | null)?.template[0]).toEqual({
      role: "user",
      content: [
        { type: "text", text: "Compare." },
        { type: "image", url: "https://cdn.example.com/ref.png" },
      ],
    });
  });

  it("names a bad image URL at its field, and removing every image leaves plain text", () => {
    const s = fromContent(withImages);
    s.messages[0]!.images![0]!.value = "http://insecure.example.com/a.png";
    expect(Object.values(toContent(s).errors).join(" ")).toMatch(/Image url: an image must be an https: URL/);
    s.messages[0]!.images = [];
    s.variables = s.variables.filter((v) => v.name !== "photo");
    expect((toContent(s).content as ChatContent | null)?.template[0]).toEqual({
      role: "user",
      content: "What is wrong with {{item}}?",
    });
  });
});
