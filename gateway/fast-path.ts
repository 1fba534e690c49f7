// The runtime hot paths answered by node:http itself: an adapter from IncomingMessage/ServerResponse to
// the framework-free core (lib/server/http/runtime-http.ts) that Next's route handlers also call.
import type { IncomingMessage, ServerResponse } from "node:http";
import { tooLarge } from "../lib/server/http/request-input";
import {
  handleRuntime,
  RUNTIME_PATHS,
  type RuntimeEndpoint,
  type RuntimeRequest,
  type RuntimeResponse,
} from "../lib/server/http/runtime-http";
import { SSE_MAX_BUFFERED, type EventStream } from "../lib/server/http/event-stream";
import { SECURITY_HEADERS } from "../lib/security-headers.mjs";

// What next.config.mjs `headers()` adds to every response Next sends, from the same module; the parity
// test (test/api/fast-path-parity.api.test.ts) compares the two servers' answers byte for byte.
const NEXT_CONFIG_HEADERS: Record<string, string> = Object.fromEntries(
  SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value]),
);
// Next's router varies every answer on its own request headers, and its compression adds Accept-Encoding
// to answers with a body, not to streams (it compresses bodies over 1 KiB for clients that accept gzip; this server does
// not, as resolve answers are small and CPU is the hot path's limit). Sent here too, so caches between
// the client and either server behave the same.
const VARY = "rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch";
const VARY_WITH_BODY = `${VARY}, Accept-Encoding`;
// Its compression leaves alone (and does not vary) what is not of a compressible type (mime-db's): archives.
const COMPRESSIBLE = /^(?:text\/|application\/(?:json|javascript|xml)\b)|\+(?:json|text|xml)\b/i;
const varyFor = (r: Pick<RuntimeResponse, "headers" | "body">) => {
  const type = r.headers["content-type"];
  return r.body === null || (type !== undefined && !COMPRESSIBLE.test(type)) ? VARY : VARY_WITH_BODY;
};

// A Map, not an object lookup: a request target such as "constructor" must not find a prototype property.
const endpoints = new Map<string, RuntimeEndpoint>(Object.entries(RUNTIME_PATHS));

/** The path of a request target, without its query string. */
export function pathOf(url: string | undefined): string {
  const u = url ?? "";
  const q = u.indexOf("?");
  return q < 0 ? u : u.slice(0, q);
}

/** The runtime endpoint a request is for, or undefined (then Next answers it). */
export function runtimeEndpoint(req: IncomingMessage): RuntimeEndpoint | undefined {
  if (req.method !== "GET" && req.method !== "POST" && req.method !== "HEAD") return undefined;
  return endpoints.get(pathOf(req.url));
}

/** The runtime endpoint a path names, whatever the method. */
export const endpointAt = (path: string): RuntimeEndpoint | undefined => endpoints.get(path);

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

/** The request as the framework-free cores read it; `endpoint` is its pathname. */
export function toRequest(req: IncomingMessage, endpoint: string): RuntimeRequest {
  const url = req.url ?? "";
  const q = url.indexOf("?");
  return {
    method: req.method as RuntimeRequest["method"],
    pathname: endpoint,
    search: q < 0 ? "" : url.slice(q + 1),
    header: (name) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v.join(", ") : v;
    },
    readBody: (limit) => readBody(req, limit),
  };
}

// The wire form of a shared (frozen) headers object, with the headers every answer carries: built once.
const wireForms = new WeakMap<Readonly<Record<string, string>>, { withBody?: string[]; withoutBody?: string[] }>();

/** A fresh array (the caller may append to it) of name, value, name, value… */
function wireHeaders(h: Readonly<Record<string, string>>, withBody: boolean): string[] {
  let forms = wireForms.get(h);
  if (!forms) wireForms.set(h, (forms = {}));
  const slot = withBody ? "withBody" : "withoutBody";
  const wire = (forms[slot] ??= Object.entries({
    ...NEXT_CONFIG_HEADERS,
    ...h,
    vary: varyFor({ headers: h, body: withBody ? "" : null }),
  }).flat());
  return wire.slice();
}

export type FastPath = {
  handle(req: IncomingMessage, res: ServerResponse, endpoint: RuntimeEndpoint): void;
  /** Sends an answer made elsewhere (with the headers every answer carries). */
  answer(req: IncomingMessage, res: ServerResponse, r: RuntimeResponse | Promise<RuntimeResponse>): void;
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
      self.answer(req, res, handleRuntime(endpoint, toRequest(req, endpoint)));
    },
    answer(req, res, r) {
      if (r instanceof Promise)
        r.then(
          (x) => send(req, res, x),
          (e) => res.destroy(e as Error),
        );
      else send(req, res, r);
    },
    closeStreams() {
      for (const s of streams) s.close();
    },
  };

  function send(req: IncomingMessage, res: ServerResponse, r: RuntimeResponse) {
    const close = self.draining || r.status === 413 || (req as { lecternTooLarge?: boolean }).lecternTooLarge;
    if (!r.stream && !close && Object.isFrozen(r.headers)) {
      // An L1 hit: its headers, in the flat form writeHead takes, were built once for every answer.
      const wire = wireHeaders(r.headers, r.body !== null);
      if (r.etag !== undefined) wire.push("etag", r.etag);
      if (r.body !== null) wire.push("content-length", String(Buffer.byteLength(r.body)));
      res.writeHead(r.status, wire);
      res.end(r.body ?? undefined);
      return;
    }
    // An answer's own header wins over next.config.mjs's, as in Next (the skills URLs' Referrer-Policy).
    const headers: Record<string, string> = {
      ...NEXT_CONFIG_HEADERS,
      ...r.headers,
      ...(r.etag !== undefined && { etag: r.etag }),
      vary: varyFor(r),
    };
    // A refused body is not read to its end: the connection closes instead of draining it.
    if (close) headers.connection = "close";
    const { stream } = r;
    if (!stream) {
      // A declared length spares chunked framing (and lets the client reuse the connection at once).
      if (r.body !== null) headers["content-length"] = String(Buffer.byteLength(r.body));
      res.writeHead(r.status, headers);
      res.end(r.body ?? undefined);
      return;
    }
    // Event streams end at shutdown; an answer in parts ends by itself.
    if (!stream.finite) streams.add(stream);
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
      drain() {
        if (res.destroyed || res.writableEnded) return Promise.resolve(false);
        if (res.writableLength < SSE_MAX_BUFFERED) return Promise.resolve(true);
        return new Promise((resolve) => {
          const done = (ok: boolean) => () => {
            res.off("drain", drained);
            res.off("close", closed);
            resolve(ok);
          };
          const drained = done(true);
          const closed = done(false);
          res.once("drain", drained);
          res.once("close", closed);
        });
      },
      abort() {
        streams.delete(stream);
        res.destroy();
      },
    });
  }
  return self;
}
