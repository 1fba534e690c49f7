import { KeyBudget } from "@/lib/runtime/rate-limit";
import "server-only";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { ingestEvents } from "@/lib/events/ingest";
import { ingestOtlpTraces, otlpBytes, otlpFormat, partialSuccess } from "@/lib/events/otlp-ingest";
import { encodeTraceResponse } from "@/lib/events/otlp-proto";
import { assertSafeQuery } from "@/lib/input-safety";
import { countParam } from "@/lib/registry/numbers";
import { answerResolve, answerResolveCached, choose, type RuntimeAnswer } from "@/lib/runtime/answer";
import {
  answerResolveBatch,
  batchResolveBody,
  batchResolveQuery,
  isBatchBody,
  isBatchQuery,
} from "@/lib/runtime/batch";
import { assertKeyMayRead } from "@/lib/runtime/key-limits";
import { renderResolved, resolveBody, resolvedDto, resolvePrompt, resolveQuery } from "@/lib/runtime/resolve";
import { authenticate, authenticateCached, type HeaderGetter } from "./api-auth";
import type { Db } from "@/db/client";
import { getDb, readyDb } from "./db";
import { env } from "./env";
import { toAppError } from "./errors";
import { acquireStreamSlot, eventStream, type EventStream } from "./event-stream";
import { assertDeclaredLength, MAX_BODY_BYTES, parseJsonBody, parseWith } from "./request-input";
import { getRuntime, readyRuntime } from "./runtime";
import { processSingleton } from "./singleton";

// The runtime hot paths — GET/POST /api/v1/prompts/resolve, GET /api/v1/events (SSE), POST
// /api/v1/events (metric ingest) — as one framework-free implementation taking a small request
// abstraction. The Next route handlers (next-runtime.ts) and Lectern's own server (server/main.ts)
// are adapters around it, so both answer byte for byte the same.

export const RUNTIME_PATHS = {
  "/api/v1/prompts/resolve": "resolve",
  "/api/v1/events": "events",
  "/api/v1/otel/v1/traces": "otlp",
} as const;
export type RuntimeEndpoint = (typeof RUNTIME_PATHS)[keyof typeof RUNTIME_PATHS];

export type RuntimeRequest = {
  /** HEAD is answered as GET without a body (and without opening an event stream). */
  method: "GET" | "HEAD" | "POST";
  pathname: string;
  /** The query string without "?", as sent. */
  search: string;
  header: HeaderGetter;
  /** The body's bytes, refusing more than `limit` while reading (payload_too_large). */
  readBody(limit: number): Promise<Uint8Array | undefined>;
};

/** Status, headers and a body — or an event stream for the adapter to pipe to the client. */
export type RuntimeResponse = RuntimeAnswer & { stream?: EventStream };

// A batch of 1,000 generation events with their outputs does not fit the API's usual 1 MiB.
export const EVENTS_MAX_BODY_BYTES = 8 * 1024 * 1024;

const resolveGetQuery = resolveQuery.extend({
  include: z.enum(["experiment"], { error: 'include must be "experiment"' }).optional(),
});
const eventsQuery = z.object({ lastEventId: countParam("lastEventId", 0, Number.MAX_SAFE_INTEGER).optional() });
const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};

export function errorAnswer(err: AppError, headers?: Record<string, string>): RuntimeAnswer {
  const body: { error: { code: string; message: string; details?: Record<string, unknown> } } = {
    error: { code: err.code, message: err.message },
  };
  if (err.details) body.error.details = err.details;
  return {
    status: err.status,
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

const json = (data: unknown, status: number, headers?: Record<string, string>): RuntimeAnswer => ({
  status,
  headers: { ...headers, "content-type": "application/json" },
  body: JSON.stringify(data),
});

function query<T>(req: RuntimeRequest, schema: z.ZodType<T>): T {
  const params = new URLSearchParams(req.search);
  assertSafeQuery(params);
  return parseWith(schema, Object.fromEntries(params), "query");
}

/** The JSON body, unvalidated (an empty body is `{}`). */
async function jsonBody(req: RuntimeRequest, limit = MAX_BODY_BYTES): Promise<unknown> {
  assertDeclaredLength(req.header("content-length"), limit);
  return parseJsonBody(await req.readBody(limit)) ?? {};
}

async function authenticated(req: RuntimeRequest, action: "runtime.resolve" | "runtime.events" | "runtime.feedback") {
  const db = readyDb() ?? (await getDb());
  const auth = await authenticate(db, req.header("authorization"), "runtime");
  authorize(auth.actor, action);
  return { db, auth };
}

// Applications send the same few query strings over and over; a valid one's parsed form is remembered
// (bounded, frozen: the same object serves every request that sent those bytes).
type ResolveGetQuery = z.infer<typeof resolveGetQuery>;
const resolveQueries = new LRUCache<string, ResolveGetQuery>({ max: 10_000 });

/** The parsed query, or undefined for a batch (`names=`), which is never answered from L1 alone. */
function resolveGetParams(req: RuntimeRequest): ResolveGetQuery | undefined {
  let q = resolveQueries.get(req.search);
  if (!q) {
    if (isBatchQuery(req.search)) return undefined;
    resolveQueries.set(req.search, (q = Object.freeze(query(req, resolveGetQuery))));
  }
  return q;
}

/** GET resolve on an L1 hit with an L1-cached key: answered without a single await. */
function resolveGetCached(req: RuntimeRequest): RuntimeAnswer | undefined {
  const db = readyDb();
  const rt = readyRuntime();
  if (!db || !rt) return undefined;
  const auth = authenticateCached(db, req.header("authorization"), "runtime");
  if (!auth) return undefined;
  authorize(auth.actor, "runtime.resolve");
  const q = resolveGetParams(req);
  if (!q || auth.principal.environments) return undefined; // a limited key's version check may need the database
  return answerResolveCached(rt, auth.principal.projectId, q, req.header("if-none-match"));
}

async function resolveGet(req: RuntimeRequest): Promise<RuntimeAnswer> {
  const { db, auth } = await authenticated(req, "runtime.resolve");
  const q = resolveGetParams(req);
  if (!q) return resolveBatch(db, auth.principal, query(req, batchResolveQuery));
  const { projectId, environments } = auth.principal;
  if (environments) await assertKeyMayRead(db, projectId, environments, q);
  return answerResolve(readyRuntime() ?? (await getRuntime()), db, projectId, q, req.header("if-none-match"));
}

async function resolvePost(req: RuntimeRequest): Promise<RuntimeAnswer> {
  const { db, auth } = await authenticated(req, "runtime.resolve");
  query(req, z.unknown());
  const raw = await jsonBody(req);
  if (isBatchBody(raw)) return resolveBatch(db, auth.principal, parseWith(batchResolveBody, raw, "body"));
  const b = parseWith(resolveBody, raw, "body");
  const { projectId, environments } = auth.principal;
  await assertKeyMayRead(db, projectId, environments, b);
  const runtime = await getRuntime();
  const { resolved, layer } = await resolvePrompt({ db, cache: runtime.prompts }, projectId, b);
  const choice = await choose(runtime, resolved, b.subject);
  if (choice.experiment && b.subject) runtime.exposures.record(choice.experiment, b.subject, Date.now());
  const { rendered, warnings } = renderResolved(choice.arm, b.variables);
  const headers: Record<string, string> = {
    etag: choice.arm.etag,
    "cache-control": "private, no-cache",
    "x-lectern-cache": layer,
  };
  if (layer === "stale")
    Object.assign(headers, {
      "x-lectern-stale": "true",
      warning: '110 lectern "Response is stale: the database is unreachable"',
    });
  return json(
    {
      ...resolvedDto(choice.arm, b.subject, new Date(), choice.experiment, choice.subjectDependent),
      rendered,
      warnings,
    },
    200,
    headers,
  );
}

async function resolveBatch(
  db: Db,
  principal: { projectId: string; environments: string[] | null; name: string },
  q: Parameters<typeof answerResolveBatch>[3],
): Promise<RuntimeAnswer> {
  const body = await answerResolveBatch(readyRuntime() ?? (await getRuntime()), db, principal, q);
  return { status: 200, headers: { "cache-control": "private, no-cache", "content-type": "application/json" }, body };
}

async function eventsGet(req: RuntimeRequest): Promise<RuntimeResponse> {
  const { db, auth } = await authenticated(req, "runtime.events");
  const q = query(req, eventsQuery);
  const { bus } = await getRuntime();
  const header = req.header("last-event-id");
  const fromHeader = header != null && /^\d{1,15}$/.test(header.trim()) ? Number(header.trim()) : undefined;
  if (req.method === "HEAD") return { status: 200, headers: { ...SSE_HEADERS }, body: null };
  let release: () => void;
  try {
    release = acquireStreamSlot(auth.principal.keyId, env().LECTERN_SSE_MAX_PER_KEY);
  } catch (e) {
    if (e instanceof AppError) return errorAnswer(e, { "retry-after": "5" });
    throw e;
  }
  const stream = eventStream({
    db,
    bus,
    projectId: auth.principal.projectId,
    environments: auth.principal.environments ?? null,
    lastId: fromHeader ?? q.lastEventId,
    onClose: release,
  });
  return { status: 200, headers: { ...SSE_HEADERS }, body: null, stream };
}

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

function overBudget(waitMs: number, what: string, setting: string, limit: number): RuntimeAnswer {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return errorAnswer(
    new AppError(
      "rate_limited",
      `This API key has sent more than ${limit} ${what} a minute of events (${setting}); try again in ${seconds} s. Nothing was stored.`,
      { limit, setting, retryAfterSeconds: seconds },
    ),
    { "retry-after": String(seconds) },
  );
}

/** The body of an ingest request within the key's budgets, or the 429 that says when to come back. */
async function ingestBody(
  req: RuntimeRequest,
  keyId: string,
  decode: (bytes: Uint8Array) => Uint8Array = (b) => b,
): Promise<Uint8Array | RuntimeAnswer> {
  const budgets = ingestBudgets();
  const waitRequests = budgets.requests.take(keyId, 1);
  if (waitRequests)
    return overBudget(waitRequests, "requests", "LECTERN_INGEST_REQUESTS_PER_MINUTE", budgets.requests.perMinute);
  assertDeclaredLength(req.header("content-length"), EVENTS_MAX_BODY_BYTES);
  const bytes = decode((await req.readBody(EVENTS_MAX_BODY_BYTES)) ?? new Uint8Array());
  const waitBytes = budgets.bytes.take(keyId, bytes.byteLength);
  if (waitBytes) return overBudget(waitBytes, "bytes", "LECTERN_INGEST_BYTES_PER_MINUTE", budgets.bytes.perMinute);
  return bytes;
}

async function eventsPost(req: RuntimeRequest): Promise<RuntimeAnswer> {
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

// OTLP over HTTP (the exporters' default path /v1/traces under /api/v1/otel): the key as
// Authorization: Bearer or x-lectern-key. Answers in the request's format; a partial success names the
// spans that were dropped and why.
async function otlpPost(req: RuntimeRequest): Promise<RuntimeAnswer> {
  const header =
    req.header("authorization") ?? (req.header("x-lectern-key") ? `Bearer ${req.header("x-lectern-key")}` : null);
  const { db, auth } = await authenticated(
    { ...req, header: (n) => (n === "authorization" ? header : req.header(n)) },
    "runtime.feedback",
  );
  query(req, z.unknown());
  const format = otlpFormat(req.header("content-type"));
  const bytes = await ingestBody(req, auth.principal.keyId, (b) =>
    otlpBytes(b, req.header("content-encoding"), EVENTS_MAX_BODY_BYTES),
  );
  if (!(bytes instanceof Uint8Array)) return bytes;
  const r = await ingestOtlpTraces(
    db,
    auth.principal.projectId,
    { bytes, format },
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

const failed = (req: RuntimeRequest) => (e: unknown) => errorAnswer(toAppError(e, `${req.method} ${req.pathname}`));

/** Answers one runtime request. Synchronous (no promise) for an L1 resolve hit. */
export function handleRuntime(
  endpoint: RuntimeEndpoint,
  req: RuntimeRequest,
): RuntimeResponse | Promise<RuntimeResponse> {
  try {
    const post = req.method === "POST";
    if (endpoint === "resolve" && !post) {
      const fast = resolveGetCached(req);
      if (fast) return fast;
    }
    const work =
      endpoint === "otlp"
        ? post
          ? otlpPost(req)
          : Promise.resolve(
              errorAnswer(new AppError("method_not_allowed", "OTLP traces are sent with POST."), { allow: "POST" }),
            )
        : endpoint === "resolve"
          ? post
            ? resolvePost(req)
            : resolveGet(req)
          : post
            ? eventsPost(req)
            : eventsGet(req);
    return work.catch(failed(req));
  } catch (e) {
    return failed(req)(e);
  }
}
