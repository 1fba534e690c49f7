// OTLP exports that cost the most to decode within the limits, for the tests and benchmarks that push them: 240
// spans of 1,000 attributes each (960,000 fields, under MAX_OTLP_ELEMENTS; every attribute kept), about 4.6 MB of
// protobuf and about 150 ms of decoding. Not model calls, so nothing is stored.
import protobuf from "protobufjs/light.js";

const field = (id: number, body: Uint8Array) =>
  protobuf.Writer.create()
    .uint32((id << 3) | 2)
    .bytes(body)
    .finish();

export function costliestExport(spanCount = 240, attributes = 1000): Buffer<ArrayBuffer> {
  const spans: Uint8Array[] = [];
  for (let s = 0; s < spanCount; s++) {
    const w = protobuf.Writer.create();
    w.uint32((1 << 3) | 2).bytes(Buffer.alloc(16, 1)); // traceId
    w.uint32((2 << 3) | 2).bytes(Buffer.alloc(8, s + 1)); // spanId
    w.uint32((7 << 3) | 1).fixed64(1); // startTimeUnixNano
    w.uint32((8 << 3) | 1).fixed64(2); // endTimeUnixNano
    for (let a = 0; a < attributes; a++)
      w.uint32((9 << 3) | 2).bytes(
        protobuf.Writer.create()
          .uint32((1 << 3) | 2)
          .string(`k${a}`)
          .uint32((2 << 3) | 2)
          .bytes(field(1, Buffer.from(`v${a}-${s}`)))
          .finish(),
      );
    spans.push(field(2, w.finish()));
  }
  return Buffer.from(Uint8Array.from(field(1, field(2, Buffer.concat(spans)))));
}
