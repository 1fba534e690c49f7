// An OTLP ExportTraceServiceRequest read from the protobuf wire format straight into spans: no message objects,
// no OTLP/JSON shape in between (protobufjs's decode and toObject cost about 20 µs a span, mostly garbage).
// What it reads, and every bound, is readSpans's (otlp-read.ts): the same ids, times, names, attributes (the
// first 1,000 per list, keys up to 256 characters, values nested up to 8 deep) and span events, and the same
// rejections. Fields it does not use are skipped by their wire type. otlp-wire.test.ts holds the two readers
// equal. The element count (otlp-proto.ts) runs before it, so the work here is bounded by that count.
import {
  type AttrValue,
  type Attrs,
  MAX_ATTRIBUTES,
  MAX_DEPTH,
  MAX_SPANS_PER_REQUEST,
  OtlpShapeError,
  type OtlpSpan,
  type RejectedSpan,
} from "./otlp-read";

/** Bytes that are not the wire format (a length past the end, a bad varint or wire type). */
export class WireFormatError extends Error {}

// One cursor per read: `b` the bytes, `at` the position. Functions take the end of the enclosing message.
type Cursor = { b: Buffer; at: number };

function varint(c: Cursor, end: number): number {
  let shift = 0;
  let v = 0;
  for (;;) {
    if (c.at >= end || shift > 63) throw new WireFormatError("bad varint");
    const byte = c.b[c.at++]!;
    if (shift < 53) v += (byte & 0x7f) * 2 ** shift;
    if (!(byte & 0x80)) return v;
    shift += 7;
  }
}

/** An int64 varint as a Number (two's complement; rounded as Number(String(long)) is). */
function int64(c: Cursor, end: number): number {
  let lo = 0;
  let hi = 0;
  for (let i = 0; ; i++) {
    if (c.at >= end || i > 9) throw new WireFormatError("bad varint");
    const byte = c.b[c.at++]!;
    if (i < 4) lo |= (byte & 0x7f) << (7 * i);
    else if (i === 4) {
      lo |= (byte & 0x0f) << 28;
      hi |= (byte & 0x7f) >> 4;
    } else hi |= (byte & 0x7f) << (7 * i - 32);
    if (!(byte & 0x80)) break;
  }
  lo >>>= 0;
  hi >>>= 0;
  if (hi & 0x80000000) return -((~hi >>> 0) * 2 ** 32 + ((~lo >>> 0) + 1));
  return hi * 2 ** 32 + lo;
}

function fixed64(c: Cursor, end: number): bigint {
  if (c.at + 8 > end) throw new WireFormatError("fixed64 past the end");
  const v = c.b.readBigUInt64LE(c.at);
  c.at += 8;
  return v;
}

/** The end of a length-delimited field that starts at the cursor (the cursor moves to its first byte). */
function lengthEnd(c: Cursor, end: number): number {
  const length = varint(c, end);
  if (c.at + length > end) throw new WireFormatError("a length past the end of its message");
  return c.at + length;
}

function skip(c: Cursor, wire: number, end: number) {
  if (wire === 0) varint(c, end);
  else if (wire === 1) c.at += 8;
  else if (wire === 5) c.at += 4;
  else if (wire === 2) c.at = lengthEnd(c, end);
  else throw new WireFormatError(`bad wire type ${wire}`);
  if (c.at > end) throw new WireFormatError("a field past the end of its message");
}

const utf8 = (c: Cursor, end: number) => {
  const stop = lengthEnd(c, end);
  const s = c.b.toString("utf8", c.at, stop);
  c.at = stop;
  return s;
};

/** Ids: 1 to 32 bytes as lowercase hex, else "" (readSpans's rule). */
const idOf = (c: Cursor, end: number) => {
  const stop = lengthEnd(c, end);
  const length = stop - c.at;
  const hex = length >= 1 && length <= 32 ? c.b.toString("hex", c.at, stop) : "";
  c.at = stop;
  return hex;
};

/** One KeyValue into `out` (a map of attributes, or a kvlist value's object); later keys replace earlier ones. */
function keyValue(c: Cursor, end: number, depth: number, out: Attrs | Record<string, AttrValue>) {
  let key: string | undefined;
  let value: AttrValue = null;
  while (c.at < end) {
    const tag = varint(c, end);
    const field = Math.floor(tag / 8);
    if (field === 1 && (tag & 7) === 2) key = utf8(c, end);
    else if (field === 2 && (tag & 7) === 2) value = anyValue(c, lengthEnd(c, end), depth);
    else skip(c, tag & 7, end);
  }
  if (key === undefined || key.length > 256) return;
  if (out instanceof Map) out.set(key, value);
  else Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

/** One entry of a repeated KeyValue field, read when fewer than MAX_ATTRIBUTES came before it (`seen`). */
function keyValues(c: Cursor, end: number, depth: number, out: Attrs | Record<string, AttrValue>, seen: number) {
  const stop = lengthEnd(c, end);
  if (seen < MAX_ATTRIBUTES) keyValue(c, stop, depth, out);
  c.at = stop;
}

/** An AnyValue message: the last member of the oneof on the wire wins (as protobufjs decodes it). */
function anyValue(c: Cursor, end: number, depth: number): AttrValue {
  if (depth > MAX_DEPTH) {
    c.at = end;
    return null;
  }
  let value: AttrValue = null;
  let member = 0;
  let seen = 0;
  while (c.at < end) {
    const tag = varint(c, end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === 2) value = utf8(c, end);
    else if (field === 2 && wire === 0) value = varint(c, end) !== 0;
    else if (field === 3 && wire === 0) value = int64(c, end);
    else if (field === 4 && wire === 1) {
      if (c.at + 8 > end) throw new WireFormatError("double past the end");
      const double = c.b.readDoubleLE(c.at);
      c.at += 8;
      value = Number.isFinite(double) ? double : null;
    } else if (field === 5 && wire === 2) {
      // A message member read twice in a row is merged: the values of both.
      const stop = lengthEnd(c, end);
      const array: AttrValue[] = member === 5 ? (value as AttrValue[]) : [];
      while (c.at < stop) {
        const t = varint(c, stop);
        if (t === (1 << 3) + 2) array.push(anyValue(c, lengthEnd(c, stop), depth + 1));
        else skip(c, t & 7, stop);
      }
      value = array;
    } else if (field === 6 && wire === 2) {
      const stop = lengthEnd(c, end);
      const kvlist: Record<string, AttrValue> = member === 6 ? (value as Record<string, AttrValue>) : {};
      if (member !== 6) seen = 0;
      while (c.at < stop) {
        const t = varint(c, stop);
        if (t === (1 << 3) + 2) keyValues(c, stop, depth + 1, kvlist, seen++);
        else skip(c, t & 7, stop);
      }
      value = kvlist;
    } else if (field === 7 && wire === 2) {
      const stop = lengthEnd(c, end);
      value = c.b.toString("base64", c.at, stop);
      c.at = stop;
    } else {
      skip(c, wire, end);
      continue;
    }
    member = field;
  }
  return value;
}

type Read = { spans: OtlpSpan[]; rejected: RejectedSpan[]; total: number };

function span(c: Cursor, end: number, resource: Attrs, out: Read) {
  let traceId = "";
  let spanId = "";
  let parentSpanId = "";
  let name = "";
  let startNs: bigint | null = null;
  let endNs: bigint | null = null;
  const attributes: Attrs = new Map();
  let seen = 0;
  const events: OtlpSpan["events"] = [];
  while (c.at < end) {
    const tag = varint(c, end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (wire === 2 && field === 9) keyValues(c, end, 0, attributes, seen++);
    else if (wire === 2 && field === 1) traceId = idOf(c, end);
    else if (wire === 2 && field === 2) spanId = idOf(c, end);
    else if (wire === 2 && field === 4) parentSpanId = idOf(c, end);
    else if (wire === 2 && field === 5) name = utf8(c, end).slice(0, 256);
    else if (wire === 1 && field === 7) startNs = fixed64(c, end);
    else if (wire === 1 && field === 8) endNs = fixed64(c, end);
    else if (wire === 2 && field === 11) {
      const stop = lengthEnd(c, end);
      let timeNs: bigint | null = null;
      let eventName = "";
      while (c.at < stop) {
        const t = varint(c, stop);
        if (t === (1 << 3) + 1) timeNs = fixed64(c, stop);
        else if (t === (2 << 3) + 2) eventName = utf8(c, stop);
        else skip(c, t & 7, stop);
      }
      if (timeNs !== null) events.push({ name: eventName, timeNs });
    } else skip(c, wire, end);
  }
  if (!spanId || !traceId || startNs === null || endNs === null || endNs < startNs) {
    out.rejected.push({ spanId: spanId || "?", reason: "a span needs traceId, spanId and start and end times" });
    return;
  }
  out.spans.push({
    traceId,
    spanId,
    parentSpanId: parentSpanId || null,
    name,
    startNs,
    endNs,
    attributes,
    events,
    resource,
  });
}

function resourceSpans(c: Cursor, end: number, out: Read) {
  // The resource may come after its spans on the wire: spans share one map, filled when it is read.
  const resource: Attrs = new Map();
  let seen = 0;
  while (c.at < end) {
    const tag = varint(c, end);
    const field = Math.floor(tag / 8);
    const wire = tag & 7;
    if (field === 1 && wire === 2) {
      const stop = lengthEnd(c, end);
      while (c.at < stop) {
        const t = varint(c, stop);
        if (t === (1 << 3) + 2) keyValues(c, stop, 0, resource, seen++);
        else skip(c, t & 7, stop);
      }
    } else if (field === 2 && wire === 2) {
      const stop = lengthEnd(c, end);
      while (c.at < stop) {
        const t = varint(c, stop);
        if (t !== (2 << 3) + 2) {
          skip(c, t & 7, stop);
          continue;
        }
        if (++out.total > MAX_SPANS_PER_REQUEST)
          throw new OtlpShapeError(`at most ${MAX_SPANS_PER_REQUEST} spans per request; send smaller batches`);
        span(c, lengthEnd(c, stop), resource, out);
      }
    } else skip(c, wire, end);
  }
}

/** The spans of a protobuf export request: readSpans(decoded request, "base64")'s answer, read from the bytes. */
export function readWireSpans(bytes: Uint8Array): Read {
  const c: Cursor = { b: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), at: 0 };
  const out: Read = { spans: [], rejected: [], total: 0 };
  const end = bytes.byteLength;
  while (c.at < end) {
    const tag = varint(c, end);
    if (tag === (1 << 3) + 2) resourceSpans(c, lengthEnd(c, end), out);
    else skip(c, tag & 7, end);
  }
  return out;
}
