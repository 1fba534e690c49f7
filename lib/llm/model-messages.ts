// From Lectern's provider-neutral messages to the AI SDK's: text as it is, each image fetched (or
// decoded) by Lectern and sent as bytes with its media type. Images are loaded once per call, before
// the first attempt, so a retry does not fetch them again; the first image that cannot be sent fails
// the call, named by where it is (messages[i].content[j]) and why.
import type { ModelMessage as SdkMessage } from "ai";
import { describeImageUrl } from "../registry/content-parts";
import { ImageRefusal, type ImageFetcher, type LoadedImage } from "./image-fetch";
import { classifyError } from "./retry";
import type { CallError, ModelContentPart, ModelMessage, ModelRequest } from "./types";

/** At most this many images in one call, and this many bytes of them together. */
export const maxImagesPerCall = 32;
export const maxImageBytesPerCall = 24 * 1024 * 1024;

/** An image that could not be sent: kind "refused" or "bad_request", the message naming the image. */
export class ImageCallError extends Error {
  constructor(
    readonly kind: "refused" | "bad_request",
    message: string,
  ) {
    super(message);
    this.name = "ImageCallError";
  }
}

const where = (m: number, p: number, url: string) =>
  `the image at messages[${m}].content[${p}] (${describeImageUrl(url).slice(0, 200)})`;

/** The texts of a content joined, for the roles that take text only; undefined when it holds an image. */
const textOnly = (content: ModelContentPart[]) =>
  content.every((p) => p.type === "text") ? content.map((p) => (p as { text: string }).text).join("\n") : undefined;

type Located = { m: number; p: number; url: string };

function imagesOf(messages: ModelMessage[]): Located[] {
  const out: Located[] = [];
  messages.forEach((msg, m) => {
    if (typeof msg.content === "string") return;
    msg.content.forEach((part, p) => {
      if (part.type !== "image") return;
      if (msg.role !== "user")
        throw new ImageCallError(
          "bad_request",
          `${where(m, p, part.url)} is in a ${msg.role} message; images can be sent only in user messages`,
        );
      out.push({ m, p, url: part.url });
    });
  });
  return out;
}

async function loadAll(found: Located[], fetcher: ImageFetcher, signal?: AbortSignal) {
  if (found.length > maxImagesPerCall)
    throw new ImageCallError(
      "refused",
      `the call holds ${found.length} images, more than the ${maxImagesPerCall} one call may send`,
    );
  const settled = await Promise.allSettled(found.map((f) => fetcher.load(f.url, signal)));
  signal?.throwIfAborted();
  const loaded = new Map<string, LoadedImage>();
  let total = 0;
  for (const [i, s] of settled.entries()) {
    const f = found[i]!;
    if (s.status === "rejected") {
      const e = s.reason as unknown;
      if (e instanceof ImageRefusal)
        throw new ImageCallError(e.kind, `${where(f.m, f.p, f.url)} was not sent: ${e.message}`);
      throw e;
    }
    total += s.value.bytes.length;
    if (total > maxImageBytesPerCall)
      throw new ImageCallError(
        "refused",
        `${where(f.m, f.p, f.url)} was not sent: the call's images add up to more than ${maxImageBytesPerCall / 1024 / 1024} MiB`,
      );
    loaded.set(`${f.m}:${f.p}`, s.value);
  }
  return loaded;
}

/**
 * The AI SDK messages of a request, images loaded. Synchronous when the request holds no image (a call
 * then queues for its connection's slot at once, as before images existed). Throws (or rejects with)
 * ImageCallError for an image that cannot be sent, or the signal's reason when it aborts while images load.
 */
export function toSdkMessages(
  request: ModelRequest,
  fetcher: ImageFetcher,
  signal?: AbortSignal,
): SdkMessage[] | Promise<SdkMessage[]> {
  const found = imagesOf(request.messages ?? []);
  if (found.length === 0) return build(request, new Map());
  return loadAll(found, fetcher, signal).then((loaded) => build(request, loaded));
}

function build(request: ModelRequest, loaded: Map<string, LoadedImage>): SdkMessage[] {
  const messages: SdkMessage[] = [];
  if (request.system !== undefined) messages.push({ role: "system", content: request.system });
  (request.messages ?? []).forEach((msg, m) => {
    const { role, content } = msg;
    if (typeof content === "string") return messages.push({ role, content } as SdkMessage);
    if (role !== "user") return messages.push({ role, content: textOnly(content)! });
    messages.push({
      role,
      content: content.map((part, p) => {
        if (part.type === "text") return { type: "text" as const, text: part.text };
        const image = loaded.get(`${m}:${p}`)!;
        return { type: "image" as const, image: image.bytes, mediaType: image.mediaType };
      }),
    });
  });
  if (request.prompt !== undefined) messages.push({ role: "user", content: request.prompt });
  return messages;
}

const imageError = (e: ImageCallError): CallError => ({ kind: e.kind, message: e.message, retryable: false });

/**
 * The request's messages for the AI SDK, images loaded; a CallError when an image cannot be sent.
 * Synchronous without images, so such a call queues for its slot in the same tick it was made.
 */
export function prepareMessages(
  request: ModelRequest,
  fetcher: ImageFetcher,
): SdkMessage[] | CallError | Promise<SdkMessage[] | CallError> {
  let pending;
  try {
    pending = toSdkMessages(request, fetcher, request.abortSignal);
  } catch (e) {
    if (e instanceof ImageCallError) return imageError(e);
    throw e;
  }
  if (Array.isArray(pending)) return pending;
  return pending.catch((e: unknown) => {
    if (e instanceof ImageCallError) return imageError(e);
    if (request.abortSignal?.aborted) return classifyError(e, { aborted: true, timedOut: false, nowMs: Date.now() });
    throw e;
  });
}
