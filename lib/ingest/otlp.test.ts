// Span → generation event mapping for the conventions other than the AI SDK's (which
// otlp.int.test.ts runs with the real packages): OpenTelemetry GenAI, OpenInference, OpenLLMetry, and
// hostile or broken spans.
import { describe, expect, it } from "vitest";
import { isModelCall, spansToEvents } from "./otlp";
import { MAX_SPANS_PER_REQUEST, readSpans } from "./otlp-read";

type Attr = [string, string | number | boolean];
const kv = ([key, v]: Attr) => ({
  key,
  value:
    typeof v === "string"
      ? { stringValue: v }
      : typeof v === "boolean"
        ? { boolValue: v }
        : Number.isInteger(v)
          ? { intValue: String(v) }
          : { doubleValue: v },
});
let seq = 0;
const span = (attrs: Attr[], extra: Record<string, unknown> = {}) => ({
  traceId: "5b8efff798038103d269b633813fc60c",
  spanId: (++seq).toString(16).padStart(16, "0"),
  name: "chat gpt-4o",
  startTimeUnixNano: "1763900000000000000",
  endTimeUnixNano: "1763900001250000000",
  attributes: attrs.map(kv),
  ...extra,
});
const request = (spans: unknown[], resource: Attr[] = []) => ({
  resourceSpans: [{ resource: { attributes: resource.map(kv) }, scopeSpans: [{ scope: { name: "t" }, spans }] }],
});
const linked: Attr[] = [
  ["lectern.prompt.name", "support"],
  ["lectern.prompt.version", 3],
];
const map = (spans: unknown[], resource: Attr[] = []) =>
  spansToEvents(readSpans(request(spans, resource), "hex").spans, {
    "gpt-4o": { inputPerMTok: 2.5, outputPerMTok: 10 },
  });

describe("OTLP spans to generation events", () => {
  it("reads the GenAI conventions: model, tokens, latency, the output messages, and prices the call", () => {
    const m = map([
      span([
        ...linked,
        ["gen_ai.operation.name", "chat"],
        ["gen_ai.request.model", "gpt-4o"],
        ["gen_ai.response.model", "gpt-4o-2024-08-06"],
        ["gen_ai.usage.input_tokens", 1000],
        ["gen_ai.usage.output_tokens", 200],
        ["enduser.id", "u-7"],
        ["gen_ai.output.messages", JSON.stringify([{ role: "assistant", parts: [{ type: "text", content: "Hi." }] }])],
      ]),
    ]);
    expect(m.events).toHaveLength(1);
    expect(m.events[0]!.event).toEqual({
      type: "generation",
      id: expect.stringMatching(/^otel:5b8efff798038103d269b633813fc60c:[0-9a-f]{16}$/),
      prompt: "support",
      version: 3,
      subject: "u-7",
      at: "2025-11-23T12:13:21.250Z",
      latencyMs: 1250,
      inputTokens: 1000,
      outputTokens: 200,
      costUsd: 0.0045,
      model: "gpt-4o-2024-08-06",
      output: "Hi.",
    });
  });

  it("reads OpenInference and OpenLLMetry attributes", () => {
    const m = map([
      span([
        ...linked,
        ["openinference.span.kind", "LLM"],
        ["llm.model_name", "gpt-4o"],
        ["llm.token_count.prompt", 10],
        ["llm.token_count.completion", 5],
        ["output.value", "Sure."],
        ["llm.prompt_template.variables", '{"name":"Ada"}'],
      ]),
      span([
        ...linked,
        ["gen_ai.system", "openai"],
        ["gen_ai.request.model", "unpriced-model"],
        ["gen_ai.usage.prompt_tokens", 7],
        ["gen_ai.usage.completion_tokens", 3],
        ["gen_ai.completion.0.content", "Old style."],
      ]),
    ]);
    expect(m.events.map((e) => e.event)).toMatchObject([
      { model: "gpt-4o", inputTokens: 10, outputTokens: 5, output: "Sure.", input: { name: "Ada" }, costUsd: 0.000075 },
      { model: "unpriced-model", inputTokens: 7, outputTokens: 3, output: "Old style." },
    ]);
    expect(m.events[1]!.event).not.toHaveProperty("costUsd");
    // Without a subject attribute the trace is the subject.
    expect(m.events[1]!.event.subject).toBe("trace:5b8efff798038103d269b633813fc60c");
  });

  it("skips spans that are not one model call, and counts calls that name no version", () => {
    const m = map([
      span([["http.method", "GET"]]),
      span([["gen_ai.operation.name", "embeddings"], ["gen_ai.request.model", "e"], ...linked]),
      span([["ai.operationId", "ai.generateText"], ["ai.model.id", "gpt-4o"], ...linked]),
      span([["gen_ai.request.model", "gpt-4o"]]),
    ]);
    expect(m).toMatchObject({ events: [], skipped: 3, unlinked: 1 });
    expect(
      isModelCall(readSpans(request([span([["ai.operationId", "ai.streamText.doStream"]])]), "hex").spans[0]!),
    ).toBe(true);
  });

  it("takes the link from the nearest ancestor in the request", () => {
    const parent = span([...linked, ["lectern.subject", "u-1"], ["lectern.environment", "staging"]]);
    const child = span([["gen_ai.request.model", "gpt-4o"]], { parentSpanId: parent.spanId });
    const grandchild = span([["gen_ai.request.model", "gpt-4o"]], { parentSpanId: child.spanId });
    const m = map([grandchild, child, parent]);
    expect(m.events.map((e) => [e.event.subject, e.event.environment])).toEqual([
      ["u-1", "staging"],
      ["u-1", "staging"],
    ]);
  });

  it("carries the composition's partials from prompt.telemetry() (plain or as AI SDK metadata)", () => {
    const plain = span([...linked, ["lectern.prompt.partials", "shared/tone@2"], ["gen_ai.request.model", "m"]]);
    const meta = span([
      ...linked,
      ["ai.telemetry.metadata.lectern.prompt.partials", ""],
      ["gen_ai.request.model", "m"],
    ]);
    const none = span([...linked, ["gen_ai.request.model", "m"]]);
    expect(map([plain, meta, none]).events.map((e) => e.event.partials)).toEqual(["shared/tone@2", "", undefined]);
  });

  it("rejects spans without ids or times, ignores broken attributes, and refuses what is not a request", () => {
    const { spans, rejected } = readSpans(
      request([
        span(linked, { spanId: "" }),
        span(linked, { endTimeUnixNano: "1" }),
        span(linked, { startTimeUnixNano: "soon" }),
        span([], { attributes: [{ key: "x", value: { intValue: "nan" } }, { nokey: 1 }, 7, null] }),
      ]),
      "hex",
    );
    expect(rejected).toHaveLength(3);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.attributes.get("x")).toBeNull();
    expect(() => readSpans("spans", "hex")).toThrow(/ExportTraceServiceRequest object/);
    expect(() => readSpans({ resourceSpans: {} }, "hex")).toThrow(/must be a list/);
    const many = request(Array.from({ length: MAX_SPANS_PER_REQUEST + 1 }, () => ({})));
    expect(() => readSpans(many, "hex")).toThrow(/at most 10000 spans/);
  });

  it("reads deeply nested values only so far", () => {
    let deep: unknown = { stringValue: "bottom" };
    for (let i = 0; i < 50; i++) deep = { arrayValue: { values: [deep] } };
    const { spans } = readSpans(request([span([], { attributes: [{ key: "deep", value: deep }] })]), "hex");
    expect(JSON.stringify(spans[0]!.attributes.get("deep"))).toMatch(/null/);
  });
});
