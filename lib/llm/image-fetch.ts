// Images for model calls. Lectern fetches an image URL itself and hands the provider bytes, so no
// provider client (or the AI SDK's own downloader) ever fetches a URL a prompt author or a caller
// chose. Every fetch goes through the guarded fetch (the address connected to is checked, whatever DNS
// says; each redirect hop is checked again), under a size cap, and the bytes must be a PNG, JPEG, GIF
// or WebP by their first bytes, whatever the Content-Type says. data: URLs get the same type and size
// checks. Fetched images are kept for a few minutes (bounded), so a run that sends one image with
// every item fetches it once.
import type { PrivatePolicy, Resolver } from "../net/ssrf";
import {
  imageUrlProblem,
  maxImageBytes,
  parseImageDataUrl,
  sniffImageType,
  type ImageMediaType,
} from "../registry/content-parts";
import { createGuardedFetch, RefusedCallError } from "./guarded-fetch";
import { readBodyCapped } from "../bounded-body";

export interface LoadedImage {
  bytes: Uint8Array;
  mediaType: ImageMediaType;
}

/**
 * Why an image was not sent. "refused": Lectern's own rules (a private address, a non-https redirect,
 * over the size cap, not an image). "bad_request": the URL is malformed or its host failed to serve it.
 */
export class ImageRefusal extends Error {
  constructor(
    readonly kind: "refused" | "bad_request",
    message: string,
  ) {
    super(message);
    this.name = "ImageRefusal";
  }
}

export interface ImageFetcherOptions {
  /** Which non-public addresses image URLs may reach: the project connections' rule (LECTERN_CONNECTIONS_ALLOW_PRIVATE). */
  allowPrivate: PrivatePolicy;
  /** Largest image, in bytes (default 5 MiB). */
  maxBytes?: number;
  /** How long one image may take, redirects included (default 15 s). */
  timeoutMs?: number;
  /** Redirects followed, each to an https: URL whose address is checked again (default 3). */
  maxRedirects?: number;
  /** Bytes of fetched images kept for reuse (default 64 MiB; 0 disables), each for cacheTtlMs (default 5 min). */
  cacheBytes?: number;
  cacheTtlMs?: number;
  /** For tests: how host names are resolved, an extra trusted CA (PEM), the clock of the cache. */
  resolver?: Resolver;
  ca?: string;
  now?: () => number;
}

export interface ImageFetcher {
  /** The image's bytes and media type; throws ImageRefusal, or the signal's reason when it aborts. */
  load(url: string, signal?: AbortSignal): Promise<LoadedImage>;
}

const kib = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KiB`;
/** An image over the cap: its size when known (Content-Length), else only that it is larger. */
const overCap = (max: number, size?: number) =>
  new ImageRefusal(
    "refused",
    size === undefined
      ? `the image is larger than the limit of ${kib(max)}`
      : kib(size) === kib(max)
        ? `the image is ${size} bytes, over the limit of ${max} bytes`
        : `the image is ${kib(size)}, over the limit of ${kib(max)}`,
  );

/** Decodes and checks a data:image/…;base64 URL. */
export function decodeImageDataUrl(url: string, maxBytes = maxImageBytes): LoadedImage {
  const parsed = parseImageDataUrl(url, maxBytes);
  if (typeof parsed === "string")
    throw new ImageRefusal(
      /over the limit|not a PNG|says .* but|not an accepted/.test(parsed) ? "refused" : "bad_request",
      parsed,
    );
  const bytes = new Uint8Array(Buffer.from(parsed.base64, "base64"));
  if (sniffImageType(bytes) !== parsed.mediaType)
    throw new ImageRefusal("refused", "the data is not a PNG, JPEG, GIF or WebP image");
  return { bytes, mediaType: parsed.mediaType };
}

async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readBodyCapped(body, maxBytes, () => overCap(maxBytes)));
  } catch (e) {
    // The guarded fetch's own cap (set above ours) ends the stream with a RefusedCallError.
    if (e instanceof RefusedCallError) throw overCap(maxBytes);
    throw e;
  }
}

function fetchFailure(e: unknown, signal: AbortSignal, timeoutMs: number): unknown {
  if (e instanceof ImageRefusal) return e;
  if (e instanceof RefusedCallError)
    return new ImageRefusal(
      "refused",
      `${e.message.replace(/^refused: /, "")}; image URLs may reach only public addresses unless the operator allows private ones (LECTERN_CONNECTIONS_ALLOW_PRIVATE)`,
    );
  if (signal.aborted && signal.reason instanceof DOMException && signal.reason.name === "TimeoutError")
    return new ImageRefusal("bad_request", `the image host did not answer within ${timeoutMs / 1000} s`);
  const cause =
    e instanceof Error && e.cause instanceof Error ? e.cause.message : e instanceof Error ? e.message : String(e);
  return new ImageRefusal("bad_request", `the image could not be fetched: ${cause}`);
}

/** The promise's outcome, or the signal's reason if it aborts first (the listener is removed either way). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener("abort", onAbort), resolve(v)),
      (e: unknown) => (signal.removeEventListener("abort", onAbort), reject(e as Error)),
    );
  });
}

const contentTypeOf = (headers: Headers) => headers.get("content-type")?.split(";")[0]!.trim().toLowerCase();

/** Loaded images by URL, least recently used first, up to `cacheBytes` in all, each for `ttlMs`. */
function imageCache(cacheBytes: number, ttlMs: number, now: () => number) {
  const cache = new Map<string, { image: LoadedImage; at: number }>();
  let cached = 0;
  return {
    remember(url: string, image: LoadedImage) {
      if (image.bytes.length > cacheBytes) return;
      cache.set(url, { image, at: now() });
      cached += image.bytes.length;
      for (const [key, entry] of cache) {
        if (cached <= cacheBytes) break;
        cache.delete(key);
        cached -= entry.image.bytes.length;
      }
    },
    recall(url: string): LoadedImage | undefined {
      const hit = cache.get(url);
      if (!hit) return undefined;
      cache.delete(url);
      if (now() - hit.at > ttlMs) {
        cached -= hit.image.bytes.length;
        return undefined;
      }
      cache.set(url, hit); // most recently used last
      return hit.image;
    },
  };
}

/** Where a redirect leads, checked as the first URL was; refused past `maxRedirects` or without a Location. */
async function redirectTarget(res: Response, url: string, hop: number, maxRedirects: number, maxBytes: number) {
  await res.body?.cancel().catch(() => {});
  const location = res.headers.get("location");
  if (!location)
    throw new ImageRefusal("bad_request", `the image host answered a redirect (HTTP ${res.status}) without a Location`);
  if (hop >= maxRedirects) throw new ImageRefusal("bad_request", `more than ${maxRedirects} redirects`);
  const next = new URL(location, url).href;
  const problem = imageUrlProblem(next, maxBytes);
  if (problem || next.startsWith("data:"))
    throw new ImageRefusal(
      "refused",
      `it redirects to ${next.slice(0, 200)}, which is refused: ${problem ?? "not an https: URL"}`,
    );
  return next;
}

/** The image a final answer carries: a 200, an image type (or none said), at most `maxBytes`, known by its bytes. */
async function imageOf(res: Response, maxBytes: number): Promise<LoadedImage> {
  if (res.status !== 200) {
    await res.body?.cancel().catch(() => {});
    throw new ImageRefusal("bad_request", `the image host answered HTTP ${res.status}`);
  }
  const type = contentTypeOf(res.headers);
  if (type && !type.startsWith("image/") && type !== "application/octet-stream") {
    await res.body?.cancel().catch(() => {});
    throw new ImageRefusal("refused", `the host says it is ${type.slice(0, 80)}, not an image`);
  }
  const length = Number(res.headers.get("content-length") ?? NaN);
  if (length > maxBytes) {
    await res.body?.cancel().catch(() => {});
    throw overCap(maxBytes, length);
  }
  const bytes = await readCapped(res.body, maxBytes);
  const mediaType = sniffImageType(bytes);
  if (!mediaType)
    throw new ImageRefusal("refused", "the body is not a PNG, JPEG, GIF or WebP image (by its first bytes)");
  return { bytes, mediaType };
}

export function createImageFetcher(opts: ImageFetcherOptions): ImageFetcher {
  const maxBytes = opts.maxBytes ?? maxImageBytes;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxRedirects = opts.maxRedirects ?? 3;
  const guarded = createGuardedFetch({
    allowPrivate: opts.allowPrivate,
    maxResponseBytes: maxBytes * 2,
    resolver: opts.resolver,
    redirects: "return",
    ca: opts.ca,
  });
  const cache = imageCache(opts.cacheBytes ?? 64 * 1024 * 1024, opts.cacheTtlMs ?? 5 * 60_000, opts.now ?? Date.now);
  const inFlight = new Map<string, Promise<LoadedImage>>();

  async function fetchImage(first: string): Promise<LoadedImage> {
    const signal = AbortSignal.timeout(timeoutMs);
    let url = first;
    try {
      for (let hop = 0; ; hop++) {
        const res = await guarded(url, {
          headers: {
            accept: "image/png, image/jpeg, image/gif, image/webp",
            "user-agent": "Lectern (image for a model call)",
          },
          signal,
        });
        if (res.status >= 300 && res.status < 400) {
          url = await redirectTarget(res, url, hop, maxRedirects, maxBytes);
          continue;
        }
        return await imageOf(res, maxBytes);
      }
    } catch (e) {
      throw fetchFailure(e, signal, timeoutMs);
    }
  }

  return {
    async load(url, signal) {
      signal?.throwIfAborted();
      if (url.startsWith("data:")) return decodeImageDataUrl(url, maxBytes);
      const problem = imageUrlProblem(url, maxBytes);
      if (problem) throw new ImageRefusal("bad_request", problem);
      const hit = cache.recall(url);
      if (hit) return hit;
      let pending = inFlight.get(url);
      if (!pending) {
        pending = fetchImage(url).then(
          (image) => (inFlight.delete(url), cache.remember(url, image), image),
          (e: unknown) => {
            inFlight.delete(url);
            throw e;
          },
        );
        inFlight.set(url, pending);
      }
      // A caller that gives up does not cancel the fetch others may be waiting for.
      if (!signal) return pending;
      return untilAborted(pending, signal);
    },
  };
}
