import { describe, expect, it } from "vitest";
import { parseContent } from "../registry/content";
import { normalizeResponseFormat, normalizeTools, requestForVersion, toModelMessages } from "./request";

const chat = (config: Record<string, unknown> = { model: "gpt-4o-mini" }) =>
  parseContent({
    type: "chat",
    template: [
      { role: "system", content: "You are {{persona}}." },
      { role: "developer", content: "Answer in {{language}}." },
      { role: "user", content: "Question: {{question}}" },
      { role: "assistant", content: "Sure." },
      { role: "tool", content: "lookup returned 42" },
    ],
    variables: [{ name: "persona" }, { name: "language", default: "English", required: false }, { name: "question" }],
    config,
  });

describe("requestForVersion", () => {
  it("renders a chat prompt and maps its roles", () => {
    const { request, warnings } = requestForVersion(chat(), {
      persona: "a support agent",
      question: "Where is my order?",
    });
    expect(request.messages).toEqual([
      { role: "system", content: "You are a support agent." },
      { role: "system", content: "Answer in English." },
      { role: "user", content: "Question: Where is my order?" },
      { role: "assistant", content: "Sure." },
      { role: "user", content: "lookup returned 42" },
    ]);
    expect(request.model).toBe("gpt-4o-mini");
    expect(warnings).toEqual([]);
  });

  it("sends a text prompt as one user message", () => {
    const content = parseContent({
      type: "text",
      template: "Summarise: {{text}}",
      variables: [{ name: "text" }],
      config: { model: "m" },
    });
    expect(requestForVersion(content, { text: "a long story" }).request).toEqual({
      model: "m",
      messages: [{ role: "user", content: "Summarise: a long story" }],
    });
  });

  it("copies the call settings from the config", () => {
    // Settings the request carries as the config names them.
    const settings = { model: "gpt-4o", temperature: 0.2, maxTokens: 300, topP: 0.9, stop: ["\n\n"], seed: 7 };
    const { request, provider } = requestForVersion(
      chat({
        provider: "openai",
        ...settings,
        tools: [
          {
            type: "function",
            function: {
              name: "lookup_order",
              description: "Find an order",
              parameters: { type: "object", properties: { id: { type: "string" } } },
            },
          },
        ],
        responseFormat: {
          type: "json_schema",
          json_schema: { name: "reply", schema: { type: "object", properties: { answer: { type: "string" } } } },
        },
      }),
      { persona: "p", question: "q" },
    );
    expect(provider).toBe("openai");
    expect(request).toMatchObject({
      ...settings,
      tools: [
        {
          name: "lookup_order",
          description: "Find an order",
          parameters: { type: "object", properties: { id: { type: "string" } } },
        },
      ],
      responseFormat: {
        type: "json",
        name: "reply",
        schema: { type: "object", properties: { answer: { type: "string" } } },
      },
    });
  });

  it("leaves out empty stop lists, empty tool lists and a text response format", () => {
    const { request } = requestForVersion(chat({ model: "m", stop: [], tools: [], responseFormat: { type: "text" } }), {
      persona: "p",
      question: "q",
    });
    expect(Object.keys(request).sort()).toEqual(["messages", "model"]);
  });

  it("falls back to the default model, and explains when there is none", () => {
    expect(
      requestForVersion(chat({}), { persona: "p", question: "q" }, { defaultModel: "fallback" }).request.model,
    ).toBe("fallback");
    expect(() => requestForVersion(chat({}), { persona: "p", question: "q" })).toThrow(
      "config.model is not set: choose the model this version runs on",
    );
  });

  it("passes rendering errors through and reports undeclared variables as warnings", () => {
    expect(() => requestForVersion(chat(), { persona: "p" })).toThrow("Missing required variables: question");
    expect(requestForVersion(chat(), { persona: "p", question: "q", extra: 1 }).warnings).toEqual([
      "Variable extra is not declared and was ignored",
    ]);
  });
});

describe("toModelMessages", () => {
  it.each([
    ["system", "system"],
    ["developer", "system"],
    ["user", "user"],
    ["assistant", "assistant"],
    ["tool", "user"],
    ["function", "user"],
  ] as const)("%s → %s", (from, to) => {
    expect(toModelMessages([{ role: from, content: "x" }])).toEqual([{ role: to, content: "x" }]);
  });

  it("refuses a role no provider takes, naming the message and the role", () => {
    const call = () =>
      toModelMessages([
        { role: "system", content: "s" },
        { role: "critic", content: "x" },
      ]);
    expect(call).toThrow(/messages\[1\] has the role "critic", which no model provider takes/);
    try {
      call();
    } catch (e) {
      expect(e).toMatchObject({ code: "unprocessable", details: { field: "messages[1].role", role: "critic" } });
    }
  });
});

describe("normalizeTools", () => {
  const params = { type: "object", properties: { q: { type: "string" } }, required: ["q"] };
  it.each([
    [
      "OpenAI shape",
      { type: "function", function: { name: "search", description: "d", parameters: params } },
      { name: "search", description: "d", parameters: params },
    ],
    ["Anthropic shape", { name: "search", input_schema: params }, { name: "search", parameters: params }],
    ["flat shape", { name: "search", parameters: params }, { name: "search", parameters: params }],
    ["no parameters", { name: "now" }, { name: "now", parameters: { type: "object", properties: {} } }],
  ])("reads the %s", (_label, raw, expected) => {
    expect(normalizeTools([raw])).toEqual([expected]);
  });

  it.each([
    ["not a list", { name: "x" }, "config.tools must be a list of tool definitions"],
    ["an entry that is not an object", ["x"], "config.tools[0] must be an object with a name"],
    ["a missing name", [{ description: "d" }], "config.tools[0].name must be 1–64 letters, digits, '_' or '-'"],
    [
      "a bad name in the OpenAI shape",
      [{ type: "function", function: { name: "has space" } }],
      "config.tools[0].function.name must be 1–64 letters, digits, '_' or '-'",
    ],
    ["a repeated name", [{ name: "a" }, { name: "a" }], 'config.tools[1].name repeats the tool name "a"'],
    ["a non-string description", [{ name: "a", description: 3 }], "config.tools[0].description must be a string"],
    [
      "an invalid schema",
      [{ name: "a", parameters: { type: "nope" } }],
      /^config\.tools\[0\]\.parameters is not a valid JSON Schema: /,
    ],
  ])("rejects %s", (_label, raw, message) => {
    expect(() => normalizeTools(raw)).toThrow(message);
  });
});

describe("normalizeResponseFormat", () => {
  const schema = { type: "object", properties: { a: { type: "number" } } };
  it.each([
    [undefined, undefined],
    [null, undefined],
    [{ type: "text" }, { type: "text" }],
    [{ type: "json_object" }, { type: "json" }],
    [{ type: "json" }, { type: "json" }],
    [
      { type: "json_schema", json_schema: { name: "out", schema } },
      { type: "json", name: "out", schema },
    ],
    [
      { type: "json_schema", schema, description: "the answer" },
      { type: "json", description: "the answer", schema },
    ],
    [schema, { type: "json", schema }],
  ])("%j → %j", (raw, expected) => {
    expect(normalizeResponseFormat(raw)).toEqual(expected);
  });

  it.each([
    ["a string", "json", /^config\.responseFormat must be \{"type": "text"\}/],
    ["an unknown type", { type: "xml" }, /^config\.responseFormat must be/],
    [
      "json_schema without a schema",
      { type: "json_schema", json_schema: { name: "x" } },
      /^config\.responseFormat\.json_schema\.schema is not a valid JSON Schema: a JSON Schema must be an object/,
    ],
    [
      "an invalid schema",
      { type: "json_schema", schema: { type: 12 } },
      /^config\.responseFormat\.schema is not a valid JSON Schema: /,
    ],
  ])("rejects %s", (_label, raw, message) => {
    expect(() => normalizeResponseFormat(raw)).toThrow(message);
  });
});
