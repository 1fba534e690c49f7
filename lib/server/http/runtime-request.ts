// The request abstraction of the runtime paths and the helpers every handler uses — the runtime core's
// (runtime-http.ts) and the route wrapper's (api.ts, `route`): API-key authentication, query parsing, the
// JSON body, the one error answer and JSON answers.
import "server-only";
import type { z } from "zod";
import type { NextRequest } from "next/server";
import { authorize, type Permission, type ApiKeyScope } from "@/lib/auth/permissions";
import { errorEnvelope, type AppError } from "@/lib/errors";
import { assertSafeQuery } from "@/lib/input-safety";
import type { RuntimeAnswer } from "@/lib/runtime/answer";
import { authenticate, authenticateCached, type HeaderGetter } from "./api-auth";
import { getDb, readyDb } from "../wiring/db";
import { assertDeclaredLength, MAX_BODY_BYTES, parseJsonBody, parseWith, readLimited } from "./request-input";

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
  const body = errorEnvelope(err); // the runtime paths are never Langfuse's (errorBodyFor)
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

/**
 * Who calls, with which key (runtime paths: `authenticated(req, "runtime.resolve")`; declared endpoints:
 * their scope and action), checked before anything else is read.
 */
export async function authenticated(
  req: RuntimeRequest,
  action: Permission | undefined,
  scope: ApiKeyScope = "runtime",
  keyHeader?: string,
) {
  const db = readyDb() ?? (await getDb());
  const auth = await authenticate(db, authorizationOf(req, keyHeader), scope);
  if (action) authorize(auth.actor, action);
  return { db, auth };
}

/**
 * `authenticated` without an await when the key is in L1 (found through the remembered hash of its header,
 * authenticateCached); undefined when it needs I/O. Throws as `authenticated` does for a bad header or action.
 */
export function authenticatedCached(
  req: RuntimeRequest,
  action: Permission | undefined,
  scope: ApiKeyScope = "runtime",
  keyHeader?: string,
) {
  const db = readyDb();
  const auth = db && authenticateCached(db, authorizationOf(req, keyHeader), scope);
  if (!db || !auth) return undefined;
  if (action) authorize(auth.actor, action);
  return { db, auth };
}

/**
 * The Authorization header, or the key a compatible client sends in its own header (`keyHeader`: PromptLayer's
 * and LangSmith's `x-api-key`, Pezzo's `x-pezzo-api-key`) as a Bearer key. Authorization wins when both are sent.
 */
export function authorizationOf(req: RuntimeRequest, keyHeader?: string): string | null | undefined {
  const authorization = req.header("authorization");
  if (authorization || !keyHeader) return authorization;
  const key = req.header(keyHeader)?.trim();
  return key ? `Bearer ${key}` : authorization;
}

/** A NextRequest as the runtime core and the route wrapper read it. */
export function fromNext(req: NextRequest): RuntimeRequest {
  return {
    // Next answers HEAD with the GET handler (then drops the body).
    method: req.method as RuntimeRequest["method"],
    pathname: req.nextUrl.pathname,
    search: req.nextUrl.search.slice(1),
    header: (name) => req.headers.get(name),
    async readBody(limit) {
      return req.body ? readLimited(req.body, limit) : undefined;
    },
  };
}
