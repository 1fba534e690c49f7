// The read calls agents and compatible clients make in a loop — PromptLayer's templates.get (and its raw GET),
// LangSmith's pull, Pezzo's getPrompt, and the files under a skills URL (the discovery index, archives, files) —
// as one framework-free implementation taking the runtime paths' request abstraction (runtime-request.ts). The
// Next routes (read-route.ts) and Lectern's own server (gateway/fast-reads.ts) are adapters around it, so both
// answer byte for byte the same; both read through resolve's runtime (its cache), so a promote or rollback is
// seen by both as resolve sees it. Every answer carries a strong ETag of its bytes; a GET whose If-None-Match
// names it is answered 304 without a body.
import "server-only";
import { hash } from "node:crypto";
import { AppError, errorBodyFor } from "@/lib/errors";
import { assertSafeValue } from "@/lib/input-safety";
import type { RuntimeAnswer } from "@/lib/runtime/answer";
import { readPromptLayerTemplate } from "@/lib/compat/promptlayer/reads";
import { readPromptLayerTemplateCached } from "@/lib/compat/promptlayer/fast-read";
import { pullCommit } from "@/lib/compat/langsmith/reads";
import { getPezzoPrompt, peekPezzoPrompt } from "@/lib/compat/pezzo/deployment";
import type { Db } from "@/db/client";
import type { TwoLayerCache } from "@/lib/runtime/cache";
import { getRuntime, readyRuntime } from "../wiring/runtime-wiring";
import { env } from "../wiring/env";
import { log } from "../wiring/log";
import { isOtherResponse, parsePathParams, type Endpoint } from "./endpoint";
import { toAppError } from "./http-errors";
import { authenticated, authenticatedCached, type RuntimeRequest } from "./runtime-request";
import * as langsmith from "./endpoints/langsmith";
import * as pezzo from "./endpoints/pezzo";
import * as promptlayer from "./endpoints/promptlayer";
import { bodyOf, queryOf } from "./read-input";

/** What a read's handler gets: the key's project and environments, the parsed input, the request's headers. */
export type ReadCtx = {
  db: Db;
  runtime: NonNullable<ReturnType<typeof readyRuntime>>;
  project: { id: string; slug: string };
  environments: string[] | null;
  params: Record<string, string>;
  query: Record<string, string | undefined>;
  body: unknown;
  header: RuntimeRequest["header"];
};

/** A read: its declaration, and its answer from the parsed input (as ReadCtx holds it). */
export type ReadDef = {
  endpoint: Endpoint;
  answer: (c: ReadCtx) => Promise<unknown>;
  /** What the answer depends on beyond the project, when it is kept in resolve's cache (cachedAnswer). */
  cacheKey?: (c: ReadCtx) => string;
  /**
   * The answer from memory without an await (else `answer` runs): its JSON text, written for this request; or an
   * object kept per cache entry (the same object each time), whose text, ETag and headers are made once (kept).
   */
  cached?: (c: ReadCtx) => string | object | undefined;
};

const read = <P extends string, Q, B, R>(
  endpoint: Endpoint<P, Q, B, R>,
  answer: ReadDef["answer"],
  more: Pick<ReadDef, "cacheKey" | "cached"> = {},
): ReadDef => ({ endpoint: endpoint as unknown as Endpoint, answer, ...more });

type Cached = { body: string; etag: string };

/**
 * An answer kept in resolve's own cache (runtime.prompts: L1, then L2), under the project whose prompts it reads:
 * every change that drops the project's resolve entries (a version, a promotion, a rollback, a label's move) drops
 * it too, on every instance, exactly as for resolve. `key` names what else it depends on; it starts with a byte no
 * resolve key starts with (an environment's name).
 */
/** cachedAnswer's entry when it is in L1 (no await), else undefined. */
export function peekAnswer(runtime: ReadCtx["runtime"], projectId: string, key: string): Cached | undefined {
  return (runtime.prompts as unknown as TwoLayerCache<Cached>).peek(projectId, `\u0001read\u0000${key}`);
}

export async function cachedAnswer(
  runtime: ReadCtx["runtime"],
  projectId: string,
  key: string,
  make: () => Promise<string>,
): Promise<Cached> {
  const hit = peekAnswer(runtime, projectId, key);
  if (hit) return hit;
  const cache = runtime.prompts as unknown as TwoLayerCache<Cached>;
  const k = `\u0001read\u0000${key}`;
  return (
    await cache.get(projectId, k, async () => {
      const body = await make();
      return { body, etag: etagOf(body) };
    })
  ).value;
}

const pezzoCaller = (c: ReadCtx) => ({
  project: c.project,
  environments: c.environments,
  projectHeader: c.header("x-pezzo-project-id") ?? null,
});
const plDeps = (c: ReadCtx) => ({ db: c.db, runtime: c.runtime, projectId: c.project.id, allowed: c.environments });

/** The JSON reads, by their declaration. */
export const READS = {
  promptLayerGet: read(
    promptlayer.promptLayerGetTemplate,
    (c) => readPromptLayerTemplate(plDeps(c), c.params.identifier!, c.body as never),
    { cached: (c) => readPromptLayerTemplateCached(plDeps(c), c.params.identifier!, c.body as never) },
  ),
  promptLayerGetRaw: read(promptlayer.promptLayerGetRawTemplate, async (c) => {
    const { version, label, include_llm_kwargs } = c.query as { version?: never; label?: string } & Record<
      string,
      string
    >;
    const answer = await readPromptLayerTemplate(plDeps(c), c.params.identifier!, { version, label });
    return include_llm_kwargs === "true" ? answer : { ...answer, llm_kwargs: null };
  }),
  langSmithPull: read(
    langsmith.langSmithPullCommit,
    (c) => {
      const { owner, repo, commit } = c.params as Record<string, string>;
      const deps = { ...plDeps(c), tenantHandle: c.project.slug };
      return pullCommit(deps, owner!, repo!, commit!, c.query.include_model === "true");
    },
    {
      // The same pull by the same kind of key: its environments decide what it may read.
      cacheKey: (c) =>
        JSON.stringify([
          "ls-pull",
          c.project.slug,
          c.environments,
          c.params.owner,
          c.params.repo,
          c.params.commit,
          c.query.include_model === "true",
        ]),
    },
  ),
  pezzoGet: read(
    pezzo.pezzoGetPromptDeployment,
    (c) => getPezzoPrompt({ db: c.db, cache: c.runtime.prompts }, pezzoCaller(c), c.query as never),
    { cached: (c) => peekPezzoPrompt(c.runtime.prompts, pezzoCaller(c), c.query as never) },
  ),
} satisfies Record<string, ReadDef>;

/** The strong ETag of an answer's bytes. */
export const etagOf = (body: string | Uint8Array) => `"${hash("sha1", body, "base64url").slice(0, 22)}"`;

/** Whether If-None-Match names `etag` (weakly compared, as for GET: RFC 9110 §13.1.2). */
export const etagMatches = (ifNoneMatch: string | null | undefined, etag: string) =>
  Boolean(ifNoneMatch) &&
  (ifNoneMatch!.trim() === "*" || ifNoneMatch!.split(",").some((t) => t.trim().replace(/^W\//, "") === etag));

/**
 * A read's 200 with its ETag, or a 304 when a GET's If-None-Match names it (a POST is never answered 304: its
 * condition is not a cache's, RFC 9110 §13.1.2). `headers` are what every answer of the path carries.
 */
export function withEtag(
  req: Pick<RuntimeRequest, "method" | "header">,
  body: string | Uint8Array<ArrayBuffer>,
  contentType: string,
  headers: Record<string, string>,
  etag = etagOf(body),
): RuntimeAnswer {
  if (req.method !== "POST" && etagMatches(req.header("if-none-match"), etag))
    return { status: 304, headers: { ...headers, etag }, body: null };
  return { status: 200, headers: sharedHeaders(contentType, headers), body, etag };
}

// A path's 200 headers but its ETag, frozen once per (headers, content type): Lectern's own server sends them in
// their prebuilt wire form, with the answer's own ETag beside them (RuntimeAnswer.etag).
const shared = new WeakMap<Record<string, string>, Map<string, Readonly<Record<string, string>>>>();

function sharedHeaders(contentType: string, headers: Record<string, string>) {
  let byType = shared.get(headers);
  if (!byType) shared.set(headers, (byType = new Map()));
  let h = byType.get(contentType);
  if (!h) byType.set(contentType, (h = Object.freeze({ "content-type": contentType, ...headers })));
  return h;
}

/** An error's answer as the route wrapper gives it (api.ts, errorResponse): the path picks the body's shape. */
export function readError(err: AppError, pathname: string, headers?: Record<string, string>): RuntimeAnswer {
  const retry = err.code === "rate_limited" ? err.details?.retryAfterSeconds : undefined;
  if (typeof retry === "number" && !headers) headers = { "retry-after": String(Math.ceil(retry)) };
  return {
    status: err.status,
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(errorBodyFor(pathname, err)),
  };
}

const READ_HEADERS = { "cache-control": "private, no-cache" };

/**
 * One JSON read, as the route wrapper (api.ts, `route`) runs a declared endpoint: authenticate, check the scope
 * and the action, parse the path, query and body, map every error to the one shape, and (in the test tiers)
 * check a success against the declared response schema. `params` are the path's, decoded once. A key in L1 is
 * found without an await, and a read with `cached` is answered from memory when it can be (as resolve is).
 */
export async function answerRead(def: ReadDef, req: RuntimeRequest, params: Record<string, string>) {
  const e = def.endpoint;
  try {
    const { db, auth } =
      authenticatedCached(req, e.permission, e.scope, e.keyHeader) ??
      (await authenticated(req, e.permission, e.scope, e.keyHeader));
    const { principal } = auth;
    assertSafeValue(params, "path");
    const parsedParams = parsePathParams(e, params) as Record<string, string>;
    const q = queryOf(e, req);
    const body = e.body ? await bodyOf(e, req) : undefined;
    const ctx: ReadCtx = {
      db,
      runtime: readyRuntime() ?? (await getRuntime()),
      project: { id: principal.projectId, slug: principal.projectSlug },
      environments: principal.environments ?? null,
      params: parsedParams,
      query: q,
      body,
      header: req.header,
    };
    const fast = def.cached?.(ctx);
    if (typeof fast === "string") {
      if (checking()) checked(e, req, JSON.parse(fast));
      return withEtag(req, fast, "application/json", READ_HEADERS);
    }
    if (fast)
      return keptAnswer(
        req,
        kept(fast, () => ({ body: JSON.stringify(checked(e, req, fast)) })),
      );
    if (def.cacheKey) {
      const key = def.cacheKey(ctx);
      const c =
        peekAnswer(ctx.runtime, ctx.project.id, key) ??
        (await cachedAnswer(ctx.runtime, ctx.project.id, key, async () =>
          JSON.stringify(checked(e, req, await def.answer(ctx))),
        ));
      return keptAnswer(
        req,
        kept(c, () => c),
      );
    }
    return withEtag(req, JSON.stringify(checked(e, req, await def.answer(ctx))), "application/json", READ_HEADERS);
  } catch (err) {
    return readError(toAppError(err, `${req.method} ${req.pathname}`), req.pathname);
  }
}

const checking = () => env().LECTERN_CHECK_RESPONSES;

type Kept = { body: string; etag: string; headers: Readonly<Record<string, string>> };
// An answer kept per cache entry (the same object each time) is written, hashed and given its 200's headers once,
// frozen: Lectern's own server then sends them in their prebuilt wire form (gateway/fast-path.ts), as resolve's.
const keptAnswers = new WeakMap<object, Kept>();

function kept(key: object, make: () => { body: string; etag?: string }): Kept {
  let k = keptAnswers.get(key);
  if (!k) {
    const { body, etag = etagOf(body) } = make();
    const headers = Object.freeze({ "content-type": "application/json", ...READ_HEADERS, etag });
    keptAnswers.set(key, (k = { body, etag, headers }));
  }
  return k;
}

/** A kept answer as withEtag answers it: its 200 with the frozen headers, or a GET's 304. */
function keptAnswer(req: RuntimeRequest, k: Kept): RuntimeAnswer {
  if (req.method !== "POST" && etagMatches(req.header("if-none-match"), k.etag))
    return withEtag(req, k.body, "application/json", READ_HEADERS, k.etag);
  return { status: 200, headers: k.headers, body: k.body };
}

/** The answer as it is when it matches the declared response schema (test tiers only); otherwise an internal error. */
function checked(e: Endpoint, req: RuntimeRequest, data: unknown): unknown {
  if (isOtherResponse(e.response) || !checking()) return data;
  const result = e.response.safeParse(data);
  if (result.success) return data;
  const ref = Math.random().toString(36).slice(2, 10);
  const issues = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
  log.error(`${req.method} ${e.path} answered what its response schema refuses (ref ${ref})`, {
    path: req.pathname,
    issues,
  });
  throw new AppError("internal", `Internal error (ref ${ref}): the answer broke its response schema.`, { ref });
}
