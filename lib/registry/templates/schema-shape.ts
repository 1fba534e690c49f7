// The shape of a variable's JSON Schema, without compiling it: an object within bounds (size, depth) holding
// only the keywords Lectern checks (no $ref: nothing remote, nothing recursive). Pure and free of Ajv, so the
// content schema (and with it the editor, in the browser, whose CSP forbids the code Ajv generates) can
// check it; variable-schema.ts compiles the schema on the server. Also the words the editor shows for it.
import { isPlainObject } from "../json";

export const maxSchemaChars = 20_000;
export const maxSchemaDepth = 10;
/** Schema positions (the schema, each field's, items', alternative's): Ajv's compile costs about a millisecond each. */
export const maxSchemaNodes = 100;

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

class SchemaProblem extends Error {}

type Visit = (key: string, where: string) => boolean;

/** Walks every schema position; `visit` says whether a keyword stays (false: drop it). */
function walk(schema: unknown, where: string, depth: number, visit: Visit, seen = { n: 0 }): unknown {
  if (typeof schema === "boolean") return schema;
  if (++seen.n > maxSchemaNodes)
    throw new SchemaProblem(`schema has more than ${maxSchemaNodes} subschemas (fields, items, alternatives)`);
  if (!isPlainObject(schema)) throw new SchemaProblem(`${where || "schema"} must be an object`);
  if (depth > maxSchemaDepth) throw new SchemaProblem(`schema nests deeper than ${maxSchemaDepth} levels`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!visit(key, where)) continue;
    const at = where ? `${where}.${key}` : key;
    if (key === "properties") {
      if (!isPlainObject(value)) throw new SchemaProblem(`${at} must be an object of schemas`);
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, s]) => [name, walk(s, `${at}.${name}`, depth + 1, visit, seen)]),
      );
    } else if (oneSchema.includes(key)) out[key] = walk(value, at, depth + 1, visit, seen);
    else if (listOfSchemas.includes(key)) {
      if (!Array.isArray(value) || value.length === 0) throw new SchemaProblem(`${at} must be a list of schemas`);
      out[key] = value.map((s, i) => walk(s, `${at}[${i}]`, depth + 1, visit, seen));
    } else out[key] = value;
  }
  return out;
}

/** What is wrong with a schema's shape (null: nothing): an object, within the bounds, only the listed keywords. */
export function schemaShapeProblem(schema: unknown): string | null {
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
  return null;
}

/** The schema without the keywords Lectern does not keep, which were left out (for import warnings), or why none is. */
export function keptSchema(schema: unknown): {
  schema: Record<string, unknown> | null;
  dropped: string[];
  problem?: string;
} {
  const dropped = new Set<string>();
  try {
    const out = walk(schema, "", 0, (key) => schemaKeywords.has(key) || (dropped.add(key), false));
    return { schema: isPlainObject(out) ? out : null, dropped: [...dropped] };
  } catch (e) {
    if (!(e instanceof SchemaProblem)) throw e;
    return { schema: null, dropped: [...dropped], problem: e.message };
  }
}

const typeWord = (s: Record<string, unknown>): string | undefined => {
  const t = Array.isArray(s.type) ? s.type.filter((x) => x !== "null") : [s.type];
  return t.length === 1 && typeof t[0] === "string" ? t[0] : undefined;
};

/** A schema in a few words for the editor: "array of objects (id, total, note?)", "one of free, pro". */
export function schemaSummary(schema: unknown, depth = 0): string {
  if (!isPlainObject(schema)) return "any value";
  if (Array.isArray(schema.enum))
    return `one of ${schema.enum
      .filter((e) => e !== null)
      .map((e) => (typeof e === "string" ? e : JSON.stringify(e)))
      .join(", ")}`;
  const type = typeWord(schema);
  if (type === "array") {
    const items = isPlainObject(schema.items) ? schemaSummary(schema.items, depth + 1) : "any value";
    return `array of ${items.replace(/^(object|string|number|integer|boolean|array)\b/, "$1s")}`;
  }
  if (type === "object" && isPlainObject(schema.properties) && depth < 2) {
    const required = Array.isArray(schema.required) ? schema.required : [];
    const fields = Object.keys(schema.properties).map((k) => (required.includes(k) ? k : `${k}?`));
    return fields.length ? `object (${fields.join(", ")})` : "object";
  }
  return type ?? (Array.isArray(schema.anyOf) || Array.isArray(schema.oneOf) ? "one of several shapes" : "any value");
}

/** What is wrong with a declared variable's schema as the content schema sees it (the shape; Ajv runs on save). */
export function variableSchemaIssue(v: { name: string; type: string; schema?: unknown }) {
  if (v.schema === undefined) return null;
  if (v.type === "image") return { path: ["schema"], message: `variable ${v.name}: an image variable has no schema` };
  const problem = schemaShapeProblem(v.schema);
  return problem ? { path: ["schema"], message: `variable ${v.name}: ${problem}` } : null;
}
