// The pure mappings between PromptLayer's shapes and Lectern's: a template published from PromptLayer and read
// back is PromptLayer's own again (f-string, jinja2, images, placeholders, tools); model settings both ways and
// llm_kwargs per provider; what a request log says about its generation; what cannot be carried is refused, named.
import { describe, expect, it } from "vitest";
import { parseContent, type TemplateContent } from "../../registry/content";
import { unrenderedTemplate } from "./blueprint";
import { contentFromPl } from "./from-promptlayer";
import { configFromPl, llmKwargsOf, plModelOf } from "./model-settings";
import { factsFromLog, factsFromTrack, outputText } from "./request-facts";
import { plPromptTemplateSchema } from "./shapes";

const text = (t: string) => ({ type: "text" as const, text: t });
const published = (pt: unknown, model = null) =>
  parseContent(contentFromPl(plPromptTemplateSchema.parse(pt), model)) as TemplateContent;

describe("a PromptLayer template in and out", () => {
  it("reads f-string and jinja2 messages, an image variable and a placeholder, and writes them back", () => {
    const pt = {
      type: "chat",
      messages: [
        { role: "system", content: [text("Be {style}; {{literal}} braces.")] },
        { role: "placeholder", name: "history" },
        {
          role: "user",
          template_format: "jinja2",
          content: [text("{% if vip %}VIP {% endif %}{{ q }}"), { type: "media_variable", name: "photo" }],
        },
      ],
      tools: [{ type: "function", function: { name: "lookup", parameters: {} } }],
    };
    const c = published(pt);
    expect(c.template).toEqual([
      { role: "system", content: "Be {{style}}; {literal} braces." },
      { type: "placeholder", name: "history" },
      {
        role: "user",
        content: [
          { type: "text", text: "{{#vip}}VIP {{/vip}}{{q}}" },
          { type: "image", variable: "photo" },
        ],
      },
    ]);
    expect(c.variables.map((v) => [v.name, v.type, v.required])).toEqual([
      ["style", "string", true],
      ["vip", expect.any(String), false],
      ["q", "string", false],
      ["photo", "image", true],
    ]);
    expect(c.config.tools).toHaveLength(1);
    const back = unrenderedTemplate(c, {}, c.variables);
    expect(back).toMatchObject({ type: "chat", tools: pt.tools });
    const messages = (back as { messages: { content?: unknown[]; template_format?: string }[] }).messages;
    expect(messages[0]).toMatchObject({ template_format: "jinja2" });
    expect(messages[1]).toEqual({ role: "placeholder", name: "history" });
    expect(messages[2]!.content![1]).toEqual({ type: "media_variable", name: "photo" });
  });

  it("writes f-string when every text can be, a completion included", () => {
    const c = published({ type: "completion", content: [text("Summarize {text} in {n} words.")] });
    expect(c).toMatchObject({ type: "text", template: "Summarize {{text}} in {{n}} words." });
    expect(unrenderedTemplate(c, {}, c.variables)).toEqual({
      type: "completion",
      content: [text("Summarize {text} in {n} words.")],
      template_format: "f-string",
      input_variables: ["text", "n"],
    });
  });

  it("refuses what a version cannot hold, naming it", () => {
    const refused = (pt: unknown) => {
      try {
        published(pt);
        return "accepted";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(refused({ type: "completion", content: [text("{x!r}")] })).toMatch(/PromptLayer f-string/);
    expect(refused({ type: "completion", template_format: "jinja2", content: [text("{{ x | upper }}")] })).toMatch(
      /jinja2/,
    );
    expect(
      refused({ type: "chat", messages: [{ role: "user", content: [{ type: "thinking", thinking: "…" }] }] }),
    ).toMatch(/thinking block/);
    expect(
      refused({ type: "chat", messages: [{ role: "assistant", content: [], tool_calls: [{ id: "1" }] }] }),
    ).toMatch(/tool calls/);
    expect(refused({ type: "chat", messages: [{ role: "function", name: "f", content: [] }] })).toMatch(
      /role function/,
    );
  });
});

describe("model settings", () => {
  it("maps Lectern's config to PromptLayer's model and back", () => {
    const config = {
      provider: "anthropic",
      model: "claude-sonnet-4",
      temperature: 0.1,
      maxTokens: 500,
      topP: 0.9,
      seed: 3,
    };
    const m = plModelOf(config)!;
    expect(m).toEqual({
      provider: "anthropic",
      name: "claude-sonnet-4",
      parameters: { temperature: 0.1, max_tokens: 500, top_p: 0.9, seed: 3 },
    });
    expect(configFromPl(m)).toEqual(config);
    // An OpenAI-speaking connection Lectern has (scripted, openai-compatible) is OpenAI's to PromptLayer.
    expect(plModelOf({ provider: "scripted", model: "m" })).toMatchObject({
      provider: "openai",
      api_type: "chat-completions",
    });
    expect(plModelOf({ temperature: 1 })).toBeUndefined();
  });

  it("writes llm_kwargs for OpenAI and Anthropic, and says why for others", () => {
    const pt = {
      type: "chat" as const,
      messages: [
        { role: "system", content: [text("S")] },
        { role: "user", content: [text("U")] },
      ],
    };
    const model = { provider: "openai", name: "gpt-4o", parameters: { temperature: 0 } };
    expect(llmKwargsOf(pt, model).kwargs).toEqual({
      model: "gpt-4o",
      temperature: 0,
      messages: [
        { role: "system", content: "S" },
        { role: "user", content: "U" },
      ],
    });
    expect(llmKwargsOf(pt, model, "anthropic").kwargs).toEqual({
      model: "gpt-4o",
      temperature: 0,
      system: "S",
      messages: [{ role: "user", content: "U" }],
    });
    expect(llmKwargsOf(pt, model, "google")).toMatchObject({
      kwargs: null,
      warning: expect.stringContaining("google"),
    });
  });
});

describe("what a request log says", () => {
  const times = { request_start_time: "2026-01-01T00:00:00Z", request_end_time: "2026-01-01T00:00:01.5Z" };

  it("a logRequest: latency, tokens, price, output and the variables used", () => {
    const f = factsFromLog({
      provider: "openai",
      model: "gpt-4o",
      input: {},
      output: { type: "chat", messages: [{ role: "assistant", content: [text("Hi.")] }] },
      ...times,
      input_tokens: 3,
      output_tokens: 2,
      price: 0.01,
      prompt_input_variables: { q: "x" },
      metadata: { user_id: "u" },
    });
    expect(f).toMatchObject({
      latencyMs: 1500,
      inputTokens: 3,
      outputTokens: 2,
      costUsd: 0.01,
      output: "Hi.",
      input: { q: "x" },
    });
  });

  it("a provider's own answer: OpenAI chat, Anthropic, Unix times in seconds and milliseconds", () => {
    const openai = {
      model: "gpt-4o",
      choices: [{ message: { content: "A" } }],
      usage: { prompt_tokens: 5, completion_tokens: 1 },
    };
    expect(
      factsFromTrack({ request_response: openai, request_start_time: 1_700_000_000, request_end_time: 1_700_000_002 }),
    ).toMatchObject({ latencyMs: 2000, model: "gpt-4o", inputTokens: 5, outputTokens: 1, output: "A" });
    expect(outputText({ content: [text("B")], usage: { input_tokens: 1 } })).toBe("B");
    expect(
      factsFromTrack({
        request_response: {},
        request_start_time: 1_700_000_000_000,
        request_end_time: 1_700_000_000_250,
      }).latencyMs,
    ).toBe(250);
    expect(() =>
      factsFromLog({ provider: "p", model: "m", input: {}, output: {}, request_start_time: 2, request_end_time: 1 }),
    ).toThrow(/after request_start_time/);
  });
});
