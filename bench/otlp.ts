// OTLP ingest throughput: batches of 500 model-call spans as OpenTelemetry's protobuf exporter sends them
// (ProtobufTraceSerializer, gzip), each naming the prompt version, posted 4 at a time. Every span becomes
// a generation event (200 = durable).
import { gzipSync } from "node:zlib";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { inFlight } from "./ingest";

/** One OTLP export of `size` model-call spans of `prompt` v1 (protobuf, gzip unless `gzip` is false). */
export function spanBatch(prompt: string, size: number, gzip = true): Uint8Array<ArrayBuffer> {
  const memory = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] }).getTracer("bench");
  for (let i = 0; i < size; i++) {
    const span = tracer.startSpan("chat scripted-model", {
      attributes: {
        "lectern.prompt.name": prompt,
        "lectern.prompt.version": 1,
        "lectern.subject": `s-${i}`,
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o-mini",
        "gen_ai.usage.input_tokens": 120 + (i % 50),
        "gen_ai.usage.output_tokens": 40 + (i % 20),
      },
    });
    span.end();
  }
  const bytes = ProtobufTraceSerializer.serializeRequest(memory.getFinishedSpans())!;
  return new Uint8Array(gzip ? gzipSync(bytes) : bytes);
}

export async function otlpIngest(base: string, key: string, prompt: string, batches: number, concurrency = 4) {
  const bodies = Array.from({ length: batches }, () => spanBatch(prompt, 500));
  const { seconds, batchMs } = await inFlight(
    batches,
    concurrency,
    (i) => bodies[i]!,
    async (body) => {
      const res = await fetch(`${base}/api/v1/otel/v1/traces`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/x-protobuf",
          "content-encoding": "gzip",
        },
        body,
      });
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 200 || bytes.byteLength)
        throw new Error(`OTLP ingest failed: ${res.status} ${bytes.byteLength} bytes`);
    },
  );
  return {
    spans: batches * 500,
    seconds,
    spansPerSecond: (batches * 500) / seconds,
    gzipKiB: bodies[0]!.byteLength / 1024,
    batchMs,
  };
}
