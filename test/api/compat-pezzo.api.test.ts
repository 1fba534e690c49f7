// Pezzo's own client (@pezzo/client, unchanged) against Lectern at /api/compat/pezzo: getPrompt for Prompt and
// Chat prompts by environment, PezzoOpenAI calling a model (the local scripted server) with exactly what
// Lectern's resolve renders, and the execution it reports recorded as a generation Lectern's API shows.
import { PezzoOpenAI } from "@pezzo/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLlmServer, type LlmServer } from "../llm-server";
import { call } from "./client";
import { folder, lecternRenders, pezzoClient, project, prompt, runtimeKey } from "./compat-pezzo-setup";

const text = `${folder}/reply`;
const chat = `${folder}/chat`;
const tone = `${folder}/tone`;
let key = "";
let slug = "";
let llm: LlmServer;

beforeAll(async () => {
  key = await runtimeKey();
  slug = (await project()).slug;
  llm = await startLlmServer({
    script: { default: { text: "Thanks, glad to help.", usage: { input: 30, output: 6 } } },
  });
  await prompt(tone, [{ type: "text", template: "Be {{style}}.", variables: [{ name: "style" }] }]);
  const config = { model: "gpt-4o-mini", temperature: 0.3, maxTokens: 50 };
  await prompt(
    text,
    [
      {
        type: "text",
        // A partial, a literal JSON brace and Mustache's triple braces, all carried exactly.
        template: `Hi {{name}}! {{> ${tone}}}\nAnswer as JSON: {"reply": "..."} about {{{topic}}}.`,
        variables: [{ name: "name" }, { name: "topic" }],
        config,
      },
      { type: "text", template: "Staging says hi to {{name}}.", variables: [{ name: "name" }], config },
    ],
    { production: 1, staging: 2 },
  );
  await prompt(chat, [
    {
      type: "chat",
      template: [
        { role: "system", content: "You help {{customer}} in {{language}}." },
        { role: "user", content: "{{question}}" },
      ],
      variables: [{ name: "customer" }, { name: "language" }, { name: "question" }],
      config: { model: "gpt-4o-mini", topP: 0.5 },
    },
  ]);
  const scorers = [{ type: "contains", name: "thanks", value: ["thank"] }];
  const rule = { environment: "production", sampleRate: 1, scorers, window: 50, minSamples: 10 };
  const ruled = await call("PUT", `/api/v1/prompts/${encodeURIComponent(text)}/online-evaluation`, { body: rule });
  expect(ruled.status, JSON.stringify(ruled.body)).toBe(200);
});

afterAll(() => llm?.stop());

describe("getPrompt", () => {
  it("answers a Prompt in Pezzo's {name} syntax, as the environment serves it (Production is production)", async () => {
    const { pezzo } = await pezzoClient(key, slug).getPrompt(text);
    expect(pezzo.metadata).toEqual({
      promptId: expect.any(String),
      promptVersionSha: expect.stringMatching(/^v1\./),
      type: "Prompt",
    });
    expect(pezzo.settings).toEqual({ model: "gpt-4o-mini", temperature: 0.3, max_tokens: 50 });
    expect(pezzo.content).toEqual({
      prompt: 'Hi {name}! Be {style}.\nAnswer as JSON: {"reply": "..."} about {topic}.',
    });
    const staging = await pezzoClient(key, slug, "staging").getPrompt(text);
    expect(staging.pezzo.content).toEqual({ prompt: "Staging says hi to {name}." });
    expect(staging.pezzo.metadata.promptVersionSha).toMatch(/^v2\./);
  });

  it("answers a Chat prompt's messages", async () => {
    const { pezzo } = await pezzoClient(key, (await project()).id).getPrompt(chat);
    expect(pezzo.metadata.type).toBe("Chat");
    expect(pezzo.settings).toEqual({ model: "gpt-4o-mini", top_p: 0.5 });
    expect(pezzo.content).toEqual({
      messages: [
        { role: "system", content: "You help {customer} in {language}." },
        { role: "user", content: "{question}" },
      ],
    });
  });
});

describe("PezzoOpenAI", () => {
  const openai = () => new PezzoOpenAI(pezzoClient(key, slug), { apiKey: "test-llm-key", baseURL: llm.baseUrl });

  it("sends the model exactly what Lectern renders, and its report is a generation Lectern shows", async () => {
    const variables = { name: "Ana", style: "brief {not a variable}", topic: "<refunds> & {returns}" };
    const { pezzo } = await pezzoClient(key, slug).getPrompt(text);
    llm.reset();
    const answer = await openai().chat.completions.create({ pezzo }, { variables, properties: { userId: "ana-1" } });
    expect(answer.choices[0]!.message.content).toBe("Thanks, glad to help.");
    const sent = llm.requests[0]!.body as { model: string; messages: unknown[]; max_tokens: number };
    expect(sent.messages).toEqual([{ role: "user", content: await lecternRenders(text, "production", variables) }]);
    expect([sent.model, sent.max_tokens]).toEqual(["gpt-4o-mini", 50]);

    // The report was answered before create() returned: the generation is there, with its tokens and cost.
    const stats = await call("GET", `/api/v1/prompts/${encodeURIComponent(text)}/stats?environment=production`);
    expect(stats.body.versions).toEqual([
      expect.objectContaining({ version: 1, generations: 1, inputTokens: 30, outputTokens: 6 }),
    ]);
    expect(stats.body.versions[0].costUsd).toBeGreaterThan(0);
    const samples = await call(
      "GET",
      `/api/v1/prompts/${encodeURIComponent(text)}/online-evaluation/samples?environment=production&version=1`,
    );
    expect((samples.body.data as { output: string }[]).map((s) => s.output)).toEqual(["Thanks, glad to help."]);
  });

  it("fills a Chat prompt's messages as Lectern renders them", async () => {
    const variables = { customer: "Ana", language: "Portuguese", question: "Where is {order}?" };
    const { pezzo } = await pezzoClient(key, slug).getPrompt(chat);
    llm.reset();
    await openai().chat.completions.create({ pezzo }, { variables });
    expect((llm.requests[0]!.body as { messages: unknown }).messages).toEqual(
      await lecternRenders(chat, "production", variables),
    );
    const stats = await call("GET", `/api/v1/prompts/${encodeURIComponent(chat)}/stats`);
    expect(stats.body.versions[0]).toMatchObject({ version: 1, generations: 1 });
  });
});
