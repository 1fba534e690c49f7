// Where an OTLP export is decoded: on a worker thread when Lectern's server has started one (its bundle ships
// lectern-otlp-worker.mjs beside it), else inline (Next's route handlers, tests). Decoding costs what the sender
// chooses up to MAX_OTLP_ELEMENTS — about 150 ms for the costliest request within it (otlp-wire.ts) — and resolve
// must not wait on it (issue 40): exports queue for the one worker, one at a time, while the serving thread answers
// everything else.
import { existsSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { AppError, type ErrorCode } from "../errors";
import type { PriceTable } from "../llm/pricing";
import { decodeAndMap, type MappedSpans, type OtlpFormat } from "./otlp-decode";

export type DecodeRequest = { id: number; bytes: Uint8Array; format: OtlpFormat; prices: PriceTable };
export type DecodeAnswer =
  | { id: number; mapped: MappedSpans }
  | { id: number; error: { code: ErrorCode; message: string; details?: Record<string, unknown> } };

let file: string | null = null;
let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, { resolve: (d: MappedSpans) => void; reject: (e: unknown) => void }>();

/** Decode on a worker thread running `workerFile` (when it exists); null: inline. */
export function setOtlpDecodeWorker(workerFile: string | null): void {
  file = workerFile && existsSync(workerFile) ? workerFile : null;
}

export const otlpDecodeWorkerFile = (): string | null => file;

function failAll(e: unknown) {
  for (const w of waiting.values()) w.reject(e);
  waiting.clear();
  worker = null;
}

function start(path: string): Worker {
  const w = new Worker(path);
  w.unref(); // a decoder never keeps the process alive
  w.on("message", (m: DecodeAnswer) => {
    const w8 = waiting.get(m.id);
    if (!w8) return;
    waiting.delete(m.id);
    if ("mapped" in m) w8.resolve(m.mapped);
    else w8.reject(new AppError(m.error.code, m.error.message, m.error.details));
  });
  w.on("error", failAll);
  w.on("exit", () => failAll(new AppError("unavailable", "The OTLP decoder stopped; send the export again.")));
  return w;
}

/**
 * decodeAndMap on the worker (inline without one). The worker answers the events, not the spans: handing 240,000
 * attributes back would cost the serving thread what decoding them cost the worker.
 */
export async function decodeOtlpOffThread(
  bytes: Uint8Array,
  format: OtlpFormat,
  prices: PriceTable,
): Promise<MappedSpans> {
  if (!file) return decodeAndMap(bytes, format, prices);
  worker ??= start(file);
  const id = ++nextId;
  const w = worker;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.postMessage({ id, bytes, format, prices } satisfies DecodeRequest);
  });
}
