// JSON Schema compilation shared by response formats (lib/llm) and the json_schema scorer. Ajv keeps
// every compiled schema in its own cache keyed by object identity, which grows without bound when
// specs are re-parsed per request; we cache by the schema's text in a bounded LRU instead.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2020 from "ajv/dist/2020";
import { LRUCache } from "lru-cache";
import { schemaRegExp } from "../user-regex";

// Schema patterns run on the linear-time engine: a schema is user input (scorers, response formats)
// and ^(\d+)+$ on a few dozen characters would stall the process on JavaScript's own.
const options = { allErrors: true, strict: false, logger: false, code: { regExp: schemaRegExp } } as const;
const draft07 = new Ajv(options);
const draft2020 = new Ajv2020(options);

export type CompiledSchema = { ok: true; validate: ValidateFunction } | { ok: false; error: string };

const cache = new LRUCache<string, CompiledSchema>({ max: 500 });
// In front of the text cache: a parsed spec scores thousands of samples with the same schema object,
// and serialising it for every sample would cost more than validating.
const byObject = new WeakMap<object, CompiledSchema>();

/**
 * Compiles a JSON Schema (draft-07 by default; draft 2020-12 when its `$schema` says so). Never throws:
 * an invalid schema comes back as `{ ok: false, error }` with Ajv's explanation.
 */
export function compileJsonSchema(schema: unknown): CompiledSchema {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return { ok: false, error: "a JSON Schema must be an object" };
  }
  const known = byObject.get(schema);
  if (known) return known;
  let key: string;
  try {
    key = JSON.stringify(schema);
  } catch {
    return { ok: false, error: "a JSON Schema must be plain JSON" };
  }
  const hit = cache.get(key);
  if (hit) {
    byObject.set(schema, hit);
    return hit;
  }
  const $schema = (schema as { $schema?: unknown }).$schema;
  const ajv = typeof $schema === "string" && $schema.includes("2020-12") ? draft2020 : draft07;
  let compiled: CompiledSchema;
  try {
    compiled = { ok: true, validate: ajv.compile(schema) };
  } catch (e) {
    compiled = { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    // Forget it inside Ajv (our LRU keeps the function); also frees its $id for the next compile.
    ajv.removeSchema(schema as object);
  }
  cache.set(key, compiled);
  byObject.set(schema, compiled);
  return compiled;
}

/** Ajv errors as short readable lines: "/customer/email must be string". */
export function formatSchemaErrors(errors: ErrorObject[] | null | undefined, limit = 10): string[] {
  const lines = (errors ?? []).map((e) => {
    const at = e.instancePath || "(root)";
    const extra =
      e.keyword === "additionalProperties"
        ? `: ${String((e.params as { additionalProperty?: unknown }).additionalProperty)}`
        : "";
    const allowed =
      e.keyword === "enum" ? `: ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}` : "";
    return `${at} ${e.message ?? "is invalid"}${extra}${allowed}`;
  });
  return lines.length > limit ? [...lines.slice(0, limit), `…and ${lines.length - limit} more`] : lines;
}
