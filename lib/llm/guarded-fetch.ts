// The fetch every model call goes through (the AI SDK providers take it as their `fetch`). A project
// admin chooses a connection's base URL, so without this a connection is a way into the network
// Lectern runs in (SSRF): the address each call connects to is checked at connect time (DNS answers
// can change after the connection was saved), redirects are never followed (a POST turned into a GET
// to somewhere else), and an answer larger than the cap is cut off instead of filling memory.
import http from "node:http";
import https from "node:https";
import { isIPv4, isIPv6 } from "node:net";
import { Readable } from "node:stream";
import { rootCertificates } from "node:tls";
import {
  assertPublic,
  bareHost,
  BlockedAddressError,
  guardedLookup,
  type PrivatePolicy,
  type Resolver,
} from "../net/ssrf";

/** Lectern refused to make or finish the call (blocked address, redirect, oversized answer). */
export class RefusedCallError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedCallError";
  }
}

export interface GuardedFetchOptions {
  /** Which non-public addresses may be reached: false (none), true (all) or a list of addresses/ranges. */
  allowPrivate: PrivatePolicy;
  /** Largest answer body read, in bytes; more ends the call with a RefusedCallError. */
  maxResponseBytes: number;
  resolver?: Resolver;
  /**
   * "refuse" (the default, for model calls): a 3xx fails the call. "return": the 3xx answer is handed
   * back unread, for a caller that checks the next URL and fetches it through this fetch again (images).
   */
  redirects?: "refuse" | "return";
  /** Extra trusted certificate authorities (PEM), for tests' local https servers; production sets none. */
  ca?: string;
}

function headerRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => (out[key] = value));
  return out;
}

export function createGuardedFetch(opts: GuardedFetchOptions): typeof fetch {
  const lookup = guardedLookup({ allowPrivate: opts.allowPrivate, resolver: opts.resolver });
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.protocol !== "http:" && url.protocol !== "https:")
      throw new RefusedCallError(`refused: ${url.protocol} URLs are not model endpoints`);
    const host = bareHost(url);
    try {
      // Literal addresses never go through lookup: check them here.
      if (isIPv4(host) || isIPv6(host))
        assertPublic(host, [{ address: host, family: isIPv4(host) ? 4 : 6 }], opts.allowPrivate);
    } catch (e) {
      throw e instanceof BlockedAddressError ? new RefusedCallError(`refused: ${e.message}`) : e;
    }
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const signal = request.signal;
    signal.throwIfAborted();
    return new Promise<Response>((resolve, reject) => {
      const req = (url.protocol === "https:" ? https : http).request(
        url,
        {
          method: request.method,
          headers: { ...headerRecord(request.headers), ...(body && { "content-length": String(body.length) }) },
          lookup,
          agent: false,
          signal,
          ...(opts.ca !== undefined && { ca: [...rootCertificates, opts.ca] }),
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 300 && status < 400 && opts.redirects !== "return") {
            res.destroy();
            return reject(
              new RefusedCallError(
                `refused: the endpoint answered a redirect (HTTP ${status}); redirects are not followed`,
              ),
            );
          }
          let size = 0;
          res.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size > opts.maxResponseBytes)
              res.destroy(
                new RefusedCallError(
                  `the answer is larger than ${opts.maxResponseBytes} bytes (LECTERN_MODEL_ANSWER_MAX_BYTES); it was cut off`,
                ),
              );
          });
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (v === undefined) continue;
            for (const one of Array.isArray(v) ? v : [v]) headers.append(k, one);
          }
          const stream = status === 204 || status === 304 || request.method === "HEAD" ? null : Readable.toWeb(res);
          resolve(new Response(stream as ReadableStream<Uint8Array> | null, { status, headers }));
        },
      );
      req.on("error", (e) => {
        if (e instanceof BlockedAddressError) return reject(new RefusedCallError(`refused: ${e.message}`));
        reject(signal.aborted ? (signal.reason ?? e) : new TypeError("fetch failed", { cause: e }));
      });
      req.end(body);
    });
  };
}
