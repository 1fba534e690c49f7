// One OTLP trace export in: decode (JSON or protobuf, gzip), read the spans, map the model calls to
// generation events (otlp.ts), and store them through the same ingest as POST /api/v1/events, so
// experiments, version statistics and online evaluation see them like any other event. A span that
// cannot be stored (an unknown prompt or version, an environment the key may not send for) is
// rejected on its own and named in the partial success; the others are stored.
import { z } from "zod";
import type { Db } from "../../db/client";
import { AppError, isAppError } from "../errors";
import { maxEventsPerBatch } from "../experiments/metric-events";
import { projectPrices } from "../llm/project-prices";
import { ingestEvents } from "./ingest";
import { decodeAndMap, inflateOtlp, otlpEncoding, type MappedSpans, type OtlpFormat } from "./otlp-decode";
import type { RejectedSpan } from "./otlp-read";

export { countJsonElements, decodeOtlp, type MappedSpans, type OtlpFormat } from "./otlp-decode";

export type OtlpResult = {
  spans: number;
  accepted: number;
  duplicates: number;
  /** Model calls that name no prompt version (dropped). */
  unlinked: number;
  /** Spans that are not model calls (HTTP, tools, wrappers). */
  skipped: number;
  rejected: RejectedSpan[];
};

/**
 * The JSON answer of POST /api/v1/otel/v1/traces: an ExportTraceServiceResponse (partialSuccess when spans were
 * dropped) and Lectern's counts (OtlpResult, `rejected` as a number). A protobuf request gets partialSuccess only.
 */
export const otlpTraceResponse = z.object({
  partialSuccess: z.object({ rejectedSpans: z.number().int(), errorMessage: z.string() }).optional(),
  lectern: z.object({
    spans: z.number().int(),
    accepted: z.number().int(),
    duplicates: z.number().int(),
    unlinked: z.number().int(),
    skipped: z.number().int(),
    rejected: z.number().int(),
  }),
});

/** The body's format from its Content-Type, or a clear refusal. */
export function otlpFormat(contentType: string | null | undefined): OtlpFormat {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json") return "json";
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  throw new AppError(
    "invalid_input",
    `Content-Type must be application/json or application/x-protobuf (OTLP over HTTP), not ${type || "missing"}.`,
    { field: "content-type" },
  );
}

/** The body's bytes after Content-Encoding, never more than `limit` decompressed (a zip bomb is a 413). */
export const otlpBytes = (bytes: Uint8Array, encoding: string | null | undefined, limit: number): Uint8Array =>
  inflateOtlp(bytes, otlpEncoding(encoding), limit);

type Problem = { index: number; field: string; message: string };
const problemsOf = (e: unknown): Problem[] | null => {
  if (!isAppError(e) || e.code !== "unprocessable") return null;
  const list = (e.details?.problems ?? null) as Problem[] | null;
  return list && list.length && list.every((p) => p.index >= 0) ? list : null;
};

export async function ingestOtlpTraces(
  db: Db,
  projectId: string,
  body: { bytes: Uint8Array; format: OtlpFormat } | { mapped: MappedSpans },
  now = new Date(),
  /** The environments the sending key is limited to (null: all). */
  allowed: readonly string[] | null = null,
): Promise<OtlpResult> {
  const mapping =
    "mapped" in body ? body.mapped : decodeAndMap(body.bytes, body.format, await projectPrices(db, projectId));
  const { rejected, total } = mapping;
  const result: OtlpResult = {
    spans: total,
    accepted: 0,
    duplicates: 0,
    unlinked: mapping.unlinked,
    skipped: mapping.skipped,
    rejected,
  };
  let pending = mapping.events;
  if (allowed) {
    pending = pending.filter(({ event, spanId }) => {
      const environment = (event.environment as string | undefined) ?? "production";
      if (allowed.includes(environment)) return true;
      rejected.push({
        spanId,
        reason: `this API key may only send events for ${allowed.join(", ")}, not ${environment}`,
      });
      return false;
    });
  }
  for (let i = 0; i < pending.length; i += maxEventsPerBatch) {
    let chunk = pending.slice(i, i + maxEventsPerBatch);
    // Events that cannot be stored are set aside with their reason and the rest stored (one retry:
    // the second attempt has only events that passed the first's checks).
    for (let attempt = 0; chunk.length; attempt++) {
      try {
        const r = await ingestEvents(db, projectId, { events: chunk.map((c) => c.event) }, now, allowed);
        result.accepted += r.accepted;
        result.duplicates += r.duplicates;
        break;
      } catch (e) {
        const problems = attempt === 0 ? problemsOf(e) : null;
        if (!problems) throw e;
        const bad = new Map(problems.map((p) => [p.index, `${p.field}: ${p.message}`]));
        for (const [index, reason] of bad) rejected.push({ spanId: chunk[index]!.spanId, reason });
        chunk = chunk.filter((_, index) => !bad.has(index));
      }
    }
  }
  return result;
}

/** The partial success an exporter logs: how many spans were refused, and why (the first few). */
export function partialSuccess(r: OtlpResult): { rejectedSpans: number; errorMessage: string } | null {
  const dropped = r.rejected.length + r.unlinked;
  if (!dropped) return null;
  const parts: string[] = [];
  if (r.unlinked)
    parts.push(
      `${r.unlinked} model-call span${r.unlinked === 1 ? "" : "s"} named no prompt version (set lectern.prompt.name and lectern.prompt.version; the SDK's prompt.telemetry() gives them)`,
    );
  if (r.rejected.length)
    parts.push(
      `${r.rejected.length} rejected: ${r.rejected
        .slice(0, 5)
        .map((x) => `span ${x.spanId}: ${x.reason}`)
        .join("; ")}${r.rejected.length > 5 ? "; …" : ""}`,
    );
  return { rejectedSpans: dropped, errorMessage: parts.join(". ") };
}
