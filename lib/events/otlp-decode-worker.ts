// The OTLP decoder's worker thread (otlp-decode-thread.ts): decodes each export it is sent, in order, and answers
// the spans or the error. scripts/build-server.mjs bundles it as lectern-otlp-worker.mjs.
import { parentPort } from "node:worker_threads";
import { isAppError } from "../errors";
import { decodeOtlp } from "./otlp-decode";
import type { DecodeAnswer, DecodeRequest } from "./otlp-decode-thread";

parentPort?.on("message", ({ id, bytes, format }: DecodeRequest) => {
  let answer: DecodeAnswer;
  try {
    answer = { id, decoded: decodeOtlp(bytes, format) };
  } catch (e) {
    answer = isAppError(e)
      ? { id, error: { code: e.code, message: e.message, details: e.details } }
      : { id, error: { code: "invalid_input", message: `The body could not be decoded: ${(e as Error).message}` } };
  }
  parentPort!.postMessage(answer);
});
