// Deterministic JSON scorers: json_valid, json_schema, required_fields. With `extract`, the JSON may
// be wrapped in a markdown code fence or surrounded by prose, as chat models often answer.
import { compileJsonSchema, formatSchemaErrors } from "../llm/json-schema";
import type { SpecOf } from "./spec";
import { errorResult, type ScoreResult, type ScoringContext } from "./types";

export type JsonParse = { ok: true; value: unknown } | { ok: false; error: string };

function tryParse(text: string): JsonParse {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

/**
 * Parses a model output as JSON. With `extract`, falls back to the body of a ```json fence, then to
 * the span from the first '{' or '[' to the last '}' or ']'.
 */
export function parseJsonOutput(output: string, extract: boolean): JsonParse {
  const direct = tryParse(output.trim());
  if (direct.ok || !extract) return direct;
  const fence = /```(?:json|JSON)?\s*\n?([\s\S]*?)```/.exec(output);
  if (fence) {
    const fenced = tryParse(fence[1]!.trim());
    if (fenced.ok) return fenced;
  }
  const start = output.search(/[[{]/);
  const end = Math.max(output.lastIndexOf("}"), output.lastIndexOf("]"));
  if (start >= 0 && end > start) {
    const span = tryParse(output.slice(start, end + 1));
    if (span.ok) return span;
  }
  return direct;
}

const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

export function scoreJsonValid(spec: SpecOf<"json_valid">, ctx: ScoringContext): ScoreResult {
  const parsed = parseJsonOutput(ctx.output, spec.extract);
  return parsed.ok
    ? { score: 1, reason: `output is valid JSON (${kindOf(parsed.value)})` }
    : { score: 0, reason: `output is not valid JSON: ${parsed.error}` };
}

export function scoreJsonSchema(spec: SpecOf<"json_schema">, ctx: ScoringContext): ScoreResult {
  const compiled = compileJsonSchema(spec.schema);
  // The spec schema already rejects invalid schemas; this guards specs built without parsing.
  if (!compiled.ok) return errorResult(`schema is not a valid JSON Schema: ${compiled.error}`);
  const parsed = parseJsonOutput(ctx.output, spec.extract);
  if (!parsed.ok) return { score: 0, reason: `output is not valid JSON: ${parsed.error}` };
  if (compiled.validate(parsed.value)) return { score: 1, reason: "output matches the schema" };
  return {
    score: 0,
    reason: `output does not match the schema: ${formatSchemaErrors(compiled.validate.errors).join("; ")}`,
  };
}

/** The value at a dotted path ("items.0.id"); numeric segments index arrays. Undefined when absent. */
export function valueAtPath(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const key of path.split(".")) {
    if (Array.isArray(cur) && /^\d+$/.test(key)) cur = cur[Number(key)];
    else if (typeof cur === "object" && cur !== null && !Array.isArray(cur) && Object.hasOwn(cur, key))
      cur = (cur as Record<string, unknown>)[key];
    else return undefined;
  }
  return cur;
}

/** Score = share of the paths present with a non-null value; passes (by default) only when all are. */
export function scoreRequiredFields(spec: SpecOf<"required_fields">, ctx: ScoringContext): ScoreResult {
  const parsed = parseJsonOutput(ctx.output, spec.extract);
  if (!parsed.ok) return { score: 0, reason: `output is not valid JSON: ${parsed.error}` };
  const missing = spec.fields.filter((f) => {
    const v = valueAtPath(parsed.value, f);
    return v === undefined || v === null;
  });
  const present = spec.fields.length - missing.length;
  if (missing.length === 0)
    return {
      score: 1,
      reason: `all ${spec.fields.length} required field${spec.fields.length === 1 ? " is" : "s are"} present`,
    };
  return {
    score: present / spec.fields.length,
    reason: `missing ${missing.join(", ")} (${present} of ${spec.fields.length} present)`,
  };
}
