// OpenTelemetry traces in (POST /api/v1/otel/v1/traces): the spans that describe a model call become
// `generation` events, linked to the prompt version the span (or an ancestor in the same request)
// names. Pure: otlp-read.ts reads the request; this maps spans; otlp-ingest.ts stores the events.
//
// Conventions read, first found wins:
// - the link: `lectern.prompt.name` and `lectern.prompt.version` (also `lectern.environment`,
//   `lectern.subject`, `lectern.variables`, `lectern.prompt.partials`), as plain span attributes or as the AI SDK's telemetry
//   metadata (`ai.telemetry.metadata.lectern.*`); the SDK's `prompt.telemetry()` gives them.
// - a model call: OpenTelemetry GenAI (`gen_ai.*`), the AI SDK's provider-call spans
//   (`ai.*.doGenerate`, `ai.*.doStream`; its outer `ai.generateText` span wraps them and is skipped so a
//   call counts once), OpenInference (`openinference.span.kind` LLM, `llm.*`) and OpenLLMetry.
import { costOf, type PriceTable } from "../llm/pricing";

import type { Attrs, AttrValue, OtlpSpan } from "./otlp-read";

const text = (v: AttrValue | undefined) => (typeof v === "string" && v ? v : undefined);
const num = (v: AttrValue | undefined) => {
  const n = typeof v === "string" && v.trim() ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) && n >= 0 ? n : undefined;
};
function first<T>(attrs: Attrs, keys: string[], read: (v: AttrValue | undefined) => T | undefined): T | undefined {
  for (const k of keys) {
    const v = read(attrs.get(k));
    if (v !== undefined) return v;
  }
  return undefined;
}

const LINK_PREFIXES = ["", "ai.telemetry.metadata."];
const link = (name: string) => LINK_PREFIXES.map((p) => `${p}lectern.${name}`);
// The attribute names read, made once (this runs for every span of every export).
const keys = {
  promptName: link("prompt.name"),
  promptVersion: link("prompt.version"),
  subject: link("subject"),
  environment: link("environment"),
  experimentId: link("experiment.id"),
  variant: link("experiment.variant"),
  phase: link("experiment.phase"),
  partials: link("prompt.partials"),
  variables: [...link("variables"), "llm.prompt_template.variables"],
  output: ["ai.response.text", "gen_ai.completion.0.content", "output.value"],
  ttft: ["ai.response.msToFirstChunk", "llm.response.time_to_first_token_ms"],
  model: ["gen_ai.response.model", "ai.response.model", "gen_ai.request.model", "ai.model.id", "llm.model_name"],
  inputTokens: [
    "gen_ai.usage.input_tokens",
    "gen_ai.usage.prompt_tokens",
    "ai.usage.inputTokens",
    "ai.usage.promptTokens",
    "llm.token_count.prompt",
  ],
  outputTokens: [
    "gen_ai.usage.output_tokens",
    "gen_ai.usage.completion_tokens",
    "ai.usage.outputTokens",
    "ai.usage.completionTokens",
    "llm.token_count.completion",
  ],
  spanUser: ["enduser.id", "user.id", "session.id"],
  resourceUser: ["enduser.id", "user.id"],
  modelCall: ["gen_ai.request.model", "gen_ai.response.model", "gen_ai.system", "gen_ai.provider.name"],
};
const genAiCalls = new Set(["chat", "text_completion", "generate_content", "completion"]);
const version = (v: AttrValue | undefined) => (typeof v === "string" ? Number(v) : v);
const anyValue = (v: AttrValue | undefined) => v ?? undefined;

/** Whether a span is one model call (not a wrapper around calls, not an HTTP or a tool span). */
export function isModelCall(s: OtlpSpan): boolean {
  const a = s.attributes;
  const op = text(a.get("ai.operationId"));
  if (op) return /\.(doGenerate|doStream)$/.test(op);
  if (text(a.get("openinference.span.kind"))?.toUpperCase() === "LLM") return true;
  const genAiOp = text(a.get("gen_ai.operation.name"));
  if (genAiOp && !genAiCalls.has(genAiOp)) return false;
  return keys.modelCall.some((k) => a.has(k));
}

function outputOf(a: Attrs): string | undefined {
  const direct = first(a, keys.output, text);
  if (direct !== undefined) return direct;
  // GenAI semantic conventions: gen_ai.output.messages, a JSON list of {role, parts: [{type, content}]}.
  const messages = text(a.get("gen_ai.output.messages"));
  if (!messages) return undefined;
  try {
    const parsed = JSON.parse(messages) as { parts?: { type?: string; content?: unknown }[] }[];
    const parts = parsed.flatMap((m) => (Array.isArray(m?.parts) ? m.parts : []));
    const joined = parts
      .filter((p) => p?.type === "text" && typeof p.content === "string")
      .map((p) => p.content)
      .join("");
    return joined || undefined;
  } catch {
    return undefined;
  }
}

function variablesOf(a: Attrs): Record<string, unknown> | undefined {
  const raw = first(a, keys.variables, anyValue);
  let value: unknown = raw;
  if (typeof raw === "string") {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function ttftOf(s: OtlpSpan): number | undefined {
  const attr = first(s.attributes, keys.ttft, num);
  if (attr !== undefined) return attr;
  const chunk = s.events.find((e) => e.name === "ai.stream.firstChunk" || e.name === "gen_ai.first_token");
  return chunk && chunk.timeNs >= s.startNs ? Number(chunk.timeNs - s.startNs) / 1e6 : undefined;
}

export type SpanMapping = {
  /** Generation events as POST /api/v1/events takes them, each with the span it came from. */
  events: { event: Record<string, unknown>; spanId: string }[];
  /** Model calls that name no prompt version: dropped. */
  unlinked: number;
  /** Spans that are not model calls (HTTP, tools, wrappers): skipped. */
  skipped: number;
};

/**
 * Maps the model-call spans to generation events. The link (prompt, version, environment, subject,
 * variables) is read from the span, else from its nearest ancestor in the request that has one, so an
 * application may set it once on its own span around the call. Cost comes from the price table when
 * the tokens and the model are known.
 */
export function spansToEvents(spans: OtlpSpan[], prices: PriceTable = {}): SpanMapping {
  const byId = new Map(spans.map((s) => [`${s.traceId}:${s.spanId}`, s]));
  const linkOf = (s: OtlpSpan) => {
    for (let cur: OtlpSpan | undefined = s, hops = 0; cur && hops < 64; hops++) {
      const name = first(cur.attributes, keys.promptName, text);
      if (name) return cur;
      cur = cur.parentSpanId ? byId.get(`${cur.traceId}:${cur.parentSpanId}`) : undefined;
    }
    return undefined;
  };
  const out: SpanMapping = { events: [], unlinked: 0, skipped: 0 };
  for (const s of spans) {
    if (!isModelCall(s)) {
      out.skipped++;
      continue;
    }
    const owner = linkOf(s);
    if (!owner) {
      out.unlinked++;
      continue;
    }
    const la = owner.attributes;
    const a = s.attributes;
    const model = first(a, keys.model, text);
    const inputTokens = first(a, keys.inputTokens, num);
    const outputTokens = first(a, keys.outputTokens, num);
    const cost =
      model && inputTokens !== undefined && outputTokens !== undefined
        ? costOf(model, { inputTokens, outputTokens }, prices)
        : null;
    const subject =
      first(la, keys.subject, text) ??
      first(a, keys.spanUser, text) ??
      first(s.resource, keys.resourceUser, text) ??
      `trace:${s.traceId}`;
    const event: Record<string, unknown> = {
      type: "generation",
      // The span's own id: an exporter's retry is acknowledged and not counted twice.
      id: `otel:${s.traceId}:${s.spanId}`,
      prompt: first(la, keys.promptName, text),
      version: first(la, keys.promptVersion, version),
      subject,
      at: new Date(Number(s.endNs / 1_000_000n)).toISOString(),
      latencyMs: Number(s.endNs - s.startNs) / 1e6,
    };
    const environment = first(la, keys.environment, text);
    if (environment) event.environment = environment;
    // The experiment arm the SDK resolved (else ingest attributes the event to the running experiment
    // whose variant serves this version).
    const experimentId = first(la, keys.experimentId, text);
    const variant = first(la, keys.variant, text);
    const phase = first(la, keys.phase, num);
    if (experimentId) event.experimentId = experimentId;
    if (experimentId && variant) event.variant = variant;
    if (experimentId && phase !== undefined) event.phase = phase;
    // The composition's partials (`name@version,…`), as prompt.telemetry() gives them.
    const partials = la.get(keys.partials[0]!) ?? la.get(keys.partials[1]!);
    if (typeof partials === "string") event.partials = partials;
    const ttft = ttftOf(s);
    if (ttft !== undefined) event.ttftMs = ttft;
    if (inputTokens !== undefined) event.inputTokens = inputTokens;
    if (outputTokens !== undefined) event.outputTokens = outputTokens;
    if (cost !== null) event.costUsd = cost;
    if (model) event.model = model.slice(0, 200);
    const output = outputOf(a);
    if (output !== undefined) event.output = output;
    const input = variablesOf(la);
    if (input) event.input = input;
    out.events.push({ event, spanId: s.spanId });
  }
  return out;
}
