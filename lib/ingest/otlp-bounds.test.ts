// What decoding an OTLP request may cost: a body that unpacks into millions of empty attributes (a few KiB of
// gzip) is refused by a walk that counts fields and stops at the limit, before any decoding.
import { describe, expect, it } from "vitest";
import protobuf from "protobufjs/light.js";
import { countJsonElements } from "./otlp-ingest";
import { countWireElements, decodeTraceRequest, MAX_OTLP_ELEMENTS, TooManyElementsError } from "./otlp-proto";

/** A length-delimited field: its tag, the length as a varint, the bytes. */
function field(id: number, body: Uint8Array): Uint8Array {
  const w = protobuf.Writer.create();
  w.uint32((id << 3) | 2).bytes(body);
  return w.finish();
}
const concat = (parts: Uint8Array[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** One span (ids and times) with `n` empty attributes, in one request. */
function requestWithAttributes(n: number): Uint8Array {
  const emptyAttribute = Uint8Array.from([(9 << 3) | 2, 0]);
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).bytes(Buffer.alloc(16, 1)); // traceId
  w.uint32((2 << 3) | 2).bytes(Buffer.alloc(8, 2)); // spanId
  w.uint32((7 << 3) | 1).fixed64(1); // startTimeUnixNano
  w.uint32((8 << 3) | 1).fixed64(2); // endTimeUnixNano
  const span = concat([w.finish(), Buffer.concat(Array.from({ length: n }, () => Buffer.from(emptyAttribute)))]);
  return field(1, field(2, field(2, span)));
}

describe("OTLP decoding is bounded by the number of fields", () => {
  it("counts a real request's fields at every depth, and decodes it", () => {
    const bytes = requestWithAttributes(3);
    // resourceSpans, scopeSpans, span; traceId, spanId, start, end and 3 attributes.
    expect(countWireElements(bytes)).toBe(10);
    const decoded = decodeTraceRequest(bytes) as { resourceSpans: { scopeSpans: { spans: unknown[] }[] }[] };
    expect(decoded.resourceSpans[0]!.scopeSpans[0]!.spans).toHaveLength(1);
  });

  it("refuses 1,100,000 empty attributes before decoding them", () => {
    const bytes = requestWithAttributes(MAX_OTLP_ELEMENTS + 100_000);
    expect(() => decodeTraceRequest(bytes)).toThrow(TooManyElementsError);
    expect(() => countWireElements(bytes)).toThrow(/more than 1,000,000 fields/);
  });

  it("leaves bytes that are not the wire format to the decoder", () => {
    expect(countWireElements(Uint8Array.from([0xff, 0xff, 0xff]))).toBeLessThan(MAX_OTLP_ELEMENTS);
    expect(() => decodeTraceRequest(Uint8Array.from([0x0f]))).toThrow();
  });

  it("counts OTLP/JSON's objects, arrays and elements outside strings, and stops at the limit", () => {
    expect(countJsonElements('{"a":[1,2,{"b":"x,{[\\\\\\"y"}]}')).toBe(5);
    const attributes = Array.from({ length: MAX_OTLP_ELEMENTS }, () => "{}").join(",");
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[${attributes}]}]}]}]}`;
    expect(() => countJsonElements(text)).toThrow(/more than 1,000,000 elements/);
  });
});
