// Images the scripted model received, in OpenAI's `image_url` parts or Anthropic's `image` blocks: the
// server records each one (where it was, its media type, its bytes' length and SHA-256) so tests can
// assert that the very bytes Lectern sent arrived, and shows each in the prompt text as a marker
// (`[image image/png sha256:0123456789abcdef]`) that script rules can match.
import { createHash } from "node:crypto";

export interface ReceivedImage {
  /** Index of the message in the request's `messages` (Anthropic's `system` is not one). */
  message: number;
  /** Index of the part within that message's content. */
  part: number;
  /** The media type the data: URL or base64 source declared. */
  mediaType: string;
  /** Decoded bytes; 0 for a URL the provider would have had to fetch. */
  byteLength: number;
  /** Hex SHA-256 of the decoded bytes ("" for a URL). */
  sha256: string;
  /** Set when the image came as a URL to fetch (http(s)), not as data: what Lectern must never send. */
  url?: string;
}

const sha = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

function fromBase64(message: number, part: number, mediaType: string, base64: string): ReceivedImage {
  const bytes = Buffer.from(base64, "base64");
  return { message, part, mediaType, byteLength: bytes.length, sha256: sha(bytes) };
}

/** An OpenAI `image_url` part's image. */
export function openAIImage(message: number, part: number, url: string): ReceivedImage {
  const m = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (m) return fromBase64(message, part, m[1]!, m[2]!);
  return { message, part, mediaType: "", byteLength: 0, sha256: "", url };
}

/** An Anthropic `image` block's image (`source: {type: "base64", media_type, data}` or `{type: "url", url}`). */
export function anthropicImage(message: number, part: number, source: unknown): ReceivedImage {
  const s = (source ?? {}) as { type?: string; media_type?: string; data?: string; url?: string };
  if (s.type === "base64") return fromBase64(message, part, String(s.media_type ?? ""), String(s.data ?? ""));
  return { message, part, mediaType: "", byteLength: 0, sha256: "", url: String(s.url ?? "") };
}

/** How an image reads in the logged prompt, for script rules: its type and the start of its hash (or its URL). */
export const imageMarker = (i: ReceivedImage) =>
  i.url !== undefined ? `[image url ${i.url}]` : `[image ${i.mediaType} sha256:${i.sha256.slice(0, 16)}]`;

/** Hex SHA-256 of bytes, as ReceivedImage.sha256 has it (for tests comparing what they sent). */
export const sha256Hex = (bytes: Uint8Array) => sha(Buffer.from(bytes));
