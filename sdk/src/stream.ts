// Opening GET /api/v1/events. Two transports with one shape: fetch streaming (edge runtimes, or when
// the application passes its own fetch) and, in Node, node:http, whose socket can be unref'd so an
// idle event stream never keeps the process from exiting (fetch offers no way to do that).
import { LecternNetworkError } from "./errors";
import { MAX_ANSWER_BYTES, readBody, unref } from "./http";

export interface StreamConnection {
  status: number;
  body: AsyncIterable<Uint8Array | string>;
  /** The whole body, for error answers. */
  text(): Promise<string>;
  /** Ends the connection; a pending read then fails or ends. */
  close(): void;
}

export type OpenStream = (
  url: string,
  headers: Record<string, string>,
  connectTimeoutMs: number,
) => Promise<StreamConnection>;

async function* readerChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}

export function fetchStream(fetchImpl: typeof fetch): OpenStream {
  return async (url, headers, connectTimeoutMs) => {
    const controller = new AbortController();
    const timer = unref(setTimeout(() => controller.abort(), connectTimeoutMs));
    let res: Response;
    try {
      res = await fetchImpl(url, { headers, signal: controller.signal, redirect: "error" });
    } catch (e) {
      const why = controller.signal.aborted
        ? `no answer within ${connectTimeoutMs} ms`
        : e instanceof Error
          ? e.message
          : String(e);
      throw new LecternNetworkError(`Cannot open the event stream at ${url}: ${why}`, {
        code: controller.signal.aborted ? "timeout" : "network_error",
        cause: e,
      });
    } finally {
      clearTimeout(timer);
    }
    const body = res.body;
    return {
      status: res.status,
      body: body ? readerChunks(body) : (async function* () {})(),
      text: () => readBody(res, controller.signal, "The event stream's answer"),
      close: () => controller.abort(),
    };
  };
}

interface NodeSocket {
  unref(): void;
}
interface NodeResponse extends AsyncIterable<Uint8Array> {
  statusCode?: number;
}
interface NodeRequest {
  on(event: "socket", cb: (s: NodeSocket) => void): NodeRequest;
  on(event: "response", cb: (r: NodeResponse) => void): NodeRequest;
  on(event: "error", cb: (e: Error) => void): NodeRequest;
  setTimeout(ms: number, cb: () => void): NodeRequest;
  destroy(error?: Error): void;
  end(): void;
}
interface NodeHttp {
  request(url: string, options: { headers: Record<string, string>; agent: false }): NodeRequest;
}

/** node:http and node:https when the runtime has process.getBuiltinModule (Node ≥ 20.16); undefined elsewhere. */
export function nodeHttp(): { http: NodeHttp; https: NodeHttp } | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== "function") return undefined;
  try {
    const http = proc.getBuiltinModule("node:http") as NodeHttp | undefined;
    const https = proc.getBuiltinModule("node:https") as NodeHttp | undefined;
    if (typeof http?.request !== "function" || typeof https?.request !== "function") return undefined;
    return { http, https };
  } catch {
    return undefined;
  }
}

export function nodeStream(mods: { http: NodeHttp; https: NodeHttp }): OpenStream {
  return (url, headers, connectTimeoutMs) =>
    new Promise((resolve, reject) => {
      const mod = url.startsWith("https:") ? mods.https : mods.http;
      // A socket of its own (agent: false), so unref'ing it touches no pooled connection.
      const req = mod.request(url, { headers, agent: false });
      const timer = unref(
        setTimeout(() => req.destroy(new Error(`no answer within ${connectTimeoutMs} ms`)), connectTimeoutMs),
      );
      req.on("socket", (s) => s.unref());
      req.on("error", (e) => {
        clearTimeout(timer);
        reject(
          new LecternNetworkError(`Cannot open the event stream at ${url}: ${e.message}`, {
            code: "network_error",
            cause: e,
          }),
        );
      });
      req.on("response", (res) => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          body: res,
          text: async () => {
            const decoder = new TextDecoder();
            let out = "";
            let size = 0;
            for await (const chunk of res) {
              size += (chunk as Uint8Array).byteLength;
              if (size > MAX_ANSWER_BYTES) {
                req.destroy();
                throw new LecternNetworkError(`The event stream's answer is larger than ${MAX_ANSWER_BYTES} bytes.`, {
                  code: "too_large",
                });
              }
              out += decoder.decode(chunk, { stream: true });
            }
            return out + decoder.decode();
          },
          close: () => req.destroy(),
        });
      });
      req.end();
    });
}
