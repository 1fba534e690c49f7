// The OTLP decoder's worker thread (otlp-decode-thread.ts): decodes each export it is sent, in order, and answers
// its events (the model calls mapped) or the error. scripts/build-server.mjs bundles it as lectern-otlp-worker.mjs.
import { parentPort } from "node:worker_threads";
import { isAppError } from "../errors";
import { decodeAndMap } from "./otlp-decode";
import type { DecodeAnswer, DecodeRequest } from "./otlp-decode-thread";

parentPort?.on("message", ({ id, bytes, format, prices }: DecodeRequest) => {
  let answer: DecodeAnswer;
  try {
    answer = { id, mapped: decodeAndMap(bytes, format, prices) };
  } catch (e) {
    answer = isAppError(e)
      ? { id, error: { code: e.code, message: e.message, details: e.details } }
      : { id, error: { code: "invalid_input", message: `The body could not be decoded: ${(e as Error).message}` } };
  }
  parentPort!.postMessage(answer);
});
