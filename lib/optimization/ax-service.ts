// Ax's AI service interface implemented over Lectern's own model calls. Ax (the GEPA optimizer's
// library) talks to models only through an object implementing `AxAIService`; this one sends each chat
// request through the optimization's Meter, i.e. Lectern's callModel on a project connection — with its
// SSRF-safe fetch, size caps, retries and the budget — and answers with the text. Ax never gets a
// provider key, a URL or a fetch of its own. Only chat is offered: no tools, no streaming, no media.
import type { AxAIFeatures, AxAIService, AxAIServiceMetrics, AxChatRequest, AxChatResponse } from "@ax-llm/ax";
import type { ModelMessage } from "../llm/types";
import type { Meter } from "./budget";

/** The longest answer the optimizer's reflection may write (it holds this much against the budget). */
export const REFLECTION_MAX_TOKENS = 2_048;

type Prompt = AxChatRequest["chatPrompt"][number];

function text(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content))
    return content
      .map((p: { type?: string; text?: string }) => (p?.type === "text" ? (p.text ?? "") : ""))
      .filter(Boolean)
      .join("\n");
  return "";
}

/** Ax's chat prompt as Lectern's messages (function turns are not used by the optimizer and are dropped). */
export function toMessages(prompt: readonly Prompt[]): ModelMessage[] {
  const out: ModelMessage[] = [];
  for (const m of prompt)
    if (m.role === "system" || m.role === "user" || m.role === "assistant")
      out.push({ role: m.role, content: text(m.content) });
  return out;
}

const emptyMetrics: AxAIServiceMetrics = {
  latency: {
    chat: { mean: 0, p95: 0, p99: 0, samples: [] },
    embed: { mean: 0, p95: 0, p99: 0, samples: [] },
  },
  errors: { chat: { count: 0, rate: 0, total: 0 }, embed: { count: 0, rate: 0, total: 0 } },
} as unknown as AxAIServiceMetrics;

const features = {
  functions: false,
  streaming: false,
  media: {
    images: { supported: false, formats: [] },
    audio: { supported: false, formats: [] },
    files: { supported: false, formats: [], uploadMethod: "none" },
    urls: { supported: false, webSearch: false, contextFetching: false },
  },
  caching: { supported: false, types: [] },
  thinking: false,
  multiTurn: true,
} as unknown as AxAIFeatures;

/** The service the optimizer's reflection calls: `model` on `connection`, through the meter. */
export function lecternAxService(
  meter: Meter,
  connection: string | undefined,
  model: string,
  signal?: AbortSignal,
): AxAIService {
  let options = {};
  const unsupported = (what: string) => async () => {
    throw new Error(`${what} is not available to the optimizer`);
  };
  return {
    getId: () => "lectern",
    getName: () => "lectern",
    getFeatures: () => features,
    getModelList: () => undefined,
    getMetrics: () => emptyMetrics,
    getLogger: () => () => {},
    getLastUsedChatModel: () => model,
    getLastUsedEmbedModel: () => undefined,
    getLastUsedModelConfig: () => undefined,
    async chat(req): Promise<AxChatResponse> {
      if (signal?.aborted) throw new Error("the optimization was interrupted");
      const r = await meter.generate(connection, {
        abortSignal: signal,
        model,
        messages: toMessages(req.chatPrompt),
        temperature: req.modelConfig?.temperature ?? 0.7,
        maxTokens: Math.min(req.modelConfig?.maxTokens ?? REFLECTION_MAX_TOKENS, REFLECTION_MAX_TOKENS),
      });
      if (r.error) throw new Error(`the optimizer's model call failed (${r.error.kind}): ${r.error.message}`);
      return {
        results: [{ index: 0, content: r.text, finishReason: r.finishReason === "length" ? "length" : "stop" }],
        modelUsage: {
          ai: "lectern",
          model: r.model,
          tokens: {
            promptTokens: r.usage.inputTokens,
            completionTokens: r.usage.outputTokens,
            totalTokens: r.usage.inputTokens + r.usage.outputTokens,
          },
        },
      };
    },
    embed: unsupported("embedding"),
    transcribe: unsupported("transcription"),
    speak: unsupported("speech"),
    getEstimatedCost: () => 0,
    setOptions: (o) => {
      options = o;
    },
    getOptions: () => options,
  };
}
