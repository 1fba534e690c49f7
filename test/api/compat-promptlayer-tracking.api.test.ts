// PromptLayer's own npm client recording generations against Lectern: logRequest and run() (templates.get, the
// provider call on the scripted model server, track-request) record a generation of the version, which
// Lectern's own API shows (version stats, online evaluation's samples); track.* follow the request id. A key
// limited to one environment records and reads for that one only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLlmServer, type LlmServer } from "../llm-server";
import { waitFor } from "./harness";
import { call } from "./client";
import { apiKey, chatPrompt, client, uniqueName } from "./compat-promptlayer-setup";

let runtimeKey = "";
let stagingKey = "";
let model: LlmServer;
const chat = uniqueName("pl-track");

beforeAll(async () => {
  runtimeKey = await apiKey({ scope: "runtime" });
  stagingKey = await apiKey({ scope: "runtime", environments: ["staging"] });
  await chatPrompt(chat);
  const rule = { environment: "production", sampleRate: 1, scorers: [], window: 50, minSamples: 10 };
  const online = await call("PUT", `/api/v1/prompts/${chat}/online-evaluation`, { body: rule });
  expect(online.status, JSON.stringify(online.body)).toBe(200);
  model = await startLlmServer({ script: { rules: [{ match: "Question", text: "Your order ships today." }] } });
});

afterAll(() => model?.stop());

const stats = async (environment: string) => {
  const r = await call("GET", `/api/v1/prompts/${chat}/stats?environment=${environment}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.versions as { version: number; generations: number; inputTokens: number | null }[];
};

const logged = (over: Record<string, unknown> = {}) => ({
  provider: "openai",
  model: "gpt-4o",
  input: {
    type: "chat" as const,
    messages: [{ role: "user" as const, content: [{ type: "text" as const, text: "Hi" }] }],
  },
  output: {
    type: "chat" as const,
    messages: [{ role: "assistant" as const, content: [{ type: "text" as const, text: "Logged answer." }] }],
  },
  request_start_time: Date.parse("2026-01-15T10:30:00Z"),
  request_end_time: Date.parse("2026-01-15T10:30:01.250Z"),
  prompt_name: chat,
  prompt_version_number: 1,
  input_tokens: 12,
  output_tokens: 4,
  price: 0.002,
  metadata: { user_id: "u-1", environment: "production" },
  ...over,
});

describe("recording generations", () => {
  it("logRequest records a generation of the version, seen by stats and online evaluation", async () => {
    const log = (await client(runtimeKey).logRequest(logged()))!;
    expect(typeof log.id).toBe("number");
    const [v1] = await stats("production");
    expect(v1).toMatchObject({ version: 1, generations: 1, inputTokens: 12 });
    const samples = await call(
      "GET",
      `/api/v1/prompts/${chat}/online-evaluation/samples?environment=production&version=1`,
    );
    expect((samples.body.data as { output: string }[]).map((s) => s.output)).toContain("Logged answer.");
    const pl = client(runtimeKey);
    expect(await pl.track.score({ request_id: log.id, score: 80 })).toBe(true);
    expect(await pl.track.metadata({ request_id: log.id, metadata: { session: "s-1" } })).toBe(true);
    await expect(pl.track.score({ request_id: 99_999_999, score: 1 })).rejects.toThrow(/Request 99999999 not found/);
  });

  it("run(): templates.get, the provider call and track-request record the version's generation", async () => {
    process.env.OPENAI_BASE_URL = model.baseUrl;
    process.env.OPENAI_API_KEY = "scripted";
    const before = (await stats("production"))[0]?.generations ?? 0;
    const out = (await client(runtimeKey).run({
      promptName: chat,
      promptReleaseLabel: "production",
      inputVariables: { tone: "calm", question: "Where is my order?" },
    })) as { request_id: number; raw_response: { choices: { message: { content: string } }[] } };
    expect(out.raw_response.choices[0]!.message.content).toBe("Your order ships today.");
    expect(typeof out.request_id).toBe("number");
    // The model got what Lectern rendered.
    const sent = model.requests.at(-1)!.body as { messages: { content: string }[] };
    expect(sent.messages.map((m) => m.content)).toEqual([
      "You are a calm support agent. Braces stay: {json}.",
      "Question: Where is my order?",
    ]);
    await waitFor("the generation counted", async () => ((await stats("production"))[0]?.generations ?? 0) > before);
  });

  it("a request logged without its prompt is recorded once track.prompt names it", async () => {
    const log = (await client(runtimeKey).logRequest(
      logged({ prompt_name: undefined, prompt_version_number: undefined, metadata: {} }),
    ))!;
    const pl = client(runtimeKey);
    expect(await pl.track.score({ request_id: log.id, score: 55, name: "helpful" })).toBe(true);
    const before = (await stats("staging")).find((v) => v.version === 2)?.generations ?? 0;
    expect(
      await pl.track.prompt({
        request_id: log.id,
        prompt_name: chat,
        prompt_input_variables: { q: "x" },
        label: "staging",
      }),
    ).toBe(true);
    expect((await stats("staging")).find((v) => v.version === 2)?.generations).toBe(before + 1);
  });
});

describe("a key limited to staging", () => {
  it("reads and records for staging only", async () => {
    const pl = client(stagingKey);
    expect((await pl.templates.get(chat, { label: "staging" }))!.version).toBe(2);
    await expect(pl.templates.get(chat, { label: "production" })).rejects.toThrow(/may only read staging/);
    await expect(pl.templates.get(chat)).rejects.toThrow(/may only read staging/);
    await expect(pl.logRequest(logged())).rejects.toThrow(/may only send events for staging/);
    const staged = (await pl.logRequest(logged({ prompt_version_number: 2, metadata: {} })))!;
    expect(typeof staged.id).toBe("number");
    // A production request is not this key's to touch.
    const production = (await client(runtimeKey).logRequest(logged()))!;
    await expect(pl.track.score({ request_id: production.id, score: 1 })).rejects.toThrow(
      /may only touch requests of staging/,
    );
  });
});

describe("PromptLayer paths Lectern does not offer", () => {
  it("answer a 404 in PromptLayer's shape", async () => {
    const r = await call("POST", `/api/compat/promptlayer/workflows/x/run`, { key: runtimeKey, body: {} });
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({
      success: false,
      message: expect.stringMatching(/does not offer POST \/workflows\/x\/run/),
    });
  });
});
