// The OTLP decoder's worker thread (otlp-decode-thread.ts): inflates (gzip, bounded) and decodes each export it
// is sent, in order, and answers its events (the model calls mapped) and inflated size, or the error.
// scripts/build-server.mjs bundles it as lectern-otlp-worker.mjs.
import { parentPort } from "node:worker_threads";
import { isAppError } from "../errors";
import { decodeAndMap, inflateOtlp } from "./otlp-decode";
import type { DecodeAnswer, DecodeRequest } from "./otlp-decode-thread";

parentPort?.on("message", ({ id, bytes, format, encoding, maxBytes, prices }: DecodeRequest) => {
  let answer: DecodeAnswer;
  try {
    const raw = inflateOtlp(bytes, encoding, maxBytes);
    answer = { id, mapped: decodeAndMap(raw, format, prices), bytes: raw.byteLength };
  } catch (e) {
    answer = isAppError(e)
      ? { id, error: { code: e.code, message: e.message, details: e.details } }
      : { id, error: { code: "invalid_input", message: `The body could not be decoded: ${(e as Error).message}` } };
  }
  parentPort!.postMessage(answer);
});
