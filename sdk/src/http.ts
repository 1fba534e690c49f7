// One resolve request: URL, auth, timeout, ETag revalidation, and mapping every failure to a typed error.
import { errorFromResponse, LecternNetworkError } from "./errors";
import { looksSkill, type SkillResponse } from "./skill-answer";

export { looksSkill, type SkillResponse };
import type { ResolveResponse, Rollout } from "./types";

export interface Transport {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
  /** createClient({ offline: true }): every request fails at once, as if Lectern could not be reached. */
  offline?: boolean;
}

export interface ResolveKey {
  environment: string;
  name: string;
  version: number | undefined;
  /** A version label instead of a version (never both). */
  label?: string;
  subject: string | undefined;
}

/** Where the cache keeps a key: its version, its label (":" + label: never a number), or 0 for what the environment serves. */
export const pinOf = (key: { version?: number; label?: string }): number | string | undefined =>
  key.version ?? (key.label === undefined ? undefined : `:${key.label}`);

export type ResolveResult = { status: 200; body: ResolveResponse; etag: string | null } | { status: 304 };

type Unrefable = { unref?: () => void };

/** Timers must not keep a Node process alive; edge runtimes have no unref and need none. */
export function unref<T>(timer: T): T {
  (timer as Unrefable | undefined)?.unref?.();
  return timer;
}

/** The largest answer the client reads (a batch of every prompt included); a larger one is refused unread. */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * A response's body as text, never more than `limit` bytes: past it, the read stops and the answer is refused
 * (code "too_large"); a body cut short is a network error (so a fallback applies), and an abort is left for
 * withTimeout to name.
 */
export async function readBody(
  res: Response,
  signal: AbortSignal | undefined,
  what: string,
  limit = MAX_ANSWER_BYTES,
): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let size = 0;
  let out = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return out + decoder.decode();
      size += value.byteLength;
      if (size > limit)
        throw new LecternNetworkError(`${what}: the answer is larger than ${limit} bytes; it was not read.`, {
          code: "too_large",
          status: res.status,
        });
      out += decoder.decode(value, { stream: true });
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    if (e instanceof LecternNetworkError || signal?.aborted) throw e;
    throw new LecternNetworkError(`${what}: the answer was cut short (${e instanceof Error ? e.message : String(e)})`, {
      code: "network_error",
      status: res.status,
      cause: e,
    });
  }
}

export function normaliseBaseUrl(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, "");
}

export function resolveUrl(baseUrl: string, key: ResolveKey): string {
  const q = new URLSearchParams({ name: key.name, environment: key.environment });
  if (key.version !== undefined) q.set("version", String(key.version));
  if (key.label !== undefined) q.set("label", key.label);
  if (key.subject !== undefined) q.set("subject", key.subject);
  // Without a subject, ask for a running experiment's variants: one answer then serves every subject.
  else if (pinOf(key) === undefined) q.set("include", "experiment");
  return `${baseUrl}/api/v1/prompts/resolve?${q.toString()}`;
}

export function looksResolved(body: unknown): body is ResolveResponse {
  const b = body as Partial<ResolveResponse> | null;
  return (
    typeof b === "object" &&
    b !== null &&
    typeof b.name === "string" &&
    typeof b.version === "number" &&
    (b.type === "text" ? typeof b.template === "string" : b.type === "chat" && Array.isArray(b.template)) &&
    Array.isArray(b.variables)
  );
}

/** Runs `fn` with a signal that aborts after `ms`; tells a timeout apart from other failures. */
export async function withTimeout<T>(ms: number, what: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = unref(
    setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms),
  );
  try {
    return await fn(controller.signal);
  } catch (e) {
    if (timedOut) throw new LecternNetworkError(`${what} timed out after ${ms} ms`, { code: "timeout", cause: e });
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET `url` for JSON within the timeout: an error status throws the error its answer names; otherwise `accept`
 * gets the parsed answer (undefined when it is not JSON) and the status, and says what it is.
 */
export async function getJson<T>(
  t: Transport,
  url: string,
  what: string,
  accept: (body: unknown, status: number) => T,
): Promise<T> {
  return withTimeout(t.timeoutMs, what, async (signal) => {
    const res = await send(t, url, {
      headers: { authorization: `Bearer ${t.apiKey}`, accept: "application/json" },
      signal,
    });
    const text = await readBody(res, signal, what);
    if (!res.ok) throw errorFromResponse(res.status, text);
    const body = jsonOrUndefined(text);
    return accept(body, res.status);
  });
}

/**
 * fetch, with a failure to get any answer (not an abort: withTimeout names that) as a LecternNetworkError. A
 * redirect is not followed: the key is for baseUrl's origin alone (point baseUrl at where Lectern answers).
 */
export async function send(t: Transport, url: string, init: RequestInit & { signal: AbortSignal }): Promise<Response> {
  if (t.offline)
    throw new LecternNetworkError("Lectern is not configured (the client is offline): no request was made", {
      code: "offline",
    });
  try {
    return await t.fetch(url, { ...init, redirect: "error" });
  } catch (e) {
    if (init.signal.aborted) throw e;
    throw new LecternNetworkError(
      `Cannot reach Lectern at ${t.baseUrl}: ${e instanceof Error ? e.message : String(e)}`,
      { code: "network_error", cause: e },
    );
  }
}

export type BatchResult = {
  prompts: (ResolveResponse & { etag: string | null })[];
  errors: { name: string; error: { code: string; message: string } }[];
  truncated?: boolean;
};

/** One batch resolve (POST with `names`, or `all`), asking for running experiments' variants. */
export async function fetchBatch(
  t: Transport,
  environment: string,
  names: readonly string[] | undefined,
): Promise<BatchResult> {
  const body = JSON.stringify({
    ...(names ? { names } : { all: true }),
    environment,
    include: "experiment",
  });
  return withTimeout(t.timeoutMs, "Prefetching prompts", async (signal) => {
    const res = await send(t, `${t.baseUrl}/api/v1/prompts/resolve`, {
      method: "POST",
      headers: { authorization: `Bearer ${t.apiKey}`, accept: "application/json", "content-type": "application/json" },
      body,
      signal,
    });
    const text = await readBody(res, signal, "Prefetching prompts");
    if (!res.ok) throw errorFromResponse(res.status, text);
    let parsed: Partial<BatchResult> | undefined;
    try {
      parsed = JSON.parse(text) as Partial<BatchResult>;
    } catch {
      parsed = undefined;
    }
    if (
      !parsed ||
      !Array.isArray(parsed.prompts) ||
      !Array.isArray(parsed.errors) ||
      !parsed.prompts.every((p) => looksResolved(p) || looksSkill(p))
    )
      throw new LecternNetworkError(
        `${t.baseUrl} answered ${res.status} with something that is not a batch of Lectern prompts (is baseUrl right?)`,
        { code: "invalid_response", status: res.status },
      );
    // A skill named in the batch is read with getSkill: an error entry here, not a prompt to cache.
    const skills = parsed.prompts.filter(looksSkill);
    return {
      ...parsed,
      prompts: parsed.prompts.filter((p) => !looksSkill(p)),
      errors: [
        ...parsed.errors,
        ...skills.map((s) => ({
          name: s.name,
          error: { code: "invalid_input", message: `${s.name} is a skill: getSkill(name) reads its files` },
        })),
      ],
    } as BatchResult;
  });
}

export async function fetchResolved(t: Transport, key: ResolveKey, etag?: string | null): Promise<ResolveResult> {
  const url = resolveUrl(t.baseUrl, key);
  const headers: Record<string, string> = { authorization: `Bearer ${t.apiKey}`, accept: "application/json" };
  if (etag) headers["if-none-match"] = etag;
  return withTimeout(t.timeoutMs, `Resolving ${key.name}`, async (signal) => {
    const res = await send(t, url, { headers, signal });
    if (res.status === 304) {
      await res.body?.cancel();
      return { status: 304 as const };
    }
    const text = await readBody(res, signal, `Resolving ${key.name}`);
    if (!res.ok) throw errorFromResponse(res.status, text);
    const body = jsonOrUndefined(text);
    if (!looksResolved(body))
      throw new LecternNetworkError(
        `${t.baseUrl} answered ${res.status} with something that is not a Lectern prompt (is baseUrl right?)`,
        { code: "invalid_response", status: res.status },
      );
    return { status: 200 as const, body, etag: res.headers.get("etag") };
  });
}

export type BundleResult = {
  bundle: string;
  environment: string;
  release: { id: number; at: string; action: string; versions: Record<string, number>; current: boolean } | null;
  /** The subject's side of the bundle's guarded rollout while it ramps; null or absent (older servers) otherwise. */
  rollout?: Rollout | null;
  subject?: string | null;
  prompts: Record<string, ResolveResponse | SkillResponse>;
};

/**
 * GET /api/v1/bundles/{name}/resolve: every member at one consistent state of the release log; with a subject,
 * its side of the bundle's guarded rollout (the server records the exposure).
 */
export async function fetchBundle(
  t: Transport,
  name: string,
  environment: string,
  subject?: string,
): Promise<BundleResult> {
  const q = new URLSearchParams({ environment });
  if (subject !== undefined) q.set("subject", subject);
  const url = `${t.baseUrl}/api/v1/bundles/${encodeURIComponent(name)}/resolve?${q.toString()}`;
  return getJson(t, url, `Resolving bundle ${name}`, (body, status) => {
    const parsed = body as Partial<BundleResult> | undefined;
    if (
      !parsed ||
      typeof parsed.prompts !== "object" ||
      parsed.prompts === null ||
      !Object.values(parsed.prompts).every((p) => looksResolved(p) || looksSkill(p))
    )
      throw new LecternNetworkError(
        `${t.baseUrl} answered ${status} with something that is not a Lectern bundle (is baseUrl right?)`,
        { code: "invalid_response", status },
      );
    return parsed as BundleResult;
  });
}

/** The text parsed as JSON; undefined when it is not JSON. */
function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
