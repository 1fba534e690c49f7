// The built-in scripted model as AI SDK models (LanguageModelV3, EmbeddingModelV3), for the `scripted`
// connection kind: everything between callModel and the model is the real AI SDK path (generateText,
// streamText, structured output), and the model answers deterministically from its input instead of
// calling anyone. It never touches the network: no fetch, no URL, no key. What it answers is in reply.ts
// (prompts), judge-answer.ts (LLM judges), reflect.ts (the optimizer's reflection) and json-answer.ts (JSON answers).
import { setTimeout as sleep } from "node:timers/promises";
import type {
  EmbeddingModelV3,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3Prompt,
  LanguageModelV3StreamPart,
} from "@ai-sdk/provider";
import { scriptedVerdict } from "./judge-answer";
import { scriptedJson } from "./json-answer";
import { scriptedAxAnswer } from "./reflect";
import { scriptedReply } from "./reply";
import { fnv1a32 } from "../../stats";
import { pick, words } from "./text-tools";

export const SCRIPTED_PROVIDER = "lectern-scripted";

const textOf = (content: LanguageModelV3Prompt[number]["content"]) =>
  typeof content === "string"
    ? content
    : content
        .map((p) => (p.type === "text" ? p.text : p.type === "file" ? "[attached file]" : ""))
        .filter(Boolean)
        .join("\n");

/** The text answer to a prompt, and the JSON value when JSON was asked for. */
export function scriptedAnswer(options: Pick<LanguageModelV3CallOptions, "prompt" | "responseFormat">): {
  text: string;
  object?: unknown;
} {
  const system = options.prompt
    .filter((m) => m.role === "system")
    .map((m) => textOf(m.content))
    .join("\n");
  const lastUser = [...options.prompt].reverse().find((m) => m.role === "user");
  const user = lastUser ? textOf(lastUser.content) : "";
  const ax = scriptedAxAnswer(system, user);
  if (ax !== undefined) return { text: ax };
  const format = options.responseFormat;
  if (format?.type === "json") {
    const schema = format.schema as Record<string, unknown> | undefined;
    const object =
      scriptedVerdict(format.name, user, schema) ??
      scriptedJson(schema, `${system}\n${user}`, scriptedReply(system, user, { structured: true }));
    return { text: JSON.stringify(object), object };
  }
  return { text: scriptedReply(system, user) };
}

const tokens = (text: string) => Math.ceil(text.length / 4);

/** A short, deterministic pause, as a model takes a moment; it ends at once when the call is aborted. */
const think = (seed: string, signal?: AbortSignal) => sleep(5 + pick(seed, 20), undefined, { signal });

function answer(modelId: string, options: LanguageModelV3CallOptions) {
  const prompt = JSON.stringify(options.prompt);
  let { text } = scriptedAnswer(options);
  let finish: "stop" | "length" = "stop";
  const max = options.maxOutputTokens;
  if (max !== undefined && tokens(text) > max) {
    text = text.slice(0, max * 4);
    finish = "length";
  }
  return {
    text,
    finishReason: { unified: finish, raw: finish },
    usage: {
      inputTokens: { total: tokens(prompt), noCache: tokens(prompt), cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: tokens(text), text: tokens(text), reasoning: undefined },
    },
    response: { id: `scripted-${fnv1a32(prompt).toString(16)}`, modelId, timestamp: new Date(0) },
    seed: prompt,
  };
}

/** The scripted language model for `modelId` (the version's model name, kept for the record). */
export function scriptedLanguageModel(modelId: string): LanguageModelV3 {
  return {
    specificationVersion: "v3",
    provider: SCRIPTED_PROVIDER,
    modelId,
    supportedUrls: {},
    async doGenerate(options): Promise<LanguageModelV3GenerateResult> {
      const a = answer(modelId, options);
      await think(a.seed, options.abortSignal);
      return {
        content: [{ type: "text", text: a.text }],
        finishReason: a.finishReason,
        usage: a.usage,
        response: a.response,
        warnings: [],
      };
    },
    async doStream(options) {
      const a = answer(modelId, options);
      await think(a.seed, options.abortSignal);
      const chunks = a.text.match(/[\s\S]{1,40}/g) ?? [];
      const parts: LanguageModelV3StreamPart[] = [
        { type: "stream-start", warnings: [] },
        { type: "response-metadata", ...a.response },
        { type: "text-start", id: "0" },
        ...chunks.map((delta): LanguageModelV3StreamPart => ({ type: "text-delta", id: "0", delta })),
        { type: "text-end", id: "0" },
        { type: "finish", finishReason: a.finishReason, usage: a.usage },
      ];
      return {
        stream: new ReadableStream<LanguageModelV3StreamPart>({
          start(controller) {
            for (const p of parts) controller.enqueue(p);
            controller.close();
          },
        }),
      };
    },
  };
}

const DIMENSIONS = 64;

/** Each word hashed into one of 64 signed dimensions, normalised: texts with words in common are similar. */
export function scriptedEmbedding(text: string): number[] {
  const v = new Array<number>(DIMENSIONS).fill(0);
  for (const w of words(text.toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, " "))) {
    const h = fnv1a32(w);
    v[h % DIMENSIONS]! += h & 0x80000000 ? -1 : 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

export function scriptedEmbeddingModel(modelId: string): EmbeddingModelV3 {
  return {
    specificationVersion: "v3",
    provider: SCRIPTED_PROVIDER,
    modelId,
    maxEmbeddingsPerCall: 2048,
    supportsParallelCalls: true,
    async doEmbed({ values, abortSignal }) {
      await think(values.join("\n"), abortSignal);
      return {
        embeddings: values.map(scriptedEmbedding),
        usage: { tokens: values.reduce((n, v) => n + tokens(v), 0) },
        warnings: [],
      };
    },
  };
}
