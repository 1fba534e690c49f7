// Reading an OTLP trace export request: the OTLP/JSON shape (protobuf is decoded to it by
// otlp-proto.ts) flattened into spans with their attributes, every value checked (hostile input: sizes,
// nesting, ids and times). otlp.ts maps the spans that are model calls to events.

export type AttrValue = string | number | boolean | null | AttrValue[] | { [key: string]: AttrValue };
export type Attrs = Map<string, AttrValue>;

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
export const MAX_ATTRIBUTES = 1_000;
export const MAX_DEPTH = 8;

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
