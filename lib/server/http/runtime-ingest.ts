// The runtime ingest paths: POST /api/v1/events (metric events) and POST /api/v1/otel/v1/traces
// (OpenTelemetry spans), within per-key budgets of requests and bytes a minute.
import "server-only";
import { z } from "zod";
import { AppError, isAppError } from "@/lib/errors";
import { ingestEvents } from "@/lib/ingest/ingest";
import { decodeOtlpOffThread } from "@/lib/ingest/otlp-decode-thread";
import { projectPrices } from "@/lib/llm/project-prices";
import { otlpEncoding } from "@/lib/ingest/otlp-decode";
import { ingestOtlpTraces, otlpFormat, partialSuccess } from "@/lib/ingest/otlp-ingest";
import { encodeTraceResponse } from "@/lib/ingest/otlp-proto";
import type { RuntimeAnswer } from "@/lib/runtime/answer";
import { KeyBudget } from "@/lib/runtime/rate-limit";
import { env } from "../wiring/env";
import { assertDeclaredLength, parseJsonBody, parseWith } from "./request-input";
import { authenticated, errorAnswer, json, query, type RuntimeRequest } from "./runtime-request";
import { processSingleton } from "../wiring/singleton";

// A batch of 1,000 generation events with their outputs does not fit the API's usual 1 MiB.
export const EVENTS_MAX_BODY_BYTES = 8 * 1024 * 1024;

// Ingest budgets per API key (per process): requests and body bytes per minute, shared by events and
// OTLP spans. One key sent 239 batches in 10 s (+476 MB in the database) before; now the 429 says when
// to come back. A change of the settings (tests) starts new budgets.
function ingestBudgets() {
  const { LECTERN_INGEST_REQUESTS_PER_MINUTE: requests, LECTERN_INGEST_BYTES_PER_MINUTE: bytes } = env();
  return processSingleton(`ingest-budgets:${requests}:${bytes}`, () => ({
    requests: new KeyBudget(requests),
    bytes: new KeyBudget(bytes),
  }));
}

function budgetError(waitMs: number, what: string, setting: string, limit: number): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError(
    "rate_limited",
    `This API key has sent more than ${limit} ${what} a minute of events (${setting}); try again in ${seconds} s. Nothing was stored.`,
    { limit, setting, retryAfterSeconds: seconds },
  );
}

function overBudget(waitMs: number, what: string, setting: string, limit: number): RuntimeAnswer {
  const err = budgetError(waitMs, what, setting, limit);
  return errorAnswer(err, { "retry-after": String(err.details!.retryAfterSeconds) });
}

/**
 * Charges one request of `bytes` to the key's ingest budgets — for the compatible APIs' request logging, which
 * records what POST /api/v1/events records — or throws the 429 that says when to come back.
 */
export function chargeIngest(keyId: string, bytes: number): void {
  const budgets = ingestBudgets();
  const waitRequests = budgets.requests.take(keyId, 1);
  if (waitRequests)
    throw budgetError(waitRequests, "requests", "LECTERN_INGEST_REQUESTS_PER_MINUTE", budgets.requests.perMinute);
  const waitBytes = budgets.bytes.take(keyId, bytes);
  if (waitBytes) throw budgetError(waitBytes, "bytes", "LECTERN_INGEST_BYTES_PER_MINUTE", budgets.bytes.perMinute);
}

/** The body of an ingest request, as sent, within the key's budgets, or the 429 that says when to come back. */
async function ingestBody(req: RuntimeRequest, keyId: string): Promise<Uint8Array | RuntimeAnswer> {
  const budgets = ingestBudgets();
  const waitRequests = budgets.requests.take(keyId, 1);
  if (waitRequests)
    return overBudget(waitRequests, "requests", "LECTERN_INGEST_REQUESTS_PER_MINUTE", budgets.requests.perMinute);
  // A key already past its bytes is refused before its body is read (the connection closes on the unread rest).
  const owed = budgets.bytes.take(keyId, 0);
  if (owed) {
    const refused = overBudget(owed, "bytes", "LECTERN_INGEST_BYTES_PER_MINUTE", budgets.bytes.perMinute);
    return { ...refused, headers: { ...refused.headers, connection: "close" } };
  }
  assertDeclaredLength(req.header("content-length"), EVENTS_MAX_BODY_BYTES);
  const bytes = (await req.readBody(EVENTS_MAX_BODY_BYTES)) ?? new Uint8Array();
  const waitBytes = budgets.bytes.take(keyId, bytes.byteLength);
  if (waitBytes) return overBudget(waitBytes, "bytes", "LECTERN_INGEST_BYTES_PER_MINUTE", budgets.bytes.perMinute);
  return bytes;
}

export async function eventsPost(req: RuntimeRequest): Promise<RuntimeAnswer> {
  const { db, auth } = await authenticated(req, "runtime.feedback");
  query(req, z.unknown());
  const bytes = await ingestBody(req, auth.principal.keyId);
  if (!(bytes instanceof Uint8Array)) return bytes;
  const events = parseWith(z.unknown(), parseJsonBody(bytes) ?? {}, "body");
  // 202 only once the batch is written: acknowledged means durable.
  // A key limited to some environments sends events for those only (403 otherwise, as resolve).
  return json(
    await ingestEvents(db, auth.principal.projectId, events, new Date(), auth.principal.environments ?? null),
    202,
  );
}

/** The header an OpenTelemetry exporter may send its key in, when it sends no Authorization header. */
export const OTLP_KEY_HEADER = "x-lectern-key";

// OTLP over HTTP (the exporters' default path /v1/traces under /api/v1/otel): the key as
// Authorization: Bearer or x-lectern-key. Answers in the request's format; a partial success names the
// spans that were dropped and why.
export async function otlpPost(req: RuntimeRequest): Promise<RuntimeAnswer> {
  const { db, auth } = await authenticated(req, "runtime.feedback", "runtime", OTLP_KEY_HEADER);
  query(req, z.unknown());
  const format = otlpFormat(req.header("content-type"));
  const encoding = otlpEncoding(req.header("content-encoding"));
  const keyId = auth.principal.keyId;
  const bytes = await ingestBody(req, keyId);
  if (!(bytes instanceof Uint8Array)) return bytes;
  // Inflated and decoded on the decoder's worker thread when the server has one (inflation bounded, the queue
  // too): what a sender makes that cost is not paid by the thread that answers resolve. The key is charged what
  // its body inflated to, and a bomb the whole limit, so its next exports wait (LECTERN_INGEST_BYTES_PER_MINUTE).
  const prices = await projectPrices(db, auth.principal.projectId);
  const { LECTERN_OTLP_DECODE_QUEUE: queueLimit } = env();
  const decoded = await decodeOtlpOffThread(bytes, {
    format,
    encoding,
    maxBytes: EVENTS_MAX_BODY_BYTES,
    prices,
    key: keyId,
    queueLimit,
  }).catch((e: unknown) => {
    if (isAppError(e) && e.code === "payload_too_large")
      ingestBudgets().bytes.charge(keyId, EVENTS_MAX_BODY_BYTES - bytes.byteLength);
    throw e;
  });
  ingestBudgets().bytes.charge(keyId, decoded.bytes - bytes.byteLength);
  const { mapped } = decoded;
  const r = await ingestOtlpTraces(
    db,
    auth.principal.projectId,
    { mapped },
    new Date(),
    auth.principal.environments ?? null,
  );
  const partial = partialSuccess(r);
  if (format === "protobuf")
    return {
      status: 200,
      headers: { "content-type": "application/x-protobuf" },
      body: Buffer.from(encodeTraceResponse(partial)),
    };
  const { rejected, ...counts } = r;
  return json(
    { ...(partial ? { partialSuccess: partial } : {}), lectern: { ...counts, rejected: rejected.length } },
    200,
  );
}
