// OpenTelemetry in, with the packages an application runs: the AI SDK with telemetry on calls the local
// scripted model, the OpenTelemetry SDK records its spans, and the OTLP serializers the exporters use
// (protobuf and JSON) produce the bytes Lectern reads. The generation events land in the version's
// statistics (cost from the price table, latency) and in online evaluation's samples.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { generateText, streamText } from "ai";
import { gzipSync } from "node:zlib";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queryRows } from "../../db/client";
import { failure } from "../../test/domain-fixtures";
import { f, servedPrompt, t, withExperimentsDatabase } from "../../test/experiments-fixture";
import { startLlmServer, type LlmServer } from "../../test/llm-server";
import { putOnlineEvaluation } from "../evaluation/online/rules";
import { replacePriceOverrides } from "../llm/project-prices";
import { versionStats } from "../experiments/version-stats";
import { ingestOtlpTraces, otlpBytes, otlpFormat, partialSuccess } from "./otlp-ingest";
import { projectContext } from "../context";
import { noEvents } from "../announcements";

withExperimentsDatabase("otlp");

let llm: LlmServer;
const exporter = new InMemorySpanExporter();
// As an application sets it up: register() installs the async context, so spans nest.
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
provider.register();
const tracer = provider.getTracer("app");
let promptId = "";

beforeAll(async () => {
  llm = await startLlmServer({ script: { rules: [{ match: "", text: "Thanks for asking, here is how." }] } });
  promptId = (await servedPrompt("support", 2, "production")).id;
  await putOnlineEvaluation(f.ctx(f.approver), "support", {
    environment: "production",
    sampleRate: 1,
    scorers: [{ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }],
    signals: [],
    window: 200,
    minSamples: 20,
    alert: { maxDrop: 0.1 },
    rollback: { enabled: false, maxDrop: 0.3, cooldownMinutes: 60 },
  });
  await replacePriceOverrides(projectContext(t.db, f.ctx(f.admin).actor, f.projectId, noEvents), {
    prices: { "scripted-model": { inputPerMTok: 2, outputPerMTok: 8 } },
  });
});
afterAll(async () => {
  await llm.stop();
  await provider.shutdown();
});
beforeEach(() => exporter.reset());

const model = () => createOpenAICompatible({ name: "local", baseURL: llm.baseUrl }).chatModel("scripted-model");
const link = (version: number, extra: Record<string, string | number> = {}) => ({
  "lectern.prompt.name": "support",
  "lectern.prompt.version": version,
  "lectern.environment": "production",
  ...extra,
});

async function call(metadata: Record<string, string | number> | undefined, stream = false) {
  const telemetry = { isEnabled: true, tracer, metadata };
  if (stream) {
    const r = streamText({ model: model(), prompt: "How do I reset it?", experimental_telemetry: telemetry });
    await r.consumeStream();
  } else await generateText({ model: model(), prompt: "How do I reset it?", experimental_telemetry: telemetry });
}

const protobuf = () => ({
  bytes: ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans())!,
  format: "protobuf" as const,
});
const json = () => ({
  bytes: JsonTraceSerializer.serializeRequest(exporter.getFinishedSpans())!,
  format: "json" as const,
});

describe("OTLP traces in", () => {
  it("turns the AI SDK's model call into one generation event of the version it names, priced", async () => {
    await call(link(2, { "lectern.subject": "user-1", "lectern.variables": '{"question":"reset"}' }));
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(["ai.generateText", "ai.generateText.doGenerate"]);
    const r = await ingestOtlpTraces(t.db, f.projectId, protobuf());
    expect(r).toMatchObject({ spans: 2, accepted: 1, duplicates: 0, unlinked: 0, skipped: 1, rejected: [] });
    expect(partialSuccess(r)).toBeNull();
    const v2 = (await versionStats(t.db, promptId)).find((v) => v.version === 2)!;
    expect(v2.generations).toBe(1);
    const inner = spans.find((s) => s.name.endsWith("doGenerate"))!;
    const tokens = inner.attributes["gen_ai.usage.input_tokens"] as number;
    const out = inner.attributes["gen_ai.usage.output_tokens"] as number;
    expect(tokens).toBeGreaterThan(0);
    expect(v2.metrics.input_tokens?.mean).toBe(tokens);
    expect(v2.metrics.cost_usd?.mean).toBeCloseTo((tokens * 2 + out * 8) / 1e6, 12);
    expect(v2.metrics.latency_ms?.mean).toBeGreaterThan(0);
    // Online evaluation samples it, with the output and the variables the span carried.
    const samples = await queryRows<{ version: number; subject: string; input: unknown; output: string }>(
      t.db,
      sql`select version, subject, input, output from online_samples`,
    );
    expect(samples).toEqual([
      { version: 2, subject: "user-1", input: { question: "reset" }, output: "Thanks for asking, here is how." },
    ]);
  });

  it("reads OTLP/JSON the same, and an exporter's retry is acknowledged without counting twice", async () => {
    await call(link(1), true);
    const first = await ingestOtlpTraces(t.db, f.projectId, json());
    expect(first).toMatchObject({ accepted: 1, duplicates: 0, skipped: 1 });
    const again = await ingestOtlpTraces(t.db, f.projectId, json());
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    const v1 = (await versionStats(t.db, promptId)).find((v) => v.version === 1)!;
    expect(v1.generations).toBe(1);
    expect(v1.metrics.ttft_ms?.n).toBe(1);
  });

  it("links a call to the prompt named on a span around it", async () => {
    await tracer.startActiveSpan("answer-ticket", async (span) => {
      span.setAttributes(link(2));
      await call(undefined);
      span.end();
    });
    const r = await ingestOtlpTraces(t.db, f.projectId, protobuf());
    expect(r).toMatchObject({ accepted: 1, unlinked: 0, skipped: 2 });
  });

  it("drops and counts calls that name no version; rejects, one by one, those it cannot store", async () => {
    await call(undefined);
    await call(link(9));
    await call({ ...link(1), "lectern.prompt.name": "nope" });
    await call(link(1, { "lectern.environment": "staging" }));
    const r = await ingestOtlpTraces(t.db, f.projectId, protobuf(), new Date(), ["production"]);
    expect(r).toMatchObject({ accepted: 0, unlinked: 1, skipped: 4 });
    expect(r.rejected.map((x) => x.reason).sort()).toEqual([
      "prompt: no prompt named nope in this project",
      "this API key may only send events for production, not staging",
      "version: support has no version 9",
    ]);
    expect(partialSuccess(r)).toMatchObject({ rejectedSpans: 4 });
    expect(partialSuccess(r)!.errorMessage).toMatch(/^1 model-call span named no prompt version .*3 rejected: span /);
  });

  it("refuses bodies that are not OTLP, in words, and storing nothing", async () => {
    const bad = async (bytes: string, format: "json" | "protobuf") =>
      (await failure(ingestOtlpTraces(t.db, f.projectId, { bytes: Buffer.from(bytes), format }))).message;
    expect(await bad("{nope", "json")).toMatch(/not valid JSON/);
    expect(await bad('{"resourceSpans": 3}', "json")).toMatch(/resourceSpans must be a list/);
    expect(await bad("\x0a\xff\xff\xff\xff\x0f", "protobuf")).toMatch(/not an OTLP ExportTraceServiceRequest/);
    expect(() => otlpFormat("text/plain")).toThrow(/application\/json or application\/x-protobuf/);
    expect(() => otlpBytes(Buffer.from("plain"), "br", 100)).toThrow(/gzip or none/);
    expect(() => otlpBytes(gzipSync(Buffer.alloc(10_000)), "gzip", 1_000)).toThrow(/larger than 1000 bytes/);
    expect(otlpBytes(gzipSync(Buffer.from("hi")), "gzip", 1_000).toString()).toBe("hi");
  });
});
