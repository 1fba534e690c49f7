import { describe, it, expect } from "vitest";
import { chat } from "../../test/contents";
import { AppError } from "../errors";
import {
  configSchema,
  contentSchema,
  describeValueType,
  messageSchema,
  parseContent,
  templateTexts,
  valueMatchesType,
  variableSchema,
  type Content,
} from "./content";

const messagesOf = (input: unknown) => {
  const r = contentSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe("variableSchema", () => {
  it("applies defaults", () => {
    expect(variableSchema.parse({ name: "tone" })).toEqual({ name: "tone", type: "string", required: true });
  });

  it.each(["a", "_x", "userName2", "A".repeat(64)])("accepts name %s", (name) => {
    expect(variableSchema.safeParse({ name }).success).toBe(true);
  });

  it.each(["", "2x", "a-b", "a.b", "é", "A".repeat(65)])("rejects name %s", (name) => {
    const r = variableSchema.safeParse({ name });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/^variable name/);
  });

  it.each([
    ["string", "x", true],
    ["string", 1, false],
    ["number", 3, true],
    ["number", "3", false],
    ["boolean", false, true],
    ["json", { a: [1] }, true],
    ["json", null, true],
  ] as const)("default of type %s = %o accepted: %s", (type, value, ok) => {
    expect(variableSchema.safeParse({ name: "v", type, default: value }).success).toBe(ok);
  });

  it("names the variable when the default has the wrong type", () => {
    const r = variableSchema.safeParse({ name: "count", type: "number", default: "3" });
    expect(r.error?.issues[0]?.message).toBe("default of variable count must be a number, got string");
    expect(r.error?.issues[0]?.path).toEqual(["default"]);
  });

  it("limits description length", () => {
    expect(variableSchema.safeParse({ name: "v", description: "d".repeat(500) }).success).toBe(true);
    expect(variableSchema.safeParse({ name: "v", description: "d".repeat(501) }).success).toBe(false);
  });
});

describe("messageSchema and configSchema", () => {
  it("keeps any role as given (Langfuse's function, a custom role), and refuses what cannot be one, naming the field", () => {
    for (const role of ["function", "bot", "Critic Agent", "x".repeat(64)])
      expect(messageSchema.parse({ role, content: "hi" }).role).toBe(role);
    for (const role of ["", " ", "x".repeat(65), "a\nb", "placeholder", 3]) {
      const r = messageSchema.safeParse({ role, content: "hi" });
      expect(r.error?.issues[0]?.message, String(role)).toMatch(/^message role must be/);
    }
  });

  it("keeps provider-specific keys", () => {
    const c = configSchema.parse({ model: "gpt-4o", seed: 7, reasoning_effort: "low" });
    expect(c).toEqual({ model: "gpt-4o", seed: 7, reasoning_effort: "low" });
  });

  it.each([
    [{ temperature: 2.1 }, "config.temperature must be between 0 and 2"],
    [{ temperature: -0.1 }, "config.temperature must be between 0 and 2"],
    [{ maxTokens: 0 }, "config.maxTokens must be greater than 0"],
    [{ maxTokens: 1.5 }, "config.maxTokens must be a whole number"],
    [{ topP: 1.5 }, "config.topP must be between 0 and 1"],
    [{ stop: "END" }, "config.stop must be a list of strings"],
    [{ model: 4 }, "config.model must be a string"],
  ])("rejects %o", (config, message) => {
    const r = configSchema.safeParse(config);
    expect(r.error?.issues[0]?.message).toBe(message);
  });

  it("accepts a json_schema response format", () => {
    const rf = { type: "json_schema", schema: { type: "object" } };
    expect(configSchema.parse({ responseFormat: rf, temperature: 0 }).responseFormat).toEqual(rf);
  });
});

describe("contentSchema", () => {
  it("fills defaults for a text prompt", () => {
    expect(contentSchema.parse({ type: "text", template: "Hi {{name}}" })).toEqual({
      type: "text",
      template: "Hi {{name}}",
      variables: [],
      config: {},
      examples: [],
    });
  });

  it("parses a chat prompt", () => {
    const c = contentSchema.parse({
      type: "chat",
      template: [
        { role: "system", content: "Be brief" },
        { role: "user", content: "{{q}}" },
      ],
      variables: [{ name: "q" }],
      examples: [{ input: { q: "2+2" }, output: "4" }],
    });
    expect(c.type).toBe("chat");
    expect(c.variables[0]).toEqual({ name: "q", type: "string", required: true });
  });

  it.each([
    [{ type: "text", template: ["x"] }, "template must be a string for text prompts"],
    [{ type: "chat", template: "x" }, "template must be a list of messages for chat prompts"],
    [{ type: "chat", template: [] }, "template must have at least one message for chat prompts"],
    [{ type: "text", template: "x".repeat(200_001) }, "template must be at most 200000 characters"],
    [{ type: "image", template: "x" }, 'type must be "text", "chat" or "skill"'],
    [{ template: "x" }, 'type must be "text", "chat" or "skill"'],
  ])("rejects %#", (input, message) => {
    expect(messagesOf(input)).toContain(message);
  });

  it("rejects more than 100 messages", () => {
    const template = Array.from({ length: 101 }, () => ({ role: "user", content: "x" }));
    expect(messagesOf({ type: "chat", template })).toContain(
      "template must have at most 100 messages for chat prompts",
    );
  });

  it("rejects duplicate variable names, naming the duplicate", () => {
    const r = contentSchema.safeParse({
      type: "text",
      template: "{{a}}",
      variables: [{ name: "a" }, { name: "b" }, { name: "a", type: "number" }],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({ path: ["variables"], message: "variable a is declared more than once" }),
    ]);
  });
});

describe("parseContent", () => {
  it("throws invalid_input listing every issue", () => {
    let err: unknown;
    try {
      parseContent({ type: "text", template: 1, config: { temperature: 9 } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    const e = err as AppError;
    expect(e.code).toBe("invalid_input");
    expect(e.message).toContain("template must be a string for text prompts");
    expect(e.message).toContain("config.temperature must be between 0 and 2");
    expect(e.details?.field).toBe("template");
  });
});

describe("templateTexts", () => {
  it("yields one piece for text", () => {
    const c: Content = { type: "text", template: "hello", variables: [], config: {}, examples: [] };
    expect(templateTexts(c)).toEqual([{ key: "template", text: "hello", field: "template" }]);
  });

  it("yields one piece per chat message", () => {
    const c = chat([
      ["system", "s"],
      ["user", "u"],
    ]);
    expect(templateTexts(c).map((p) => [p.key, p.text, p.field])).toEqual([
      ["messages[0] (system)", "s", "template.messages[0]"],
      ["messages[1] (user)", "u", "template.messages[1]"],
    ]);
  });
});

describe("valueMatchesType / describeValueType", () => {
  it.each([
    ["number", Number.NaN, false],
    ["number", Number.POSITIVE_INFINITY, false],
    ["json", undefined, false],
    ["string", "", true],
  ] as const)("%s accepts %o: %s", (type, value, ok) => {
    expect(valueMatchesType(type, value)).toBe(ok);
  });

  it.each([
    [null, "null"],
    [[], "array"],
    [{}, "object"],
    [Number.NaN, "NaN"],
    ["", "string"],
  ])("%o is described as %s", (value, word) => {
    expect(describeValueType(value)).toBe(word);
  });
});
