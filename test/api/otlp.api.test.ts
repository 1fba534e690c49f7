// OTLP over HTTP against the running server, with OpenTelemetry's own exporters (JSON, and protobuf
// with gzip): the spans arrive as generation events that online evaluation samples. Bad bodies, wrong
// keys and a key limited to another environment are refused in words.
import { SpanStatusCode, type Attributes } from "@opentelemetry/api";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { beforeAll, describe, expect, it } from "vitest";
import { costliestExport } from "../otlp-exports";
import { promptStatsContract } from "../../lib/stats/contracts";
import { baseUrl, call, errorCode, expectContract } from "./client";

const suffix = Date.now().toString(36);
const name = `otlp-${suffix}`;
const url = `${baseUrl}/api/v1/otel/v1/traces`;
let runtimeKey = "";
let stagingOnlyKey = "";

beforeAll(async () => {
  const key = async (body: Record<string, unknown>) =>
    (await call("POST", "/api/v1/api-keys", { body: { scope: "runtime", ...body } })).body.key as string;
  runtimeKey = await key({ name: `otlp-rt-${suffix}` });
  stagingOnlyKey = await key({ name: `otlp-staging-${suffix}`, environments: ["staging"] });
  expect((await call("POST", "/api/v1/prompts", { body: { name, type: "text", template: "Reply." } })).status).toBe(
    201,
  );
  const rule = {
    environment: "production",
    sampleRate: 1,
    scorers: [{ type: "contains", name: "thanks", value: ["thank"], ignoreCase: true }],
    window: 50,
    minSamples: 10,
  };
  expect((await call("PUT", `/api/v1/prompts/${name}/online-evaluation`, { body: rule })).status).toBe(200);
});

/** Spans as an instrumented application records them: a model call named after the prompt version. */
function recordCalls(outputs: string[]) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer("app");
  for (const output of outputs) {
    const attributes: Attributes = {
      "lectern.prompt.name": name,
      "lectern.prompt.version": 1,
      "lectern.subject": `user-${output.length}`,
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.usage.input_tokens": 12,
      "gen_ai.usage.output_tokens": 4,
      "gen_ai.completion.0.content": output,
    };
    const span = tracer.startSpan("chat gpt-4o-mini", { attributes });
    span.setStatus({ code: SpanStatusCode.OK });
    span.end();
  }
  return memory.getFinishedSpans();
}

function exportWith(exporter: JsonExporter | ProtoExporter, outputs: string[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(recordCalls(outputs), resolve));
}

async function sampledOutputs(): Promise<string[]> {
  const r = await call("GET", `/api/v1/prompts/${name}/online-evaluation/samples?environment=production&version=1`);
  expect(r.status).toBe(200);
  return (r.body.data as { output: string }[]).map((s) => s.output).sort();
}

describe("OTLP traces over HTTP", () => {
  it("takes spans from OpenTelemetry's JSON and protobuf (gzip) exporters", async () => {
    const json = new JsonExporter({ url, headers: { authorization: `Bearer ${runtimeKey}` } });
    expect((await exportWith(json, ["Thanks, JSON."])).code).toBe(ExportResultCode.SUCCESS);
    const proto = new ProtoExporter({ url, headers: { "x-lectern-key": runtimeKey }, compression: "gzip" as never });
    expect((await exportWith(proto, ["Thanks, protobuf.", "Thanks again."])).code).toBe(ExportResultCode.SUCCESS);
    await Promise.all([json.shutdown(), proto.shutdown()]);
    expect(await sampledOutputs()).toEqual(["Thanks again.", "Thanks, JSON.", "Thanks, protobuf."]);
  });

  it("reads the spans' usage back per version (GET /api/v1/prompts/{name}/stats), with an input as a string", async () => {
    // The three spans above; OpenTelemetry records no latency attribute, so the span's duration is it.
    const r = await call("GET", `/api/v1/prompts/${name}/stats?environment=production`);
    const stats = expectContract(promptStatsContract, r);
    expect(stats.versions).toHaveLength(1);
    expect(stats.versions[0]).toMatchObject({ version: 1, generations: 3, inputTokens: 36, outputTokens: 12 });
    expect(stats.versions[0]!.latencyMs.p50).not.toBeNull();
    // A generation event whose input is the user's message, as most applications log it, is taken.
    const sent = await call("POST", "/api/v1/events", {
      key: runtimeKey,
      body: {
        events: [
          {
            ...{ id: `str-${suffix}`, type: "generation", prompt: name, version: 1, environment: "production" },
            ...{ subject: "u-str", latencyMs: 420, inputTokens: 8, input: "Where is my order?", output: "Thanks!" },
          },
        ],
      },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    const after = expectContract(promptStatsContract, await call("GET", `/api/v1/prompts/${name}/stats`));
    expect(after.versions[0]).toMatchObject({ generations: 4, inputTokens: 44 });
    const bad = await call("GET", `/api/v1/prompts/${name}/stats?from=yesterday`);
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe("invalid_input");
  });

  it("answers with the counts, and a partial success naming what it dropped", async () => {
    const spans = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "0af7651916cd43dd8448eb211c80319c",
                  spanId: "b7ad6b7169203331",
                  name: "chat",
                  startTimeUnixNano: String(BigInt(Date.now() - 900) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  attributes: [
                    { key: "lectern.prompt.name", value: { stringValue: name } },
                    { key: "lectern.prompt.version", value: { intValue: "7" } },
                    { key: "gen_ai.request.model", value: { stringValue: "gpt-4o-mini" } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const r = await call("POST", "/api/v1/otel/v1/traces", { key: runtimeKey, body: spans });
    expect(r.status).toBe(200);
    expect(r.body.lectern).toEqual({ spans: 1, accepted: 0, duplicates: 0, unlinked: 0, skipped: 0, rejected: 1 });
    expect(r.body.partialSuccess).toEqual({
      rejectedSpans: 1,
      errorMessage: `1 rejected: span b7ad6b7169203331: version: ${name} has no version 7`,
    });
    const limited = await call("POST", "/api/v1/otel/v1/traces", { key: stagingOnlyKey, body: spans });
    expect(limited.body.partialSuccess.errorMessage).toMatch(/may only send events for staging, not production/);
  });

  it("refuses a missing key, a body of another type, bytes that are not OTLP, and GET", async () => {
    expect(errorCode(await call("POST", "/api/v1/otel/v1/traces", { key: null, body: {} }))).toBe("unauthorized");
    const text = await call("POST", "/api/v1/otel/v1/traces", {
      key: runtimeKey,
      raw: "hello",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(400);
    expect(text.body.error.message).toMatch(/Content-Type must be application\/json or application\/x-protobuf/);
    const proto = await call("POST", "/api/v1/otel/v1/traces", {
      key: runtimeKey,
      raw: "\x0a\xff\xff",
      headers: { "content-type": "application/x-protobuf" },
    });
    expect(errorCode(proto)).toBe("invalid_input");
    const get = await call("GET", "/api/v1/otel/v1/traces", { key: runtimeKey });
    expect(errorCode(get)).toBe("method_not_allowed");
  });

  it("decodes exports off the thread that answers resolve", async () => {
    // Three exports at once, each of 240 spans with 1,000 attributes (960,000 fields, under the limit): about 150 ms
    // of decoding each, and not model calls, so nothing is stored. Resolves sent meanwhile are answered at once: on
    // the thread that serves resolve, they would wait for the three decodes (and finish with the last export).
    const body = costliestExport();
    const started = performance.now();
    let exportedAt = 0;
    const exported = Array.from({ length: 3 }, () =>
      fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${runtimeKey}`, "content-type": "application/x-protobuf" },
        body,
      }).then(async (r) => {
        exportedAt = Math.max(exportedAt, performance.now() - started);
        return { status: r.status, bytes: (await r.arrayBuffer()).byteLength };
      }),
    );
    await new Promise((r) => setTimeout(r, 30));
    for (let i = 0; i < 3; i++)
      expect((await call("GET", `/api/v1/prompts/resolve?name=${name}`, { key: runtimeKey })).status).toBe(404);
    const resolvedAt = performance.now() - started;
    expect(await Promise.all(exported)).toEqual(Array(3).fill({ status: 200, bytes: 0 }));
    // Before the last export is answered: inline, the first resolve would wait for all three decodes, queued
    // before it, and the other two would come after. (Before the decodes' midway point, as this once asked, is
    // a race on two busy cores: run 41 resolved at 266 ms against a midway point of 265, the exports at 500.)
    expect(resolvedAt, `resolved at ${resolvedAt} ms, the last export answered at ${exportedAt} ms`).toBeLessThan(
      exportedAt,
    );
  });
});
