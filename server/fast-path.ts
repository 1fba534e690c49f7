// The runtime hot paths answered by node:http itself: an adapter from IncomingMessage/ServerResponse to
// the framework-free core (lib/server/runtime-http.ts) that Next's route handlers also call.
import type { IncomingMessage, ServerResponse } from "node:http";
import { tooLarge } from "../lib/server/request-input";
import { handleRuntime, RUNTIME_PATHS, type RuntimeEndpoint, type RuntimeRequest, type RuntimeResponse } from "../lib/server/runtime-http";
import type { EventStream } from "../lib/server/event-stream";

// What next.config.mjs `headers()` adds to every response Next sends; the parity test
// (test/api/fast-path-parity.api.test.ts) fails if the two drift apart.
const NEXT_CONFIG_HEADERS = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};
// Next's router varies every answer on its own request headers, and its compression adds Accept-Encoding
// to answers with a body, not to streams (it compresses bodies over 1 KiB for clients that accept gzip; this server does
// not, as resolve answers are small and CPU is the hot path's limit). Sent here too, so caches between
// the client and either server behave the same.
const VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch";
const VARY_WITH_BODY = `${VARY}, Accept-Encoding`;
// A client that leaves this much of its event stream unread is cut off (it reconnects with Last-Event-ID).
const SSE_MAX_BUFFERED = 256 * 1024;

// A Map, not an object lookup: a request target such as "constructor" must not find a prototype property.
const endpoints = new Map<string, RuntimeEndpoint>(Object.entries(RUNTIME_PATHS));

/** The runtime endpoint a request is for, or undefined (then Next answers it). */
export function runtimeEndpoint(req: IncomingMessage): RuntimeEndpoint | undefined {
  if (req.method !== "GET" && req.method !== "POST") return undefined;
  const url = req.url ?? "";
  const q = url.indexOf("?");
  return endpoints.get(q < 0 ? url : url.slice(0, q));
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.byteLength;
      if (size > limit) {
        // Stop reading at once; the answer closes the connection, so the rest is never read.
        req.off("data", onData);
        req.pause();
        (req as { lecternTooLarge?: boolean }).lecternTooLarge = true;
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    };
    req.on("data", onData);
    req.once("end", () => resolve(chunks.length ? Buffer.concat(chunks) : undefined));
    req.once("error", reject);
  });
}

function toRequest(req: IncomingMessage, endpoint: string): RuntimeRequest {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  return {
    method: req.method as "GET" | "POST",
    pathname: endpoint,
    search: q < 0 ? "" : url.slice(q + 1),
    header: (name) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(", ") : v;
    },
    readBody: (limit) => readBody(req, limit),
  };
}

export type FastPath = {
  handle(req: IncomingMessage, res: ServerResponse, endpoint: RuntimeEndpoint): void;
  /** Ends every open event stream (shutdown): clients reconnect to another instance. */
  closeStreams(): void;
  /** Whether responses should close their connection (set when the server is stopping). */
  draining: boolean;
};

export function fastPath(): FastPath {
  const streams = new Set<EventStream>();
  const self: FastPath = {
    draining: false,
    handle(req, res, endpoint) {
      const r = handleRuntime(endpoint, toRequest(req, endpoint));
      if (r instanceof Promise) r.then((x) => send(req, res, x), (e) => res.destroy(e as Error));
      else send(req, res, r);
    },
    closeStreams() {
      for (const s of streams) s.close();
    },
  };

  function send(req: IncomingMessage, res: ServerResponse, r: RuntimeResponse) {
    const headers: Record<string, string> = { ...r.headers, ...NEXT_CONFIG_HEADERS, vary: r.body === null ? VARY : VARY_WITH_BODY };
    // A refused body is not read to its end: the connection closes instead of draining it.
    if (self.draining || r.status === 413 || (req as { lecternTooLarge?: boolean }).lecternTooLarge) headers.connection = "close";
    const { stream } = r;
    if (!stream) {
      // A declared length spares chunked framing (and lets the client reuse the connection at once).
      if (r.body !== null) headers["content-length"] = String(Buffer.byteLength(r.body));
      res.writeHead(r.status, headers);
      res.end(r.body ?? undefined);
      return;
    }
    streams.add(stream);
    res.writeHead(r.status, headers);
    const gone = () => {
      stream.close();
      streams.delete(stream);
    };
    res.once("close", gone);
    stream.open({
      write(chunk) {
        if (res.destroyed || res.writableEnded) return false;
        res.write(chunk);
        return res.writableLength < SSE_MAX_BUFFERED;
      },
      end() {
        streams.delete(stream);
        // A reader that stopped reading is cut off, not waited for.
        if (res.writableLength >= SSE_MAX_BUFFERED) res.destroy();
        else if (!res.writableEnded) res.end();
      },
    });
  }
  return self;
}
