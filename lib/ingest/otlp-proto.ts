// The OTLP trace messages (opentelemetry-proto v1: collector/trace/v1, trace/v1, common/v1,
// resource/v1), as a protobufjs reflection root: field numbers copied from the .proto files, only the
// messages an export request and its response use. Decoding is protobufjs's; this file is the schema.
import protobuf from "protobufjs/light.js";

const keyValues = { rule: "repeated", type: "KeyValue" } as const;

const root = protobuf.Root.fromJSON({
  nested: {
    otlp: {
      nested: {
        ExportTraceServiceRequest: { fields: { resourceSpans: { ...rep("ResourceSpans"), id: 1 } } },
        ExportTraceServiceResponse: { fields: { partialSuccess: { type: "ExportTracePartialSuccess", id: 1 } } },
        ExportTracePartialSuccess: {
          fields: { rejectedSpans: { type: "int64", id: 1 }, errorMessage: { type: "string", id: 2 } },
        },
        ResourceSpans: {
          fields: {
            resource: { type: "Resource", id: 1 },
            scopeSpans: { ...rep("ScopeSpans"), id: 2 },
            schemaUrl: { type: "string", id: 3 },
          },
        },
        Resource: {
          fields: { attributes: { ...keyValues, id: 1 }, droppedAttributesCount: { type: "uint32", id: 2 } },
        },
        ScopeSpans: {
          fields: {
            scope: { type: "InstrumentationScope", id: 1 },
            spans: { ...rep("Span"), id: 2 },
            schemaUrl: { type: "string", id: 3 },
          },
        },
        InstrumentationScope: {
          fields: {
            name: { type: "string", id: 1 },
            version: { type: "string", id: 2 },
            attributes: { ...keyValues, id: 3 },
            droppedAttributesCount: { type: "uint32", id: 4 },
          },
        },
        Span: {
          fields: {
            traceId: { type: "bytes", id: 1 },
            spanId: { type: "bytes", id: 2 },
            traceState: { type: "string", id: 3 },
            parentSpanId: { type: "bytes", id: 4 },
            flags: { type: "fixed32", id: 16 },
            name: { type: "string", id: 5 },
            kind: { type: "int32", id: 6 },
            startTimeUnixNano: { type: "fixed64", id: 7 },
            endTimeUnixNano: { type: "fixed64", id: 8 },
            attributes: { ...keyValues, id: 9 },
            droppedAttributesCount: { type: "uint32", id: 10 },
            events: { ...rep("SpanEvent"), id: 11 },
            droppedEventsCount: { type: "uint32", id: 12 },
            droppedLinksCount: { type: "uint32", id: 14 },
            status: { type: "Status", id: 15 },
          },
        },
        SpanEvent: {
          fields: {
            timeUnixNano: { type: "fixed64", id: 1 },
            name: { type: "string", id: 2 },
            attributes: { ...keyValues, id: 3 },
            droppedAttributesCount: { type: "uint32", id: 4 },
          },
        },
        Status: { fields: { message: { type: "string", id: 2 }, code: { type: "int32", id: 3 } } },
        KeyValue: { fields: { key: { type: "string", id: 1 }, value: { type: "AnyValue", id: 2 } } },
        AnyValue: {
          oneofs: {
            value: {
              oneof: ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"],
            },
          },
          fields: {
            stringValue: { type: "string", id: 1 },
            boolValue: { type: "bool", id: 2 },
            intValue: { type: "int64", id: 3 },
            doubleValue: { type: "double", id: 4 },
            arrayValue: { type: "ArrayValue", id: 5 },
            kvlistValue: { type: "KeyValueList", id: 6 },
            bytesValue: { type: "bytes", id: 7 },
          },
        },
        ArrayValue: { fields: { values: { ...rep("AnyValue"), id: 1 } } },
        KeyValueList: { fields: { values: { ...keyValues, id: 1 } } },
      },
    },
  },
});

function rep(type: string) {
  return { rule: "repeated", type } as const;
}

root.resolveAll();
const request = root.lookupType("otlp.ExportTraceServiceRequest");
const response = root.lookupType("otlp.ExportTraceServiceResponse");

/** The most fields (at every depth) one export request may hold: decoding costs per field, not per byte. */
export const MAX_OTLP_ELEMENTS = 1_000_000;

export class TooManyElementsError extends Error {}

/**
 * Counts the fields of a message in the wire format, descending into the fields that hold messages (as the schema
 * above says), and stops at `limit`: 8 MiB can hold 4,000,000 empty attributes, which cost seconds to decode, and
 * this walk costs milliseconds. Bytes that are not the wire format are left for the decoder to refuse.
 */
export function countWireElements(bytes: Uint8Array, limit = MAX_OTLP_ELEMENTS): number {
  // One position and no closures per message: this runs over every field of every span.
  let count = 0;
  let at = 0;
  const varint = (end: number) => {
    let shift = 0;
    let v = 0;
    for (;;) {
      if (at >= end || shift > 63) throw new RangeError("bad varint");
      const b = bytes[at++]!;
      if (shift < 53) v += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return v;
      shift += 7;
    }
  };
  const walk = (type: protobuf.Type, end: number, depth: number) => {
    while (at < end) {
      const tag = varint(end);
      if (++count > limit) throw new TooManyElementsError(`more than ${limit.toLocaleString("en-US")} fields`);
      const wire = tag & 7;
      if (wire === 0) varint(end);
      else if (wire === 1) at += 8;
      else if (wire === 5) at += 4;
      else if (wire === 2) {
        const length = varint(end);
        const next = at + length;
        const child = type.fieldsById[Math.floor(tag / 8)]?.resolvedType;
        if (child instanceof protobuf.Type && depth < 32) walk(child, Math.min(end, next), depth + 1);
        at = next;
      } else throw new RangeError("bad wire type");
    }
  };
  try {
    walk(request, bytes.length, 0);
  } catch (e) {
    if (e instanceof TooManyElementsError) throw e;
  }
  return count;
}

/**
 * An export request decoded to the OTLP/JSON shape (camelCase, ids as base64 until normalised, 64-bit
 * numbers as decimal strings): the reference that otlp-wire.ts's direct reader is tested against.
 * Throws TooManyElementsError past MAX_OTLP_ELEMENTS (before decoding), protobufjs's error on bytes that are not
 * such a message.
 */
export function decodeTraceRequest(bytes: Uint8Array): unknown {
  countWireElements(bytes);
  return request.toObject(request.decode(bytes), { longs: String, bytes: String, defaults: false, oneofs: false });
}

/** An export request in the OTLP/JSON shape (ids base64, 64-bit numbers as strings) to protobuf: tests' encoder. */
export function encodeTraceRequest(message: Record<string, unknown>): Uint8Array {
  return request.encode(request.fromObject(message)).finish();
}

/** The response for a protobuf request: empty on full success, else the partial success. */
export function encodeTraceResponse(partial: { rejectedSpans: number; errorMessage: string } | null): Uint8Array {
  return response.encode(response.fromObject(partial ? { partialSuccess: partial } : {})).finish();
}
