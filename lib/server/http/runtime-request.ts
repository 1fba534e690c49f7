// The request abstraction of the runtime paths and the helpers every handler uses: the one error
// answer, JSON answers, query parsing, the JSON body and API-key authentication.
import "server-only";
import type { z } from "zod";
import { authorize } from "@/lib/auth/permissions";
import { errorEnvelope, type AppError } from "@/lib/errors";
import { assertSafeQuery } from "@/lib/input-safety";
import type { RuntimeAnswer } from "@/lib/runtime/answer";
import { authenticate, type HeaderGetter } from "./api-auth";
import { getDb, readyDb } from "../wiring/db";
import { assertDeclaredLength, MAX_BODY_BYTES, parseJsonBody, parseWith } from "./request-input";

export type RuntimeRequest = {
  /** HEAD is answered as GET without a body (and without opening an event stream). */
  method: "GET" | "HEAD" | "POST";
  pathname: string;
  /** The query string without "?", as sent. */
  search: string;
  header: HeaderGetter;
  /** The body's bytes, refusing more than `limit` while reading (payload_too_large). */
  readBody(limit: number): Promise<Uint8Array | undefined>;
};

export function errorAnswer(err: AppError, headers?: Record<string, string>): RuntimeAnswer {
  const body = errorEnvelope(err);
  return {
    status: err.status,
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  };
}

export const json = (data: unknown, status: number, headers?: Record<string, string>): RuntimeAnswer => ({
  status,
  headers: { ...headers, "content-type": "application/json" },
  body: JSON.stringify(data),
});

export function query<T>(req: RuntimeRequest, schema: z.ZodType<T>): T {
  const params = new URLSearchParams(req.search);
  assertSafeQuery(params);
  return parseWith(schema, Object.fromEntries(params), "query");
}

/** The JSON body, unvalidated (an empty body is `{}`). */
export async function jsonBody(req: RuntimeRequest, limit = MAX_BODY_BYTES): Promise<unknown> {
  assertDeclaredLength(req.header("content-length"), limit);
  return parseJsonBody(await req.readBody(limit)) ?? {};
}

export async function authenticated(
  req: RuntimeRequest,
  action: "runtime.resolve" | "runtime.events" | "runtime.feedback",
) {
  const db = readyDb() ?? (await getDb());
  const auth = await authenticate(db, req.header("authorization"), "runtime");
  authorize(auth.actor, action);
  return { db, auth };
}
