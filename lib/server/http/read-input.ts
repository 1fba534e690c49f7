// A declared read's query and body (read-paths.ts, answerRead), as resolve reads its query strings and small bodies
// (runtime-http.ts): the text a client sends over and over maps to its parsed, validated form — per endpoint,
// bounded, frozen: the same object serves every request that sent those bytes. Only what was accepted is kept; a
// refusal is parsed (and refused) again each time, in the same words.
import "server-only";
import { LRUCache } from "lru-cache";
import { assertSafeQuery } from "@/lib/input-safety";
import type { Endpoint } from "./endpoint";
import { query, type RuntimeRequest } from "./runtime-request";
import { assertDeclaredLength, MAX_BODY_BYTES, parseJsonBody, parseWith } from "./request-input";

const REMEMBERED_BYTES = 1024;
const parsedInputs = new WeakMap<Endpoint, { query: LRUCache<string, object>; body: LRUCache<string, object> }>();

function remembered(e: Endpoint, kind: "query" | "body", text: string | undefined, parse: () => unknown): unknown {
  let memo = parsedInputs.get(e);
  if (!memo)
    parsedInputs.set(e, (memo = { query: new LRUCache({ max: 10_000 }), body: new LRUCache({ max: 10_000 }) }));
  const hit = text === undefined ? undefined : memo[kind].get(text);
  if (hit) return (hit as { value: unknown }).value;
  const value = parse();
  if (text !== undefined) memo[kind].set(text, { value: Object.freeze(value) });
  return value;
}

/** The body parsed by the endpoint's declaration (an empty body is `{}`, as jsonBody reads it). */
export async function bodyOf(e: Endpoint, req: RuntimeRequest): Promise<unknown> {
  const limit = e.maxBodyBytes ?? MAX_BODY_BYTES;
  assertDeclaredLength(req.header("content-length"), limit);
  const bytes = await req.readBody(limit);
  const text = !bytes
    ? ""
    : bytes.byteLength <= REMEMBERED_BYTES
      ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8")
      : undefined;
  return remembered(e, "body", text, () => {
    const raw = parseJsonBody(bytes) ?? {};
    return typeof e.body === "function" ? e.body(raw) : parseWith(e.body!, raw, "body");
  });
}

/** The query parsed by the endpoint's declaration; without one, only checked for NUL characters. */
export function queryOf(e: Endpoint, req: RuntimeRequest): Record<string, string | undefined> {
  if (!e.query) {
    if (req.search) assertSafeQuery(new URLSearchParams(req.search)); // an empty query has nothing to refuse
    return {};
  }
  const text = req.search.length <= REMEMBERED_BYTES ? req.search : undefined;
  return remembered(e, "query", text, () => query(req, e.query!)) as Record<string, string | undefined>;
}
