// Black-box HTTP helpers for the api tier: the server is started by scripts/with-server.sh.
import { expect } from "vitest";
import type { z } from "zod";
export const baseUrl = process.env.LECTERN_TEST_BASE_URL ?? "";
export const adminKey = process.env.LECTERN_TEST_ADMIN_KEY ?? "";

if (!baseUrl)
  throw new Error("LECTERN_TEST_BASE_URL is not set: run the api tier through scripts/with-server.sh (npm test does).");

export type Res<T = any> = { status: number; body: T; headers: Headers };

export async function call<T = any>(
  method: string,
  path: string,
  opts: { key?: string | null; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  const key = opts.key === undefined ? adminKey : opts.key;
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined = opts.raw;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers["content-type"] = "application/json";
  }
  const res = await fetch(baseUrl + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** A POST (as the admin) that must answer 201 Created; the answer's body. */
export async function created<T = any>(path: string, body: unknown): Promise<T> {
  const r = await call<T>("POST", path, { body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/**
 * Asserts an error's shape and returns its code: Lectern's one shape, or on the compatibility routes the other
 * system's (Langfuse's `{message, error: <its error name>, code}`, LangSmith's `{detail, message, code}`, …: lib/errors.ts).
 */
export function errorCode(res: Res): string {
  // Langfuse's body on /api/public: `error` is its error name, or zod's issues for "Invalid request data";
  // PromptLayer's and Pezzo's carry `error` as a string too; LangSmith's is FastAPI's `{detail}` beside the code.
  const flat =
    typeof res.body?.error === "string" || Array.isArray(res.body?.error) || typeof res.body?.detail === "string";
  const e = flat ? res.body : res.body?.error;
  if (!e || typeof e.code !== "string" || typeof e.message !== "string")
    throw new Error(`not an error body: ${JSON.stringify(res.body)}`);
  if (/\bat .*\.(js|ts):\d+|select |insert into|syntax error at/i.test(JSON.stringify(res.body)))
    throw new Error(`error leaks internals: ${JSON.stringify(res.body)}`);
  return e.code;
}

/**
 * Checks an answer against the response contract its route promises (lib/stats/contracts.ts), naming
 * every field that breaks it; returns the body, typed by the contract, for further assertions.
 */
export function expectContract<S extends z.ZodType>(schema: S, res: Res): z.output<S> {
  const r = schema.safeParse(res.body);
  if (!r.success)
    throw new Error(
      `answer breaks its contract (status ${res.status}): ${r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
    );
  return r.data;
}
