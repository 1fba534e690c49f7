// Where an OTLP export is inflated and decoded: on a worker thread when Lectern's server has started one (its
// bundle ships lectern-otlp-worker.mjs beside it), else inline (Next's route handlers, tests), with gzip
// inflated on libuv's thread pool. Inflating and decoding cost what the sender chooses — a 64 KiB gzip bomb
// inflates to the limit, and the costliest export within MAX_OTLP_ELEMENTS takes about 150 ms to read
// (otlp-wire.ts) — and resolve must not wait on either (docs/decisions/bounded-work.md): the serving thread only reads
// the body as it came and hands it over (transferred, not copied); exports queue for the one worker, one at a
// time, in a bounded queue, and a key holds at most a quarter of it, so one sender cannot make everyone's
// exports wait behind its own.
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { Worker } from "node:worker_threads";
import { gunzip } from "node:zlib";
import { AppError, type ErrorCode } from "../errors";
import type { PriceTable } from "../llm/pricing";
import { decodeAndMap, inflateError, type MappedSpans, type OtlpEncoding, type OtlpFormat } from "./otlp-decode";

export type DecodeRequest = {
  id: number;
  bytes: Uint8Array;
  format: OtlpFormat;
  encoding: OtlpEncoding;
  /** The most the body may inflate to. */
  maxBytes: number;
  prices: PriceTable;
};
/** The events of an export, and how many bytes its body was once inflated (what the key is charged). */
export type Decoded = { mapped: MappedSpans; bytes: number };
export type DecodeAnswer =
  | ({ id: number } & Decoded)
  | { id: number; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

let file: string | null = null;
let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { key: string; resolve: (d: Decoded) => void; reject: (e: unknown) => void }>();
const perKey = new Map<string, number>();

/** Decode on a worker thread running `workerFile` (when it exists); null: inline. */
export function setOtlpDecodeWorker(workerFile: string | null): void {
  file = workerFile && existsSync(workerFile) ? workerFile : null;
}

export const otlpDecodeWorkerFile = (): string | null => file;

function settle(id: number) {
  const w = waiting.get(id);
  if (!w) return undefined;
  waiting.delete(id);
  const n = (perKey.get(w.key) ?? 1) - 1;
  if (n > 0) perKey.set(w.key, n);
  else perKey.delete(w.key);
  return w;
}

function failAll(e: unknown) {
  for (const id of [...waiting.keys()]) settle(id)?.reject(e);
  worker = null;
}

function start(path: string): Worker {
  const w = new Worker(path);
  w.unref(); // a decoder never keeps the process alive
  w.on("message", (m: DecodeAnswer) => {
    const w8 = settle(m.id);
    if (!w8) return;
    if ("mapped" in m) w8.resolve({ mapped: m.mapped, bytes: m.bytes });
    else w8.reject(new AppError(m.error.code, m.error.message, m.error.details));
  });
  w.on("error", failAll);
  w.on("exit", () => failAll(new AppError("unavailable", "The OTLP decoder stopped; send the export again.")));
  return w;
}

/** How many exports wait for (or are on) the decoder, and a key's share of them (tests, the bench). */
export const otlpDecodeQueue = (key?: string) => (key === undefined ? waiting.size : (perKey.get(key) ?? 0));

/** Refuses an export the queue has no room for: 503 when it is full, 429 when the key holds its quarter. */
function admit(key: string, limit: number) {
  const share = Math.max(1, Math.floor(limit / 4));
  if (waiting.size >= limit)
    throw new AppError(
      "unavailable",
      `The OTLP decoder has ${waiting.size} exports waiting, the most it holds (LECTERN_OTLP_DECODE_QUEUE); send this one again in a second. Nothing was stored.`,
      { limit, setting: "LECTERN_OTLP_DECODE_QUEUE", retryAfterSeconds: 1 },
    );
  if ((perKey.get(key) ?? 0) >= share)
    throw new AppError(
      "rate_limited",
      `This API key already has ${share} exports waiting for the OTLP decoder, its share of LECTERN_OTLP_DECODE_QUEUE; send the next when one is answered. Nothing was stored.`,
      { limit: share, setting: "LECTERN_OTLP_DECODE_QUEUE", retryAfterSeconds: 1 },
    );
}

const gunzipAsync = promisify(gunzip);

/**
 * inflateOtlp + decodeAndMap on the worker (inline without one: gzip on the thread pool, then decoded here).
 * The worker answers the events, not the spans: handing 240,000 attributes back would cost the serving thread
 * what decoding them cost the worker. `key` and `queueLimit` bound the queue (admit).
 */
export async function decodeOtlpOffThread(
  bytes: Uint8Array,
  o: {
    format: OtlpFormat;
    encoding: OtlpEncoding;
    maxBytes: number;
    prices: PriceTable;
    key: string;
    queueLimit: number;
  },
): Promise<Decoded> {
  if (!file) {
    let raw = bytes;
    if (o.encoding === "gzip")
      try {
        raw = await gunzipAsync(bytes, { maxOutputLength: o.maxBytes });
      } catch (e) {
        throw inflateError(e, o.maxBytes);
      }
    return { mapped: decodeAndMap(raw, o.format, o.prices), bytes: raw.byteLength };
  }
  admit(o.key, o.queueLimit);
  worker ??= start(file);
  const id = ++nextId;
  const w = worker;
  // The body's own buffer moves to the worker without a copy; a slice of a shared one (small bodies) is copied.
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  return new Promise((resolve, reject) => {
    waiting.set(id, { key: o.key, resolve, reject });
    perKey.set(o.key, (perKey.get(o.key) ?? 0) + 1);
    const request: DecodeRequest = {
      id,
      bytes,
      format: o.format,
      encoding: o.encoding,
      maxBytes: o.maxBytes,
      prices: o.prices,
    };
    w.postMessage(request, own ? [bytes.buffer as ArrayBuffer] : []);
  });
}
