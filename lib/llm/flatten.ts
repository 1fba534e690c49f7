// Images where only text goes: what is stored per row (run results, traces, audit entries) or shown as
// text (a judge's view of an item's variables) carries `[image: <url>]`, or for a data: URL
// `[image: data:image/png (12 KiB)]`, never the data itself, so a megabyte of base64 is not copied
// into every row that mentions the image.
import { contentText, describeImageUrl } from "../registry/content-parts";
import type { ModelContentPart, ModelMessage } from "./types";

/** A content as text: images become `[image: …]`. */
export const flattenContent = (content: string | ModelContentPart[]): string => contentText(content);

/** Messages with their images flattened to text, for storing or showing. */
export const flattenMessages = (
  messages: readonly ModelMessage[],
): Array<{ role: ModelMessage["role"]; content: string }> =>
  messages.map((m) => ({ role: m.role, content: flattenContent(m.content) }));

/** The image URLs of messages, in order (user messages only carry them). */
export const messageImages = (messages: readonly ModelMessage[] | undefined): string[] =>
  (messages ?? []).flatMap((m) =>
    typeof m.content === "string" ? [] : m.content.flatMap((p) => (p.type === "image" ? [p.url] : [])),
  );

const dataImage = /^data:image\//i;

/**
 * A JSON value with every data:image URL string replaced by `[image: data:image/png (N KiB)]` (an image
 * variable's value among an item's variables). Depth and breadth are those of stored JSON (bounded on input).
 */
export function describeImagesIn(value: unknown): unknown {
  if (typeof value === "string") return dataImage.test(value) ? `[image: ${describeImageUrl(value)}]` : value;
  if (Array.isArray(value)) return value.map(describeImagesIn);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, describeImagesIn(v)]));
  return value;
}
