import "server-only";
import type { z } from "zod";
import { readBodyCapped } from "@/lib/bounded-body";
import { AppError } from "@/lib/errors";
import { assertSafeValue } from "@/lib/input-safety";
import { zodToAppError } from "./http-errors";

// Body and query checks shared by the /api/v1 wrapper (api.ts) and the runtime core (runtime-http.ts).

export const MAX_BODY_BYTES = 1024 * 1024;

export const tooLarge = (limit: number) =>
  new AppError("payload_too_large", `Request body is larger than ${limit} bytes.`, { limit });

/** Refuses a declared Content-Length over the limit before a byte is read. */
export function assertDeclaredLength(contentLength: string | null | undefined, limit: number): void {
  if (Number(contentLength ?? "0") > limit) throw tooLarge(limit);
}

/** A web request body's bytes, refusing more than `limit` (413) as soon as it is passed, without reading the rest. */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  return readBodyCapped(body, limit, () => tooLarge(limit));
}

/** The body as JSON (undefined when empty), refusing bad JSON and values PostgreSQL cannot store. */
export function parseJsonBody(bytes: Uint8Array | undefined): unknown {
  if (!bytes || bytes.byteLength === 0) return undefined;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  if (!text.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError("invalid_input", "Request body is not valid JSON.");
  }
  assertSafeValue(parsed);
  return parsed;
}

/**
 * The request parsed by its endpoint's declared schema. A refusal keeps zod's error as its cause: the Langfuse
 * routes answer it as Langfuse answers its request schemas' refusals (errorBodyFor), while a rule a domain
 * operation checks later answers with its own message there, as Langfuse's InvalidRequestError does.
 */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const err = zodToAppError(r.error, where === "body" ? undefined : where);
  throw new AppError(err.code, err.message, err.details, { cause: r.error });
}
