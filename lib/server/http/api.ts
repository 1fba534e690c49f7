import "server-only";
import { NextResponse, type NextRequest } from "next/server";
import type { z } from "zod";
import type { Actor, ApiKeyScope } from "@/lib/auth/permissions";
import { AppError, errorBodyFor } from "@/lib/errors";
import { assertSafeQuery, assertSafeValue } from "@/lib/input-safety";
import { assertDeclaredLength, MAX_BODY_BYTES, parseWith, readLimited } from "./request-input";
import type { Db } from "@/db/client";
import { getDb, readyDb } from "../wiring/db";
import { env } from "../wiring/env";
import { log } from "../wiring/log";
import { hasValidKeyHeader } from "./api-auth";
import { authenticated, fromNext, jsonBody, query, type RuntimeRequest } from "./runtime-request";
import {
  checkResource,
  isOtherResponse,
  parsePathParams,
  resourceInputOf,
  type Endpoint,
  type PathParams,
} from "./endpoint";
import type { DomainContext } from "@/lib/context";
import { domainContext } from "../wiring/domain";
import { methodNotAllowed, toAppError } from "./http-errors";

// The wrapper every declared /api route uses (CONTRIBUTING.md, "Routes and actions are thin"): `route(declaration,
// handler)` authenticates, checks scope and action, limits and validates input, and maps errors to the one shape.
// Handlers contain no try/catch.

export { MAX_BODY_BYTES };

export type ApiProject = { id: string; slug: string };
type RouteArgs = { params: Promise<Record<string, string | string[]>> };

/** An error's answer; `pathname` picks the body's shape (Langfuse's on /api/public/…, errorBodyFor). */
export function errorResponse(err: AppError, headers?: HeadersInit, pathname?: string): NextResponse {
  const body = errorBodyFor(pathname, err);
  // A limit that says when to come back says it in Retry-After too.
  const retry = err.code === "rate_limited" ? err.details?.retryAfterSeconds : undefined;
  if (typeof retry === "number" && !headers) headers = { "retry-after": String(Math.ceil(retry)) };
  return NextResponse.json(body, { status: err.status, headers });
}

/** Whether the request carries a valid, unrevoked API key (for endpoints that say more to known callers). */
export function hasValidKey(req: NextRequest): Promise<boolean> {
  return hasValidKeyHeader(() => readyDb() ?? getDb(), req.headers.get("authorization"));
}

/** The request body's bytes, refusing more than `limit` (413) without reading it all. */
async function readBytes(req: NextRequest, limit: number): Promise<Buffer> {
  assertDeclaredLength(req.headers.get("content-length"), limit);
  return readLimited(req.body, limit);
}

/** The request body as text (CSV and NDJSON uploads), with the same limit. */
export async function readTextBody(req: NextRequest, limit = MAX_BODY_BYTES): Promise<string> {
  return (await readBytes(req, limit)).toString("utf8");
}

/** What a handler receives: the request, who calls, the operation's context, and the parsed input. */
export type RouteContext<P extends string, Q, B, R = PathParams<P>> = {
  req: NextRequest;
  db: Db;
  project: ApiProject;
  actor: Actor;
  scope: ApiKeyScope;
  /** Environments a limited runtime key may read (null: all). */
  environments: string[] | null;
  /** What every domain operation takes: database, actor, project, event sink (lib/context.ts). */
  domain: DomainContext;
  /** The path's parameters, parsed by the declaration's `params` schema. */
  params: R;
  query: Q;
  body: B;
};

/**
 * The handler of a declared endpoint (endpoint.ts): authenticate, check the scope and the declared permission
 * before anything is read, limit and parse the path, query and body, check the declared resource rule on the row
 * the input names (the one check: the operation checks nothing), map every error to the one shape,
 * and (in the test tiers) check a success against the declared response schema.
 */
export function route<const P extends string, Q, B, R>(
  e: Endpoint<P, Q, B, R>,
  handler: (ctx: RouteContext<P, Q, B, R>) => Promise<Response>,
) {
  return async (req: NextRequest, args: RouteArgs): Promise<Response> => {
    try {
      const rr = fromNext(req);
      // A key sent in the body (keyBody) needs the body before authentication, only when no header carries one
      // (within MAX_BODY_BYTES until the caller is known); it is read once either way.
      const early = e.keyBody && !headerKey(rr, e.keyHeader) ? await jsonBody(rr) : undefined;
      const { db, auth } = await authenticated(withBodyKey(rr, early, e), e.permission, e.scope, e.keyHeader);
      const { actor, principal } = auth;
      // Next has already decoded path parameters once; decoding again would turn %2525 into %.
      const raw = await args.params;
      const params = Object.fromEntries(
        Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]),
      );
      assertSafeValue(params, "path");
      const parsedParams = parsePathParams(e, params);
      const q = e.query ? query(rr, e.query) : (assertSafeQuery(req.nextUrl.searchParams), undefined as Q);
      const rawBody = e.body ? (early ?? (await jsonBody(rr, e.maxBodyBytes))) : undefined;
      const body = !e.body
        ? (undefined as B)
        : typeof e.body === "function"
          ? e.body(rawBody)
          : parseWith(e.body, rawBody, "body");
      const project = { id: principal.projectId, slug: principal.projectSlug };
      const domain = await domainContext(db, actor, project.id);
      await checkResource(e, domain, resourceInputOf(parsedParams, q, body));
      const res = await handler({
        req,
        db,
        project,
        actor,
        scope: principal.scope,
        environments: principal.environments ?? null,
        domain,
        params: parsedParams,
        query: q,
        body,
      });
      return !isOtherResponse(e.response) && env().LECTERN_CHECK_RESPONSES
        ? await checkedResponse(res, e.response, req, params)
        : res;
    } catch (err) {
      return errorResponse(toAppError(err, `${req.method} ${req.nextUrl.pathname}`), undefined, req.nextUrl.pathname);
    }
  };
}

const headerKey = (rr: RuntimeRequest, keyHeader?: string) =>
  Boolean(rr.header("authorization") || (keyHeader && rr.header(keyHeader)));

/** The request as authentication reads it: a key in the body's `keyBody` field when no header carries one. */
function withBodyKey(rr: RuntimeRequest, body: unknown, e: Pick<Endpoint, "keyBody" | "keyHeader">): RuntimeRequest {
  const key = e.keyBody ? (body as Record<string, unknown> | null)?.[e.keyBody] : undefined;
  if (typeof key !== "string" || !key.trim() || headerKey(rr, e.keyHeader)) return rr;
  return { ...rr, header: (name) => (name === "authorization" ? `Bearer ${key.trim()}` : rr.header(name)) };
}

/** The route's path with its parameters named, for the log: /api/v1/prompts/{name}/versions/{version}. */
export function routeOf(pathname: string, params: Record<string, string>): string {
  let route = pathname;
  let before = route.length;
  // From the last parameter back, each at a whole segment: a prompt named "v1" is not the /v1/ of the path.
  for (const [name, value] of Object.entries(params).reverse()) {
    // One segment (a%2Fb), or a catch-all's several (a/b).
    for (const form of new Set([encodeURIComponent(value), value.split("/").map(encodeURIComponent).join("/")])) {
      const at = route.lastIndexOf(`/${form}`, before);
      if (at < 0 || (route[at + form.length + 1] ?? "/") !== "/") continue;
      route = `${route.slice(0, at)}/{${name}}${route.slice(at + form.length + 1)}`;
      before = at - 1;
      break;
    }
  }
  return route;
}

/** A successful JSON answer as it is when it matches `schema`; otherwise a 500 and a log line saying why. */
async function checkedResponse(
  res: Response,
  schema: z.ZodType,
  req: NextRequest,
  params: Record<string, string>,
): Promise<Response> {
  if (res.status < 200 || res.status >= 300 || !res.headers.get("content-type")?.includes("application/json"))
    return res;
  const result = schema.safeParse(await res.clone().json());
  if (result.success) return res;
  const route = `${req.method} ${routeOf(req.nextUrl.pathname, params)}`;
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  const ref = Math.random().toString(36).slice(2, 10);
  log.error(`${route} answered what its response schema refuses (ref ${ref})`, { path: req.nextUrl.pathname, issues });
  return errorResponse(
    new AppError("internal", `Internal error (ref ${ref}): the answer broke its response schema.`, { ref }),
    undefined,
    req.nextUrl.pathname,
  );
}

export const json = (data: unknown, status = 200, headers?: HeadersInit) =>
  NextResponse.json(data, { status, headers });

const httpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type HttpMethod = (typeof httpMethods)[number];

/**
 * Handlers for the methods a route does not support, answering a JSON 405 with an Allow header
 * (Next's own 405 has an empty body). Use: `export const { PUT, PATCH, DELETE } = otherMethods("GET", "POST");`
 */
export function otherMethods<const A extends HttpMethod[]>(
  ...allowed: A
): Record<Exclude<HttpMethod, A[number]>, (req?: NextRequest) => Response> {
  const notAllowed = (method: string) => (req?: NextRequest) => {
    const { error, allow } = methodNotAllowed(method, allowed);
    return errorResponse(error, { allow }, req?.nextUrl.pathname);
  };
  return Object.fromEntries(httpMethods.filter((m) => !allowed.includes(m)).map((m) => [m, notAllowed(m)])) as never;
}
