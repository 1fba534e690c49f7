// A variable's JSON Schema: the shape a list or object variable's value must have (Dotprompt's Picoschema
// arrays, objects, enums and optional fields, or JSON Schema as written), checked when a version is saved
// and when a value arrives at resolve. A schema is user input, so it is bounded (size, depth, a fixed set
// of keywords: no $ref, so nothing remote and nothing recursive) and its `pattern`s run on the linear-time
// engine (lib/user-regex.ts). Not zod-free-bundled: the SDK checks types only (ajv compiles with
// `new Function`, which edge runtimes refuse); the server passes `schemaValueProblem` to renderContent.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { LRUCache } from "lru-cache";
import { schemaRegExp } from "../user-regex";
import { isPlainObject } from "./json";

export const maxSchemaChars = 20_000;
export const maxSchemaDepth = 10;

/** Keywords a variable's schema may hold; anything else is refused on save and left out (with a warning) on import. */
export const schemaKeywords = new Set([
  "type",
  "description",
  "title",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "enum",
  "const",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minProperties",
  "maxProperties",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
  "default",
  "examples",
]);

/** Keywords whose value is a schema, a list of schemas, or a map of name → schema. */
const oneSchema = ["additionalProperties", "items", "not"];
const listOfSchemas = ["anyOf", "oneOf", "allOf"];

type Visit = (key: string, where: string) => boolean;

/** Walks every schema position; `visit` says whether a keyword stays (false: drop it). */
function walk(schema: unknown, where: string, depth: number, visit: Visit): unknown {
  if (typeof schema === "boolean") return schema;
  if (!isPlainObject(schema)) throw new SchemaProblem(`${where || "schema"} must be an object`);
  if (depth > maxSchemaDepth) throw new SchemaProblem(`schema nests deeper than ${maxSchemaDepth} levels`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!visit(key, where)) continue;
    const at = where ? `${where}.${key}` : key;
    if (key === "properties") {
      if (!isPlainObject(value)) throw new SchemaProblem(`${at} must be an object of schemas`);
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, s]) => [name, walk(s, `${at}.${name}`, depth + 1, visit)]),
      );
    } else if (oneSchema.includes(key)) out[key] = walk(value, at, depth + 1, visit);
    else if (listOfSchemas.includes(key)) {
      if (!Array.isArray(value) || value.length === 0) throw new SchemaProblem(`${at} must be a list of schemas`);
      out[key] = value.map((s, i) => walk(s, `${at}[${i}]`, depth + 1, visit));
    } else out[key] = value;
  }
  return out;
}

class SchemaProblem extends Error {}

const ajv = new Ajv({ allErrors: false, strict: false, logger: false, code: { regExp: schemaRegExp } });
const cache = new LRUCache<string, { ok: true; validate: ValidateFunction } | { ok: false; error: string }>({
  max: 500,
});

function compiled(schema: Record<string, unknown>) {
  const key = JSON.stringify(schema);
  const hit = cache.get(key);
  if (hit) return hit;
  let result: { ok: true; validate: ValidateFunction } | { ok: false; error: string };
  try {
    result = { ok: true, validate: ajv.compile(schema) };
  } catch (e) {
    result = { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    ajv.removeSchema(schema);
  }
  cache.set(key, result);
  return result;
}

/** What is wrong with a variable's schema (null: nothing): bounds, keywords, then Ajv's own compile. */
export function variableSchemaProblem(schema: unknown): string | null {
  if (!isPlainObject(schema)) return "schema must be a JSON Schema object";
  let text: string;
  try {
    text = JSON.stringify(schema);
  } catch {
    return "schema must be plain JSON";
  }
  if (text.length > maxSchemaChars) return `schema must be at most ${maxSchemaChars} characters of JSON`;
  try {
    walk(schema, "", 0, (key, where) => {
      if (!schemaKeywords.has(key))
        throw new SchemaProblem(
          `schema${where ? ` at ${where}` : ""}: keyword ${key} is not supported (${key === "$ref" ? "no references" : `use ${[...schemaKeywords].slice(0, 8).join(", ")}…`})`,
        );
      return true;
    });
  } catch (e) {
    if (e instanceof SchemaProblem) return e.message;
    throw e;
  }
  const c = compiled(schema);
  return c.ok ? null : `schema is not valid JSON Schema: ${c.error}`;
}

/** The schema without the keywords Lectern does not keep, and which were left out (for import warnings). */
export function keptSchema(schema: unknown): { schema: Record<string, unknown> | null; dropped: string[] } {
  const dropped = new Set<string>();
  try {
    const out = walk(schema, "", 0, (key) => schemaKeywords.has(key) || (dropped.add(key), false));
    return { schema: isPlainObject(out) ? out : null, dropped: [...dropped] };
  } catch {
    return { schema: null, dropped: [...dropped] };
  }
}

/** `/items/0/name` as `items[0].name`, under the variable's name. */
function pathOf(name: string, e: ErrorObject): string {
  const segments = e.instancePath.split("/").slice(1);
  const missing = e.keyword === "required" ? (e.params as { missingProperty?: string }).missingProperty : undefined;
  if (missing !== undefined) segments.push(missing);
  return segments.reduce(
    (p, s) => (/^\d+$/.test(s) ? `${p}[${s}]` : `${p}.${s.replace(/~1/g, "/").replace(/~0/g, "~")}`),
    name,
  );
}

function messageOf(e: ErrorObject): string {
  if (e.keyword === "required") return "is required";
  if (e.keyword === "additionalProperties")
    return `has ${String((e.params as { additionalProperty?: unknown }).additionalProperty)}, which the schema does not allow`;
  if (e.keyword === "enum")
    return `must be one of ${JSON.stringify((e.params as { allowedValues?: unknown }).allowedValues)}`;
  return e.message ?? "does not match the schema";
}

export interface SchemaValueProblem {
  /** Where the value fails: the variable's name, then `.field` and `[index]` steps. */
  path: string;
  message: string;
}

/** Whether a value fits a variable's schema; the first place it does not, named (null: it fits). */
export function schemaValueProblem(name: string, schema: unknown, value: unknown): SchemaValueProblem | null {
  if (!isPlainObject(schema)) return null;
  const c = compiled(schema);
  if (!c.ok) return { path: name, message: `cannot be checked: its schema is invalid (${c.error})` };
  if (c.validate(value)) return null;
  const e = c.validate.errors?.[0];
  return e ? { path: pathOf(name, e), message: messageOf(e) } : { path: name, message: "does not match the schema" };
}

/** What is wrong with a declared variable's schema, or its default against it, for the content schema's refine. */
export function variableSchemaIssue(v: {
  name: string;
  type: string;
  schema?: unknown;
  default?: unknown;
}): { path: string[]; message: string } | null {
  if (v.schema === undefined) return null;
  if (v.type === "image") return { path: ["schema"], message: `variable ${v.name}: an image variable has no schema` };
  const problem = variableSchemaProblem(v.schema);
  if (problem) return { path: ["schema"], message: `variable ${v.name}: ${problem}` };
  const off = v.default !== undefined ? schemaValueProblem(v.name, v.schema, v.default) : null;
  return off
    ? {
        path: ["default"],
        message: `default of variable ${v.name} does not fit its schema: ${off.path} ${off.message}`,
      }
    : null;
}
