// OpenTelemetry traces in (POST /api/v1/otel/v1/traces): the spans that describe a model call become
// `generation` events, linked to the prompt version the span (or an ancestor in the same request)
// names. Pure: reading an OTLP/JSON-shaped request (protobuf is decoded to the same shape by
// otlp-proto.ts) and mapping spans; the runtime handler stores the events through ingest.ts.
//
// Conventions read, first found wins:
// - the link: `lectern.prompt.name` and `lectern.prompt.version` (also `lectern.environment`,
//   `lectern.subject`, `lectern.variables`), as plain span attributes or as the AI SDK's telemetry
//   metadata (`ai.telemetry.metadata.lectern.*`); the SDK's `prompt.telemetry()` gives them.
// - a model call: OpenTelemetry GenAI (`gen_ai.*`), the AI SDK's provider-call spans
//   (`ai.*.doGenerate`, `ai.*.doStream`; its outer `ai.generateText` span wraps them and is skipped so a
//   call counts once), OpenInference (`openinference.span.kind` LLM, `llm.*`) and OpenLLMetry.
import { costOf, type PriceTable } from "../llm/pricing";

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
type Attrs = Map<string, AttrValue>;

export type OtlpSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  startNs: bigint;
  endNs: bigint;
  attributes: Attrs;
  events: { name: string; timeNs: bigint }[];
  resource: Attrs;
};

/** A span that could not be read or stored, with why (the response's partial success lists a few). */
export type RejectedSpan = { spanId: string; reason: string };

export const MAX_SPANS_PER_REQUEST = 10_000;
const MAX_ATTRIBUTES = 1_000;
const MAX_DEPTH = 8;

export class OtlpShapeError extends Error {}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);
const list = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);

function anyValue(v: unknown, depth: number): AttrValue {
  if (!isObj(v) || depth > MAX_DEPTH) return null;
  if (typeof v.stringValue === "string") return v.stringValue;
  if (typeof v.boolValue === "boolean") return v.boolValue;
  if (v.intValue !== undefined) {
    const n = Number(v.intValue);
    return Number.isFinite(n) ? n : null;
  }
  if (v.doubleValue !== undefined) {
    const n = Number(v.doubleValue);
    return Number.isFinite(n) ? n : null;
  }
  if (isObj(v.arrayValue)) return list(v.arrayValue.values).map((x) => anyValue(x, depth + 1));
  if (isObj(v.kvlistValue)) return Object.fromEntries(keyValues(v.kvlistValue.values, depth + 1));
  if (typeof v.bytesValue === "string") return v.bytesValue;
  return null;
}

function keyValues(kvs: unknown, depth = 0): Attrs {
  const out: Attrs = new Map();
  for (const kv of list(kvs).slice(0, MAX_ATTRIBUTES)) {
    if (isObj(kv) && typeof kv.key === "string" && kv.key.length <= 256) out.set(kv.key, anyValue(kv.value, depth));
  }
  return out;
}

/** Ids are hex in OTLP/JSON and raw bytes (base64 after decoding) in protobuf. */
function id(x: unknown, encoding: "hex" | "base64"): string {
  if (typeof x !== "string" || !x) return "";
  const hex = encoding === "hex" ? x.toLowerCase() : Buffer.from(x, "base64").toString("hex");
  return /^[0-9a-f]{1,64}$/.test(hex) ? hex : "";
}

function nanos(x: unknown): bigint | null {
  if (typeof x === "number" && Number.isSafeInteger(x) && x >= 0) return BigInt(x);
  if (typeof x === "string" && /^\d{1,20}$/.test(x)) return BigInt(x);
  return null;
}

/**
 * The spans of an export request, flattened with their resource's attributes. A span without ids or
 * times is listed as rejected; a request that is not an export request at all throws OtlpShapeError.
 */
export function readSpans(
  raw: unknown,
  ids: "hex" | "base64",
): { spans: OtlpSpan[]; rejected: RejectedSpan[]; total: number } {
  if (!isObj(raw)) throw new OtlpShapeError("the body must be an OTLP ExportTraceServiceRequest object");
  if (raw.resourceSpans !== undefined && !Array.isArray(raw.resourceSpans))
    throw new OtlpShapeError("resourceSpans must be a list");
  const spans: OtlpSpan[] = [];
  const rejected: RejectedSpan[] = [];
  let total = 0;
  for (const rs of list(raw.resourceSpans)) {
    if (!isObj(rs)) continue;
    const resource = keyValues(isObj(rs.resource) ? rs.resource.attributes : undefined);
    for (const ss of list(rs.scopeSpans)) {
      if (!isObj(ss)) continue;
      for (const s of list(ss.spans)) {
        total++;
        if (total > MAX_SPANS_PER_REQUEST)
          throw new OtlpShapeError(`at most ${MAX_SPANS_PER_REQUEST} spans per request; send smaller batches`);
        if (!isObj(s)) continue;
        const spanId = id(s.spanId, ids);
        const traceId = id(s.traceId, ids);
        const startNs = nanos(s.startTimeUnixNano);
        const endNs = nanos(s.endTimeUnixNano);
        if (!spanId || !traceId || startNs === null || endNs === null || endNs < startNs) {
          rejected.push({ spanId: spanId || "?", reason: "a span needs traceId, spanId and start and end times" });
          continue;
        }
        spans.push({
          traceId,
          spanId,
          parentSpanId: id(s.parentSpanId, ids) || null,
          name: typeof s.name === "string" ? s.name.slice(0, 256) : "",
          startNs,
          endNs,
          attributes: keyValues(s.attributes),
          events: list(s.events).flatMap((e) => {
            const timeNs = isObj(e) ? nanos(e.timeUnixNano) : null;
            return isObj(e) && timeNs !== null ? [{ name: String(e.name ?? ""), timeNs }] : [];
          }),
          resource,
        });
      }
    }
  }
  return { spans, rejected, total };
}

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

/** Whether a span is one model call (not a wrapper around calls, not an HTTP or a tool span). */
export function isModelCall(s: OtlpSpan): boolean {
  const a = s.attributes;
  const op = text(a.get("ai.operationId"));
  if (op) return /\.(doGenerate|doStream)$/.test(op);
  if (text(a.get("openinference.span.kind"))?.toUpperCase() === "LLM") return true;
  const genAiOp = text(a.get("gen_ai.operation.name"));
  if (genAiOp && !["chat", "text_completion", "generate_content", "completion"].includes(genAiOp)) return false;
  return ["gen_ai.request.model", "gen_ai.response.model", "gen_ai.system", "gen_ai.provider.name"].some((k) =>
    a.has(k),
  );
}

function outputOf(a: Attrs): string | undefined {
  const direct = first(a, ["ai.response.text", "gen_ai.completion.0.content", "output.value"], text);
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
  const raw = first(a, [...link("variables"), "llm.prompt_template.variables"], (v) => v ?? undefined);
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
  const attr = first(s.attributes, ["ai.response.msToFirstChunk", "llm.response.time_to_first_token_ms"], num);
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
      const name = first(cur.attributes, link("prompt.name"), text);
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
    const model = first(
      a,
      ["gen_ai.response.model", "ai.response.model", "gen_ai.request.model", "ai.model.id", "llm.model_name"],
      text,
    );
    const inputTokens = first(
      a,
      [
        "gen_ai.usage.input_tokens",
        "gen_ai.usage.prompt_tokens",
        "ai.usage.inputTokens",
        "ai.usage.promptTokens",
        "llm.token_count.prompt",
      ],
      num,
    );
    const outputTokens = first(
      a,
      [
        "gen_ai.usage.output_tokens",
        "gen_ai.usage.completion_tokens",
        "ai.usage.outputTokens",
        "ai.usage.completionTokens",
        "llm.token_count.completion",
      ],
      num,
    );
    const cost =
      model && inputTokens !== undefined && outputTokens !== undefined
        ? costOf(model, { inputTokens, outputTokens }, prices)
        : null;
    const version = first(la, link("prompt.version"), (v) => (typeof v === "string" ? Number(v) : v));
    const subject =
      first(la, link("subject"), text) ??
      first(a, ["enduser.id", "user.id", "session.id"], text) ??
      first(s.resource, ["enduser.id", "user.id"], text) ??
      `trace:${s.traceId}`;
    const event: Record<string, unknown> = {
      type: "generation",
      // The span's own id: an exporter's retry is acknowledged and not counted twice.
      id: `otel:${s.traceId}:${s.spanId}`,
      prompt: first(la, link("prompt.name"), text),
      version,
      subject,
      at: new Date(Number(s.endNs / 1_000_000n)).toISOString(),
      latencyMs: Number(s.endNs - s.startNs) / 1e6,
    };
    const environment = first(la, link("environment"), text);
    if (environment) event.environment = environment;
    // The experiment arm the SDK resolved (else ingest attributes the event to the running experiment
    // whose variant serves this version).
    const experimentId = first(la, link("experiment.id"), text);
    const variant = first(la, link("experiment.variant"), text);
    const phase = first(la, link("experiment.phase"), num);
    if (experimentId) event.experimentId = experimentId;
    if (experimentId && variant) event.variant = variant;
    if (experimentId && phase !== undefined) event.phase = phase;
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
