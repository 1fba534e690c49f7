// The direct wire reader (otlp-wire.ts) against the reference: protobufjs's decoding to the OTLP/JSON shape, then
// readSpans. Equal on what real exporters send and on generated requests that reach every bound (ids of every
// length, missing times, 1,000+ attributes, long keys, values nested past the depth limit, several members of
// one oneof, 64-bit integers, non-finite doubles, a resource after its spans).
import { describe, expect, it } from "vitest";
import protobuf from "protobufjs/light.js";
import { spanBatch } from "../../bench/otlp";
import { readSpans } from "./otlp-read";
import { decodeTraceRequest, encodeTraceRequest } from "./otlp-proto";
import { readWireSpans, WireFormatError } from "./otlp-wire";

const reference = (bytes: Uint8Array) => readSpans(decodeTraceRequest(bytes), "base64");

/** A small deterministic generator (mulberry32). */
function rng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: T[]) => xs[int(xs.length)]!;
  return { next, int, pick };
}

function generate(seed: number) {
  const r = rng(seed);
  const b64 = (n: number) => Buffer.from(Array.from({ length: n }, () => r.int(256))).toString("base64");
  const str = () => r.pick(["", "a", "lectern.prompt.name", "é✓😀", "x".repeat(300), `k${r.int(5)}`]);
  const value = (depth: number): Record<string, unknown> => {
    const kind = r.int(depth > 10 ? 4 : 9);
    if (kind === 0) return { stringValue: str() };
    if (kind === 1) return { boolValue: r.next() < 0.5 };
    if (kind === 2) return { intValue: r.pick(["0", "-1", "9007199254740993", "-9223372036854775808", "42"]) };
    if (kind === 3) return { doubleValue: r.pick([0.5, -2, Infinity, NaN, 1e308]) };
    if (kind === 4) return { arrayValue: { values: Array.from({ length: r.int(4) }, () => value(depth + 1)) } };
    if (kind === 5) return { kvlistValue: { values: attributes(depth + 1, r.int(4)) } };
    if (kind === 6) return { bytesValue: b64(r.int(5)) };
    if (kind === 7) return {};
    return { stringValue: str(), intValue: "7", boolValue: true };
  };
  const attributes = (depth: number, n: number) =>
    Array.from({ length: n }, () => (r.next() < 0.1 ? { value: value(depth) } : { key: str(), value: value(depth) }));
  const span = () => {
    const s: Record<string, unknown> = {
      traceId: b64(r.pick([0, 1, 16, 16, 16, 33])),
      spanId: b64(r.pick([0, 8, 8, 8, 40])),
      name: r.pick(["chat", "n".repeat(400), ""]),
      attributes: attributes(0, r.next() < 0.05 ? 1_100 : r.int(8)),
      events: Array.from({ length: r.int(3) }, () =>
        r.next() < 0.8 ? { name: r.pick(["ai.stream.firstChunk", ""]), timeUnixNano: String(r.int(1e6)) } : {},
      ),
      kind: 3,
      status: { code: 1, message: "ok" },
    };
    if (r.next() < 0.5) s.parentSpanId = b64(8);
    if (r.next() < 0.95) s.startTimeUnixNano = String(1_700_000_000_000_000_000n + BigInt(r.int(1000)));
    if (r.next() < 0.95) s.endTimeUnixNano = String(1_700_000_000_000_000_500n + BigInt(r.int(1000)));
    return s;
  };
  return {
    resourceSpans: Array.from({ length: 1 + r.int(3) }, () => ({
      resource: { attributes: attributes(0, r.int(4)) },
      scopeSpans: Array.from({ length: r.int(3) }, () => ({
        scope: { name: "s", version: "1" },
        spans: Array.from({ length: r.int(5) }, span),
      })),
    })),
  };
}

const ids = (i: number) => ({
  traceId: Buffer.alloc(16, 1).toString("base64"),
  spanId: Buffer.alloc(8, i + 1).toString("base64"),
  startTimeUnixNano: "1",
  endTimeUnixNano: "2",
});

describe("reading OTLP protobuf straight from the wire", () => {
  it("reads a real exporter's request as the reference does", () => {
    const bytes = spanBatch("app/spans", 50, false);
    const wire = readWireSpans(bytes);
    expect(wire.spans).toHaveLength(50);
    expect(wire).toEqual(reference(bytes));
  });

  it("equals the reference on 300 generated requests at every bound", () => {
    let spans = 0;
    let rejected = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const bytes = encodeTraceRequest(generate(seed));
      const wire = readWireSpans(bytes);
      expect(wire, `seed ${seed}`).toEqual(reference(bytes));
      spans += wire.spans.length;
      rejected += wire.rejected.length;
    }
    // The generator reaches both outcomes often.
    expect(spans).toBeGreaterThan(200);
    expect(rejected).toBeGreaterThan(50);
  });

  it("gives a span the resource that follows it on the wire", () => {
    // One ResourceSpans field whose body is a body with spans, then a body with the resource: protobuf reads
    // such a message as one, merged; the resource comes after the spans.
    const body = (message: Record<string, unknown>) => {
      const reader = protobuf.Reader.create(encodeTraceRequest({ resourceSpans: [message] }));
      reader.uint32(); // the tag of field 1
      return reader.bytes();
    };
    const spans = { scopeSpans: [{ spans: [0, 1, 2].map((i) => ({ ...ids(i), name: "chat" })) }] };
    const resource = { resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] } };
    const merged = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(Buffer.concat([body(spans), body(resource)]))
      .finish();
    const read = readWireSpans(merged);
    expect(read).toEqual(reference(merged));
    expect(read.spans).toHaveLength(3);
    for (const s of read.spans) expect(s.resource.get("service.name")).toBe("api");
  });

  it("refuses bytes that are not the wire format", () => {
    for (const bad of [[0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f], [0x0f], [0x0a, 0x02, 0x12], [0x09, 1, 2]])
      expect(() => readWireSpans(Uint8Array.from(bad))).toThrow(WireFormatError);
  });
});
