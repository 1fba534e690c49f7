import "server-only";
import { LRUCache } from "lru-cache";

import { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { countParam } from "@/lib/number-params";
import { answerRender, answerResolve, answerResolveCached, type RuntimeAnswer } from "@/lib/runtime/answer";
import { resolveBatchParts, batchResolveBody, batchResolveQuery, isBatchBody, isBatchQuery } from "@/lib/runtime/batch";
import { assertKeyMayRead } from "@/lib/runtime/key-limits";
import { resolveBody, resolveQuery } from "@/lib/runtime/resolve";
import type { Db } from "@/db/client";
import { authenticateCached } from "./api-auth";
import { KeyBudget } from "@/lib/runtime/rate-limit";
import { WorkLane } from "@/lib/runtime/work-lane";
import { readyDb } from "../wiring/db";
import { env } from "../wiring/env";
import { toAppError } from "./http-errors";
import { partsStream } from "./answer-stream";
import { acquireStreamSlot, eventStream, type EventStream } from "./event-stream";
import { assertDeclaredLength, MAX_BODY_BYTES, parseJsonBody, parseWith } from "./request-input";
import { getRuntime, readyRuntime } from "../wiring/runtime-wiring";
import { processSingleton } from "../wiring/singleton";
import { eventsPost, otlpPost } from "./runtime-ingest";
import { authenticated, authenticatedCached, errorAnswer, query, type RuntimeRequest } from "./runtime-request";

export { errorAnswer, type RuntimeRequest } from "./runtime-request";
export { EVENTS_MAX_BODY_BYTES } from "./runtime-ingest";

// The runtime hot paths — GET/POST /api/v1/prompts/resolve, GET /api/v1/events (SSE), and the ingest
// of POST /api/v1/events and /api/v1/otel/v1/traces (runtime-ingest.ts) — as one framework-free
// implementation taking a small request abstraction (runtime-request.ts). The Next route handlers (next-runtime.ts) and Lectern's own server (gateway/main.ts)
// are adapters around it, so both answer byte for byte the same.

export const RUNTIME_PATHS = {
  "/api/v1/prompts/resolve": "resolve",
  "/api/v1/events": "events",
  "/api/v1/otel/v1/traces": "otlp",
} as const;
export type RuntimeEndpoint = (typeof RUNTIME_PATHS)[keyof typeof RUNTIME_PATHS];

/** Status, headers and a body — or an event stream for the adapter to pipe to the client. */
export type RuntimeResponse = RuntimeAnswer & { stream?: EventStream };

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

async function resolveGet(req: RuntimeRequest): Promise<RuntimeResponse> {
  const { db, auth } = await authenticated(req, "runtime.resolve");
  const q = resolveGetParams(req);
  if (!q) return resolveBatch(req.method === "HEAD", db, auth.principal, query(req, batchResolveQuery));
  const { projectId, environments } = auth.principal;
  if (environments) await assertKeyMayRead(db, projectId, environments, q);
  return answerResolve(readyRuntime() ?? (await getRuntime()), db, projectId, q, req.header("if-none-match"));
}

// As for GET's query strings: a small body's text (applications render with the same few sets of variables) maps to
// its parsed, validated form, the same object for every request that sent those bytes (never a batch's).
type ResolveBody = z.infer<typeof resolveBody>;
const resolveBodies = new LRUCache<string, ResolveBody>({ max: 10_000 });
const REMEMBERED_BODY_BYTES = 1024;

async function resolvePost(req: RuntimeRequest): Promise<RuntimeResponse> {
  // A key found in L1 (no await, as resolveGetCached), else the awaited lookup.
  const { db, auth } = authenticatedCached(req, "runtime.resolve") ?? (await authenticated(req, "runtime.resolve"));
  if (req.search) query(req, z.unknown()); // an empty query has nothing to refuse
  assertDeclaredLength(req.header("content-length"), MAX_BODY_BYTES);
  const bytes = await req.readBody(MAX_BODY_BYTES);
  const text =
    bytes && bytes.byteLength <= REMEMBERED_BODY_BYTES
      ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")
      : undefined;
  let b = text === undefined ? undefined : resolveBodies.get(text);
  if (!b) {
    const raw = parseJsonBody(bytes) ?? {};
    if (isBatchBody(raw)) return resolveBatch(false, db, auth.principal, parseWith(batchResolveBody, raw, "body"));
    b = parseWith(resolveBody, raw, "body");
    if (text !== undefined) resolveBodies.set(text, Object.freeze(b));
  }
  const { projectId, environments } = auth.principal;
  if (environments) await assertKeyMayRead(db, projectId, environments, b);
  return answerRender(readyRuntime() ?? (await getRuntime()), db, projectId, b);
}

// Batch answers per API key (per process): bytes a minute. A batch of every prompt can be 8 MiB of JSON built on
// the thread that answers resolve; two clients asking for it back to back cut resolve's throughput by four fifths.
// A key over its budget is refused before the work (429, Retry-After); an answer larger than what is left
// passes once, and the key waits until it is paid for.
function batchBudget() {
  const perMinute = env().LECTERN_BATCH_BYTES_PER_MINUTE;
  return processSingleton(`batch-budget:${perMinute}`, () => new KeyBudget(perMinute));
}

// Batch answers being written at once: per key and per process. A reader that never reads holds its slot until it
// is cut off (ANSWER_IDLE_MS), so ten such readers of one key cost two slots and eight cheap 429s, and no number
// of keys makes more than LECTERN_BATCH_STREAMS answers at once. Every slot is given back when its answer ends,
// however it ends (partsStream's onDone).
const batchSlots = () => processSingleton("batchSlots", () => ({ total: 0, perKey: new Map<string, number>() }));

function acquireBatchSlot(keyId: string): () => void {
  const { LECTERN_BATCH_STREAMS_PER_KEY: perKeyLimit, LECTERN_BATCH_STREAMS: limit } = env();
  const slots = batchSlots();
  const mine = slots.perKey.get(keyId) ?? 0;
  if (mine >= perKeyLimit)
    throw new AppError(
      "rate_limited",
      `This API key already has ${mine} batch answers being written, the most one key may have (LECTERN_BATCH_STREAMS_PER_KEY); read them to the end first, or resolve prompts one by one.`,
      { limit: perKeyLimit, setting: "LECTERN_BATCH_STREAMS_PER_KEY", retryAfterSeconds: 1 },
    );
  if (slots.total >= limit)
    throw new AppError(
      "unavailable",
      `This instance is writing ${slots.total} batch answers, the most it writes at once (LECTERN_BATCH_STREAMS); try again in a second, or resolve prompts one by one.`,
      { limit, setting: "LECTERN_BATCH_STREAMS", retryAfterSeconds: 1 },
    );
  slots.total++;
  slots.perKey.set(keyId, mine + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    slots.total--;
    const n = (slots.perKey.get(keyId) ?? 1) - 1;
    if (n > 0) slots.perKey.set(keyId, n);
    else slots.perKey.delete(keyId);
  };
}

/** The process's lane for batch work: one prompt a turn, behind whatever else arrived (lib/runtime/work-lane.ts). */
const batchLane = () => processSingleton("batchLane", () => new WorkLane());

async function resolveBatch(
  head: boolean,
  db: Db,
  principal: { projectId: string; environments: string[] | null; name: string; keyId: string },
  q: Parameters<typeof resolveBatchParts>[3],
): Promise<RuntimeResponse> {
  const budget = batchBudget();
  const wait = budget.take(principal.keyId, 0);
  if (wait) {
    const seconds = Math.max(1, Math.ceil(wait / 1000));
    return errorAnswer(
      new AppError(
        "rate_limited",
        `This API key has been answered more than ${budget.perMinute} bytes of batch resolves a minute (LECTERN_BATCH_BYTES_PER_MINUTE); try again in ${seconds} s, or resolve prompts one by one.`,
        { limit: budget.perMinute, setting: "LECTERN_BATCH_BYTES_PER_MINUTE", retryAfterSeconds: seconds },
      ),
      { "retry-after": String(seconds) },
    );
  }
  const headers = { "cache-control": "private, no-cache", "content-type": "application/json" };
  const release = acquireBatchSlot(principal.keyId);
  try {
    const lane = batchLane();
    const parts = await resolveBatchParts(readyRuntime() ?? (await getRuntime()), db, principal, q, () => lane.turn());
    // The first part (the first prompt) is made before the status is sent: a failure there is an error answer.
    const first = await parts.next();
    if (head) {
      release();
      return { status: 200, headers, body: null };
    }
    const rest = (async function* () {
      if (!first.done) yield first.value;
      yield* parts;
    })();
    // Written as the client reads it, each part in a turn of its own; each is paid from the key's budget as it is sent.
    const stream = partsStream(rest, {
      onPart: (bytes) => budget.take(principal.keyId, bytes),
      beforePart: () => lane.turn(),
      onDone: release,
    });
    return { status: 200, headers, body: null, stream };
  } catch (e) {
    release();
    throw e;
  }
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

/** An error's answer; a limit that says when to come back says it in Retry-After too. */
const failed = (req: RuntimeRequest) => (e: unknown) => {
  const err = toAppError(e, `${req.method} ${req.pathname}`);
  const retry = err.details?.retryAfterSeconds;
  return errorAnswer(err, typeof retry === "number" ? { "retry-after": String(Math.ceil(retry)) } : undefined);
};

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
