// A variable's JSON Schema: the shape a list or object variable's value must have (Dotprompt's Picoschema
// arrays, objects, enums and optional fields, or JSON Schema as written), checked when a version is saved
// and when a value arrives at resolve. A schema is user input, so it is bounded (size, depth, a fixed set
// of keywords: no $ref, so nothing remote and nothing recursive) and its `pattern`s run on the linear-time
// engine (lib/user-regex.ts). Not zod-free-bundled: the SDK checks types only (ajv compiles with
// `new Function`, which edge runtimes refuse); the server passes `schemaValueProblem` to renderContent.
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { LRUCache } from "lru-cache";
import { schemaRegExp } from "../../user-regex";
import { AppError } from "../../errors";
import type { Variable } from "../content";
import { isPlainObject } from "../json";
import { schemaShapeProblem } from "./schema-shape";

export { keptSchema, maxSchemaChars, maxSchemaDepth, schemaKeywords, schemaShapeProblem } from "./schema-shape";

const ajv = new Ajv({ allErrors: false, strict: false, logger: false, code: { regExp: schemaRegExp } });
const cache = new LRUCache<string, { ok: true; validate: ValidateFunction } | { ok: false; error: string }>({
  max: 500,
});

type Compiled = { ok: true; validate: ValidateFunction } | { ok: false; error: string };
// In front of the text cache: a served version's schema is one object across requests (the resolve cache
// keeps it), so the hot path neither serialises nor compiles it again.
const byObject = new WeakMap<object, Compiled>();

function compiled(schema: Record<string, unknown>): Compiled {
  const known = byObject.get(schema);
  if (known) return known;
  const key = JSON.stringify(schema);
  let result = cache.get(key);
  if (!result) {
    try {
      result = { ok: true, validate: ajv.compile(schema) };
    } catch (e) {
      result = { ok: false, error: e instanceof Error ? e.message : String(e) };
    } finally {
      ajv.removeSchema(schema);
    }
    cache.set(key, result);
  }
  byObject.set(schema, result);
  return result;
}

/** What is wrong with a variable's schema (null: nothing): its shape (schema-shape.ts), then Ajv's own compile. */
export function variableSchemaProblem(schema: unknown): string | null {
  const problem = schemaShapeProblem(schema);
  if (problem) return problem;
  const c = compiled(schema as Record<string, unknown>);
  return c.ok ? null : `schema is not valid JSON Schema: ${c.error}`;
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

/**
 * Refuses (invalid_input, naming the field) a variable whose schema Ajv does not compile or whose default
 * does not fit it. The content schema checked the shape (schema-shape.ts, also in the browser); this half
 * runs where every version is written (../version-rows.ts insertVersions).
 */
export function checkVariableSchemas(variables: readonly Variable[]): void {
  const issues: { path: string; message: string }[] = [];
  variables.forEach((v, i) => {
    if (v.schema === undefined) return;
    const problem = variableSchemaProblem(v.schema);
    const off = !problem && v.default !== undefined ? schemaValueProblem(v.name, v.schema, v.default) : null;
    if (problem) issues.push({ path: `variables.${i}.schema`, message: `variable ${v.name}: ${problem}` });
    else if (off)
      issues.push({
        path: `variables.${i}.default`,
        message: `default of variable ${v.name} does not fit its schema: ${off.path} ${off.message}`,
      });
  });
  if (issues.length)
    throw new AppError("invalid_input", issues.map((i) => i.message).join("; "), { field: issues[0]!.path, issues });
}
