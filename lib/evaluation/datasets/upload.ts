// Adding items as they arrive over HTTP (POST /api/v1/datasets/{id}/items): the Content-Type chooses the
// format — JSON ({items} or {sampleIds}), CSV or JSON lines — and the body is read only once it is known to
// be one of them. All or nothing: a bad row is a 422 listing each, and nothing is stored.
import { z } from "zod";
import { AppError } from "../../errors";
import { findUnsafeValue } from "../../input-safety";
import type { DomainContext } from "../../context";
import { parseInput } from "../../validation";
import { addItemsFromSamples, addSamplesInput, importItems, type ItemFormat } from "./items";
import { itemSchema } from "./parse";

/** The largest upload read: 10,000 items with a few variables each fit comfortably. */
export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

function formatOf(contentType: string | null): ItemFormat {
  const type = (contentType ?? "application/json").split(";")[0]!.trim().toLowerCase();
  if (type === "text/csv") return "csv";
  if (type === "application/x-ndjson" || type === "application/jsonl" || type === "application/x-jsonlines")
    return "jsonl";
  if (type === "application/json" || type === "") return "json";
  throw new AppError(
    "invalid_input",
    `Content-Type ${type} is not accepted: send application/json ({items}), text/csv or application/x-ndjson`,
    { field: "content-type" },
  );
}

/** An upload: its Content-Type, and how to read its body as text refusing more than `limit` bytes (413). */
export type ItemUpload = { contentType: string | null; read: (limit: number) => Promise<string> };

/** The answer of POST /api/v1/datasets/{id}/items: the new dataset version and how many items it added. */
export const addedItemsResponse = z.object({ version: z.number().int(), added: z.number().int() });

export async function addUploadedItems(
  ctx: DomainContext,
  ref: string,
  upload: ItemUpload,
): Promise<{ version: number; added: number }> {
  const format = formatOf(upload.contentType);
  const text = await upload.read(MAX_UPLOAD_BYTES);
  let body: unknown = text;
  if (format === "json") {
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppError("invalid_input", "Request body is not valid JSON.");
    }
  }
  const unsafe = findUnsafeValue(body);
  if (unsafe) throw unsafe;
  if (format === "json" && body && typeof body === "object" && "sampleIds" in body) {
    const { sampleIds } = parseInput(addSamplesInput, body);
    const r = await addItemsFromSamples(ctx, ref, sampleIds);
    return { version: r.version, added: r.added };
  }
  return importItems(ctx, ref, format, body);
}

/** The JSON body of POST /api/v1/datasets/{id}/items, for the document (addUploadedItems parses it by Content-Type). */
export const addItemsJsonBody = z.object({
  items: z.array(itemSchema).optional(),
  sampleIds: z.array(z.number().int()).optional(),
});
