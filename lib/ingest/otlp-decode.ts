// Reading one OTLP export's spans from its bytes (JSON or protobuf, already decompressed): bounded by the number
// of elements before any parse (a request past MAX_OTLP_ELEMENTS is a 413), then read into spans. Pure and
// synchronous, with no database: otlp-decode-thread.ts runs it on a worker thread in Lectern's server, off the
// thread that answers resolve.
import { gunzipSync } from "node:zlib";
import { AppError } from "../errors";
import { assertSafeValue } from "../input-safety";
import type { PriceTable } from "../llm/pricing";
import { spansToEvents, type SpanMapping } from "./otlp";
import { OtlpShapeError, readSpans, type RejectedSpan } from "./otlp-read";
import { countWireElements, MAX_OTLP_ELEMENTS, TooManyElementsError } from "./otlp-proto";
import { readWireSpans, WireFormatError } from "./otlp-wire";

export type OtlpFormat = "json" | "protobuf";
export type OtlpEncoding = "gzip" | "identity";

/** The body's Content-Encoding, or a clear refusal (checked before the body is read). */
export function otlpEncoding(header: string | null | undefined): OtlpEncoding {
  const e = (header ?? "identity").trim().toLowerCase();
  if (e === "identity" || e === "") return "identity";
  if (e === "gzip") return "gzip";
  throw new AppError("invalid_input", `Content-Encoding must be gzip or none, not ${e}.`, {
    field: "content-encoding",
  });
}

/** What a failed inflation means for the sender: past `limit` (a zip bomb) is a 413, anything else bad gzip. */
export function inflateError(err: unknown, limit: number): AppError {
  if (err instanceof RangeError || (err as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
    return new AppError("payload_too_large", `The body is larger than ${limit} bytes once decompressed.`, { limit });
  return new AppError("invalid_input", "The body is not valid gzip.", { field: "content-encoding" });
}

/** The body's bytes after its encoding, never more than `limit` inflated (zlib stops there: a bomb costs the limit). */
export function inflateOtlp(bytes: Uint8Array, encoding: OtlpEncoding, limit: number): Uint8Array {
  if (encoding === "identity") return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: limit });
  } catch (err) {
    throw inflateError(err, limit);
  }
}
export type DecodedSpans = ReturnType<typeof readSpans>;
/** An export's model calls as generation events, with what was dropped: what ingest needs, and small. */
export type MappedSpans = SpanMapping & { rejected: RejectedSpan[]; total: number };

/** Objects, arrays and their elements in JSON text (outside strings), stopping at `limit`: a scan, no parse. */
export function countJsonElements(text: string, limit = MAX_OTLP_ELEMENTS): number {
  let count = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: the next character is escaped
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91 || c === 44) {
      if (++count > limit) throw new TooManyElementsError(`more than ${limit.toLocaleString("en-US")} elements`);
    }
  }
  return count;
}

const tooMany = (e: TooManyElementsError) =>
  new AppError(
    "payload_too_large",
    `OTLP: the request has ${e.message}, the most one request may hold; send smaller batches.`,
    { limit: MAX_OTLP_ELEMENTS },
  );

/** An export request's spans, or an AppError naming what is wrong with it (pure and synchronous:
 * otlp-decode-thread.ts runs it off the serving thread). Protobuf is read from the wire straight into spans
 * (otlp-wire.ts), JSON parsed and read by readSpans; both are bounded by an element count first. */
export function decodeOtlp(bytes: Uint8Array, format: OtlpFormat): DecodedSpans {
  try {
    if (format === "protobuf") {
      countWireElements(bytes);
      return readWireSpans(bytes);
    }
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
    countJsonElements(text);
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new AppError("invalid_input", "The body is not valid JSON (OTLP/JSON).");
    }
    assertSafeValue(raw);
    return readSpans(raw, "hex");
  } catch (e) {
    if (e instanceof TooManyElementsError) throw tooMany(e);
    if (e instanceof OtlpShapeError) throw new AppError("invalid_input", `OTLP: ${e.message}.`);
    if (e instanceof WireFormatError)
      throw new AppError(
        "invalid_input",
        `The body is not an OTLP ExportTraceServiceRequest in protobuf: ${e.message}`,
      );
    throw e;
  }
}

/** An export decoded and its model calls mapped to events (otlp.ts), priced by `prices`: one pure step. */
export function decodeAndMap(bytes: Uint8Array, format: OtlpFormat, prices: PriceTable): MappedSpans {
  const { spans, rejected, total } = decodeOtlp(bytes, format);
  return { ...spansToEvents(spans, prices), rejected, total };
}
