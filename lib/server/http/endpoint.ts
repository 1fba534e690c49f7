// An endpoint's declaration: everything about it but its handler, in one object. The route wrapper
// (api.ts, `route`) reads its scope, action, limits and schemas; the OpenAPI document (openapi/openapi.ts) is
// generated from the same objects (endpoints/): its export name is the operationId, its path gives its tag
// (openapi/openapi-tags.ts). Adding an endpoint: declare it in endpoints/<area>.ts (with `params` from path-params.ts when its
// path has any), then `export const POST = route(declaration, handler)` in its route.ts; openapi.test.ts checks both.
import "server-only";
import { z } from "zod";
import { contentSchema } from "@/lib/registry/content";
import { parseWith } from "./request-input";
import { authorize, type Permission, type ApiKeyScope } from "@/lib/auth/permissions";
import type { DomainContext } from "@/lib/context";
import type { ErrorCode } from "@/lib/errors";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** An answer that is not JSON (CSV, NDJSON, an event stream): its content type and, optionally, a JSON Schema. */
export type OtherResponse = { contentType: string; description: string; schema?: object };

export type Endpoint<P extends string = string, Q = unknown, B = unknown, R = PathParams<P>> = {
  method: HttpMethod;
  /** The path as OpenAPI writes it: /api/v1/prompts/{name}/rollback. */
  path: P;
  /**
   * One schema per `{parameter}` of the path (path-params.ts): the wrapper parses each before the handler runs,
   * which gets them typed; the document's path parameters (and their descriptions) come from it.
   */
  params?: z.ZodObject<ParamShape<P>> & z.ZodType<R>;
  summary: string;
  scope: ApiKeyScope;
  /**
   * The header a compatible client sends its key in when it sends no Authorization header (`x-api-key`,
   * `x-pezzo-api-key`): its value is read as a Bearer key.
   */
  keyHeader?: string;
  /**
   * The body field a compatible client sends its key in when it sends it in no header (PromptLayer's track
   * calls send `api_key`): the body is then read before authentication, within MAX_BODY_BYTES (not
   * `maxBodyBytes`: the caller is not known yet), and the field's value is read as a Bearer key.
   */
  keyBody?: string;
  /** The permission checked right after authentication, before anything is read. */
  permission?: Permission;
  /**
   * What the row the operation acts on needs beyond `permission` (deploying into a protected environment needs
   * "deploy.protected"): checked by the wrapper (`route`, `actionFrom`) once the input is parsed, before the
   * operation runs. The operation itself checks nothing.
   */
  resource?: ResourceRule;
  /**
   * The error codes its operation answers beyond those the document derives from the declaration (openapi/openapi-errors.ts:
   * input, key, scope, a path's resource, a change's conflict, the body's limit, the server's limits).
   */
  errors?: readonly ErrorCode[];
  query?: z.ZodType<Q>;
  /**
   * The body's schema, or the operation's own parser (`parseCreateRunInput`): a parser throws the AppError
   * its domain answers bad input with, so the route refuses it exactly as the operation (and the UI) would.
   * A parser needs `bodySchema` for the document.
   */
  body?: z.ZodType<B> | ((value: unknown) => B);
  bodySchema?: z.ZodType | object;
  /** Other content types the body may have (CSV, NDJSON), as OpenAPI media types. */
  bodyTypes?: Record<string, object>;
  /** A larger body limit than MAX_BODY_BYTES, for the few routes that take whole documents. */
  maxBodyBytes?: number;
  /** The success status (200 unless said). */
  status?: number;
  /**
   * The schema of a successful JSON answer (beside its DTO builder in lib). Required: the document shows it,
   * and the api and e2e tiers (LECTERN_CHECK_RESPONSES) turn an answer that breaks it into a 500.
   */
  response: z.ZodType | OtherResponse;
};

/** The input a resource rule reads: the path's parameters, the query and the body as one object, as the UI's action takes it. */
export type ResourceInput = Record<string, unknown>;

/**
 * A rule on the row an operation acts on: `find` reads it from the parsed input (undefined when it does not exist:
 * the operation then answers its own not_found), `permission` names what that row needs of the caller (null:
 * nothing more than the endpoint's `permission`).
 */
export type ResourceRule = {
  /** What the rule is about, for a reader of the declaration ("the environment deployed into"). */
  about: string;
  check: (ctx: DomainContext, input: ResourceInput) => Promise<Permission | null>;
};

/** A resource rule from how to find the row and what that row needs. */
export function resourceRule<T>(
  about: string,
  find: (ctx: DomainContext, input: ResourceInput) => Promise<T | undefined>,
  permission: (row: T, ctx: DomainContext) => Permission | null,
): ResourceRule {
  return {
    about,
    check: async (ctx, input) => {
      const row = await find(ctx, input);
      return row === undefined ? null : permission(row, ctx);
    },
  };
}

/**
 * Checks a declaration's resource rule for `input` (what `route` and `actionFrom` call after parsing the input):
 * throws `forbidden` naming the permission the row needs when the actor lacks it.
 */
export async function checkResource(
  e: { resource?: ResourceRule },
  ctx: DomainContext,
  input: ResourceInput,
): Promise<void> {
  const needed = e.resource && (await e.resource.check(ctx, input));
  if (needed) authorize(ctx.actor, needed);
}

/** The input a REST request hands its resource rule: path parameters, query and body as one object. */
export const resourceInputOf = (params: unknown, query: unknown, body: unknown): ResourceInput => ({
  ...(isRecord(query) ? query : {}),
  ...(isRecord(body) ? body : {}),
  ...(isRecord(params) ? params : {}),
});
const isRecord = (v: unknown): v is ResourceInput => typeof v === "object" && v !== null && !Array.isArray(v);

type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never;
/** The path's parameters as they arrive, before their schema: `{name: string; version: string}`. */
export type PathParams<P extends string> = { [K in ParamNames<P>]: string };
type ParamShape<P extends string> = { [K in ParamNames<P>]: z.ZodType };

/**
 * Declares an endpoint, keeping its path literal so handlers get typed parameters. Its export name is its
 * OpenAPI operationId (openapi/openapi.ts): renaming one changes the public document.
 */
export const endpoint = <const P extends string, Q = undefined, B = undefined, R = PathParams<P>>(
  e: Endpoint<P, Q, B, R>,
) => e;

/**
 * The path's parameters parsed by the declaration's schema, one at a time so that an error names the parameter
 * (`version must be a number`, details.field "version") as a parse of that value alone would.
 */
export function parsePathParams<R>(e: { params?: z.ZodType<R> & { shape: object } }, raw: Record<string, string>): R {
  if (!e.params) return raw as R;
  const shape = e.params.shape as Record<string, z.ZodType>;
  return Object.fromEntries(Object.entries(shape).map(([k, s]) => [k, parseWith(s, raw[k], k)])) as R;
}

/** What a release is refused with besides a conflict (lib/release/plan/plan-refusal.ts), for `errors`. */
export const releaseRefusals = [
  "gate_failed",
  "rolled_back",
  "experiment_running",
] as const satisfies readonly ErrorCode[];
/** What a rollout is refused with when it cannot start, for `errors`. */
export const rolloutRefusals = ["plan_unmet", "experiment_running"] as const satisfies readonly ErrorCode[];
/** What resolving answers for a name or environment that serves nothing, for `errors`. */
export const resolveErrors = ["not_found", "not_deployed"] as const satisfies readonly ErrorCode[];
/** What rendering answers for its variables, for `errors`. */
export const renderErrors = ["missing_variables", "invalid_variables"] as const satisfies readonly ErrorCode[];

/** The response of a 204: no body. */
export const noContent: OtherResponse = { contentType: "", description: "No content" };

export const isOtherResponse = (r: Endpoint["response"]): r is OtherResponse =>
  typeof (r as OtherResponse).contentType === "string";

const inputSchema = (s: z.ZodType) => z.toJSONSchema(s, { io: "input", unrepresentable: "any" });
/** A body schema for the document whose content fields (template, messages…) the content schema describes. */
export const withContent = (meta: z.ZodType) => ({ allOf: [inputSchema(meta), inputSchema(contentSchema)] });
