// Image parts of chat messages, zod-free so the SDK's renderer can bundle them. A message's content is
// a string or a list of parts; an image is a URL (https:, or a data: URL stored in the version) or a
// variable of type "image" filled in at render time.

export type TextPart = { type: "text"; text: string };
export type ImageUrlPart = { type: "image"; url: string };
export type ImageVariablePart = { type: "image"; variable: string };
export type MessagePart = TextPart | ImageUrlPart | ImageVariablePart;
/** After rendering: variables are resolved, so an image is always a URL. */
export type RenderedPart = TextPart | ImageUrlPart;
export type MessageContent = string | MessagePart[];
export type RenderedContent = string | RenderedPart[];

export const imageMediaTypes = ["image/png", "image/jpeg", "image/gif", "image/webp"] as const;
export type ImageMediaType = (typeof imageMediaTypes)[number];
/** A data: URL kept inside a version (an image stored in Lectern). */
export const maxStoredImageBytes = 512 * 1024;
/** A data: URL given as an image variable's value at render time, or an image fetched from a URL. */
export const maxImageBytes = 5 * 1024 * 1024;
export const maxUrlChars = 2048;
export const maxPartsPerMessage = 20;

export const isImagePart = (p: MessagePart): p is ImageUrlPart | ImageVariablePart => p.type === "image";
export const isImageVariablePart = (p: MessagePart): p is ImageVariablePart =>
  p.type === "image" && "variable" in p && typeof p.variable === "string";

/** The media type an image's first bytes say it is, whatever a header or a data: URL claims. */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | undefined {
  const at = (i: number, ...b: number[]) => b.every((x, j) => bytes[i + j] === x);
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (at(0, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (at(0, 0x47, 0x49, 0x46, 0x38)) return "image/gif";
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return "image/webp";
  return undefined;
}

const dataUrlPattern = /^data:(image\/[a-z+.-]{1,40});base64,/;
const base64Body = /^[A-Za-z0-9+/]*={0,2}$/;

export interface DataUrl {
  mediaType: ImageMediaType;
  bytes: number;
  base64: string;
}

/** Decodes the head of a data: URL's base64 without decoding the rest (a megabyte is checked in O(1)). */
function headBytes(base64: string): Uint8Array {
  const head = atob(base64.slice(0, 24)); // a multiple of 4 characters: the first 18 bytes
  return Uint8Array.from(head, (c) => c.charCodeAt(0));
}

/** Parses an image data: URL, or says what is wrong with it. */
export function parseImageDataUrl(url: string, maxBytes: number): DataUrl | string {
  const m = dataUrlPattern.exec(url);
  if (!m) return "a data: URL must be data:image/<png|jpeg|gif|webp>;base64,<data>";
  const claimed = m[1]!;
  if (!(imageMediaTypes as readonly string[]).includes(claimed))
    return `${claimed} is not an accepted image type (${imageMediaTypes.join(", ")})`;
  const base64 = url.slice(m[0].length);
  if (base64.length === 0) return "the data: URL holds no data";
  if (base64.length % 4 !== 0 || !base64Body.test(base64)) return "the data: URL's data is not valid base64";
  const bytes = (base64.length / 4) * 3 - (base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0);
  if (bytes > maxBytes) return `the image is ${kib(bytes)}, over the limit of ${kib(maxBytes)}`;
  const sniffed = sniffImageType(headBytes(base64));
  if (!sniffed) return "the data is not a PNG, JPEG, GIF or WebP image";
  if (sniffed !== claimed) return `the data: URL says ${claimed} but the data is ${sniffed}`;
  return { mediaType: sniffed, bytes, base64 };
}

/** Why an image URL is refused (null: accepted). https: URLs are checked for shape here, for address when fetched. */
export function imageUrlProblem(url: string, maxBytes: number): string | null {
  if (url.startsWith("data:")) {
    const parsed = parseImageDataUrl(url, maxBytes);
    return typeof parsed === "string" ? parsed : null;
  }
  if (url.length > maxUrlChars) return `an image URL must be at most ${maxUrlChars} characters`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "an image must be an https: URL or a data:image/…;base64 URL";
  }
  if (parsed.protocol !== "https:") return "an image must be an https: URL or a data:image/…;base64 URL";
  if (parsed.username || parsed.password) return "an image URL must not hold a user name or password";
  return null;
}

const kib = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024))} KiB`;

/** How an image reads in text: its URL, or "data:image/png (12 KiB)" for a data: URL (never the data). */
export function describeImageUrl(url: string): string {
  if (!url.startsWith("data:")) return url;
  const parsed = parseImageDataUrl(url, Number.MAX_SAFE_INTEGER);
  return typeof parsed === "string" ? "data: (not an image)" : `data:${parsed.mediaType} (${kib(parsed.bytes)})`;
}

/** One part as text: the text itself, or `[image: …]`. */
export function partText(p: MessagePart): string {
  if (p.type === "text") return p.text;
  return "variable" in p ? `[image: {{${p.variable}}}]` : `[image: ${describeImageUrl(p.url)}]`;
}

/** A message's content as text, for diffs, lists, traces and stored results: images become `[image: …]`. */
export function contentText(content: MessageContent): string {
  return typeof content === "string" ? content : content.map(partText).join("\n");
}

/** The image URLs of a rendered content, in order. */
export function imageUrls(content: RenderedContent): string[] {
  return typeof content === "string" ? [] : content.flatMap((p) => (p.type === "image" ? [p.url] : []));
}
