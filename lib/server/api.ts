import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import { findKey, hashKey, touchKey } from "@/lib/auth/api-keys";
import { authorize, type Action, type Actor, type ApiKeyScope } from "@/lib/auth/permissions";
import { getProjectByPublicId } from "@/lib/auth/projects";
import { AppError } from "@/lib/errors";
import { assertSafeQuery, assertSafeValue } from "@/lib/input-safety";
import type { Db } from "@/db/client";
import { getDb, readyDb } from "./db";
import { getRuntime, readyRuntime } from "./runtime";
import { toAppError, zodToAppError } from "./errors";

// The wrapper every /api/v1 route uses (STYLE.md habit 3): authenticate, check scope, limit and
// validate input, map errors to the one shape. Handlers contain no try/catch.

export const MAX_BODY_BYTES = 1024 * 1024;

export type ApiProject = { id: string; slug: string };
export type ApiContext<Q, B> = {
  req: NextRequest;
  db: Db;
  project: ApiProject;
  actor: Actor;
  scope: ApiKeyScope;
  /** Environments a limited runtime key may read (null: all). */
  environments: string[] | null;
  params: Record<string, string>;
  query: Q;
  body: B;
};

type Options<Q, B> = {
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  action?: Action;
  /** A larger body limit than MAX_BODY_BYTES, for the few routes that take whole documents (snapshot import). */
  maxBodyBytes?: number;
};
type RouteArgs = { params: Promise<Record<string, string | string[]>> };

export function errorResponse(err: AppError, headers?: HeadersInit): NextResponse {
  const body: { error: { code: string; message: string; details?: Record<string, unknown> } } = {
    error: { code: err.code, message: err.message },
  };
  if (err.details) body.error.details = err.details;
  return NextResponse.json(body, { status: err.status, headers });
}

function credentials(req: NextRequest): { key: string; publicId?: string } {
  const header = req.headers.get("authorization");
  if (!header) throw new AppError("unauthorized", "Missing API key: send the header Authorization: Bearer <key>.");
  const [kind, value] = header.split(/\s+/, 2);
  if (kind?.toLowerCase() === "bearer" && value) return { key: value };
  if (kind?.toLowerCase() === "basic" && value) {
    // Langfuse-compatible: username is the project's public id, password is a Lectern key.
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    if (i > 0) return { publicId: decoded.slice(0, i), key: decoded.slice(i + 1) };
  }
  throw new AppError("unauthorized", "Malformed Authorization header: expected Bearer <key>.");
}

// Key lookups go through the two-layer cache; revocation invalidates it on every instance.
// Each await on this path costs more than the work itself (Next tracks async context per promise),
// so cache hits are answered synchronously.
function peekKey(key: string) {
  return readyRuntime()?.keys.peek("all", hashKey(key));
}

async function lookupKey(db: Db, key: string) {
  const runtime = await getRuntime();
  const hash = hashKey(key);
  const hit = runtime.keys.peek("all", hash);
  if (hit) return hit;
  try {
    return (await runtime.keys.get("all", hash, async () => {
      const found = await findKey(db, key);
      if (!found) throw new AppError("unauthorized", "Invalid API key.");
      return found;
    })).value;
  } catch (e) {
    if (e instanceof AppError && e.code === "unauthorized") return undefined;
    throw e;
  }
}

// last_used_at is written at most once a minute per key and instance, never on the request's path.
const lastTouched = new Map<string, number>();
function touch(db: Db, keyId: string) {
  const now = Date.now();
  if (now - (lastTouched.get(keyId) ?? 0) < 60_000) return;
  lastTouched.set(keyId, now);
  void touchKey(db, keyId).catch(() => {});
}

async function authenticate(db: Db, req: NextRequest, scope: ApiKeyScope) {
  const { key, publicId } = credentials(req);
  const principal = peekKey(key) ?? (await lookupKey(db, key));
  if (!principal) throw new AppError("unauthorized", "Invalid API key.");
  if (principal.revoked) throw new AppError("unauthorized", "This API key has been revoked.");
  if (publicId) {
    const project = await getProjectByPublicId(db, publicId);
    if (!project || project.id !== principal.projectId)
      throw new AppError("unauthorized", "The public id does not belong to this key's project.");
  }
  if (scope === "admin" && principal.scope !== "admin")
    throw new AppError("forbidden", "This endpoint needs an admin API key; a runtime key was sent.", { required: "admin", scope: principal.scope });
  touch(db, principal.keyId);
  const actor: Actor = { type: "api_key", id: principal.keyId, label: `api-key:${principal.name}`, scope: principal.scope };
  return { actor, principal };
}

/** Whether the request carries a valid, unrevoked API key (for endpoints that say more to known callers). */
export async function hasValidKey(req: NextRequest): Promise<boolean> {
  if (!req.headers.get("authorization")) return false;
  try {
    const db = readyDb() ?? (await getDb());
    await authenticate(db, req, "runtime");
    return true;
  } catch {
    return false;
  }
}

/** The request body as text, refusing more than `limit` bytes (413) without reading it all. */
export async function readTextBody(req: NextRequest, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > limit) throw new AppError("payload_too_large", `Request body is larger than ${limit} bytes.`, { limit });
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new AppError("payload_too_large", `Request body is larger than ${limit} bytes.`, { limit });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function readBody(req: NextRequest, limit = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readTextBody(req, limit);
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

function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) throw zodToAppError(r.error, where === "body" ? undefined : where);
  return r.data;
}

export function withApiKey<Q = undefined, B = undefined>(
  scope: ApiKeyScope,
  opts: Options<Q, B>,
  handler: (ctx: ApiContext<Q, B>) => Promise<Response>,
) {
  return async (req: NextRequest, args: RouteArgs): Promise<Response> => {
    try {
      const db = readyDb() ?? (await getDb());
      const { actor, principal } = await authenticate(db, req, scope);
      if (opts.action) authorize(actor, opts.action);
      // Next has already decoded path parameters once; decoding again would turn %2525 into %.
      const raw = await args.params;
      const params = Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
      assertSafeValue(params, "path");
      assertSafeQuery(req.nextUrl.searchParams);
      const query = opts.query ? parseWith(opts.query, Object.fromEntries(req.nextUrl.searchParams), "query") : (undefined as Q);
      const body = opts.body ? parseWith(opts.body, (await readBody(req, opts.maxBodyBytes)) ?? {}, "body") : (undefined as B);
      return await handler({ req, db, project: { id: principal.projectId, slug: principal.projectSlug }, actor, scope: principal.scope, environments: principal.environments ?? null, params, query, body });
    } catch (e) {
      return errorResponse(toAppError(e, `${req.method} ${req.nextUrl.pathname}`));
    }
  };
}

export const json = (data: unknown, status = 200, headers?: HeadersInit) => NextResponse.json(data, { status, headers });

const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type HttpMethod = (typeof httpMethods)[number];

/**
 * Handlers for the methods a route does not support, answering a JSON 405 with an Allow header
 * (Next's own 405 has an empty body). Use: `export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");`
 */
export function otherMethods<const A extends HttpMethod[]>(...allowed: A): Record<Exclude<HttpMethod, A[number]>, () => Response> {
  const allow = [...allowed, ...(allowed.includes("GET") ? ["HEAD"] : []), "OPTIONS"].join(", ");
  const notAllowed = (method: string) => () =>
    errorResponse(new AppError("method_not_allowed", `${method} is not supported here; use ${allowed.join(" or ")}.`, { allow: allowed }), { allow });
  return Object.fromEntries(httpMethods.filter((m) => !allowed.includes(m)).map((m) => [m, notAllowed(m)])) as never;
}
