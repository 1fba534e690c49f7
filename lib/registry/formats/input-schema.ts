// Declared variables as a Dotprompt input schema, and back. Written as Picoschema (`name?: string, what it
// is`); read with the library's own Picoschema parser, so a file means to Lectern what it means to Genkit.
// JSON Schema types map onto the kinds the two engines treat differently (ir.ts ValueKind), and those
// onto Lectern's variable types.
import { picoschema } from "dotprompt";
import { isPlainObject } from "../json";
import type { Variable } from "../content";
import { keptSchema, variableSchemaProblem } from "../templates/variable-schema";
import { refuse, type ValueKind } from "./ir";
import { picoEntry } from "./picoschema-write";

export const kindOfVariable = (v: Pick<Variable, "type">): ValueKind => (v.type === "json" ? "any" : v.type);

export const variableTypeOf = (kind: ValueKind): Variable["type"] =>
  kind === "list" || kind === "object" || kind === "any" ? "json" : kind;

const picoType: Record<Variable["type"], string> = {
  string: "string",
  number: "number",
  boolean: "boolean",
  json: "any",
  image: "string",
};

/**
 * Variables as Picoschema when it can say every one exactly (picoschema-write.ts), else as JSON Schema (a
 * description that spans lines, a schema Picoschema has no words for).
 */
export function inputOf(variables: Variable[]): { schema?: unknown; default?: Record<string, unknown> } {
  if (variables.length === 0) return {};
  const defaults = Object.fromEntries(variables.filter((v) => v.default !== undefined).map((v) => [v.name, v.default]));
  const withDefaults = (schema: unknown) => ({
    schema,
    ...(Object.keys(defaults).length ? { default: defaults } : {}),
  });
  const described = (v: Variable, schema: Record<string, unknown>) => ({
    ...schema,
    ...(v.description ? { description: v.description } : {}),
  });
  const multiline = variables.some((v) => v.description?.includes("\n"));
  const pico = multiline
    ? null
    : variables.map((v) =>
        v.schema
          ? picoEntry(v.name, !v.required, described(v, v.schema))
          : {
              key: `${v.name}${v.required ? "" : "?"}`,
              value: v.description ? `${picoType[v.type]}, ${v.description}` : picoType[v.type],
            },
      );
  if (pico && pico.every((e) => e !== null))
    return withDefaults(Object.fromEntries(pico.map((e) => [e!.key, e!.value])));
  return withDefaults({
    type: "object",
    properties: Object.fromEntries(
      variables.map((v) => [v.name, described(v, v.schema ?? (v.type === "json" ? {} : { type: picoType[v.type] }))]),
    ),
    ...(variables.some((v) => v.required) ? { required: variables.filter((v) => v.required).map((v) => v.name) } : {}),
  });
}

export interface DeclaredInput {
  name: string;
  kind: ValueKind;
  required: boolean;
  description?: string;
  /** The property's JSON Schema (without its description) when it says more than the variable's type. */
  schema?: Record<string, unknown>;
}

function kindOfSchema(schema: Record<string, unknown>): ValueKind {
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
    (t) => t !== "null" && t !== undefined,
  );
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((e) => e !== null);
    if (values.every((e) => typeof e === "string")) return "string";
    if (values.every((e) => typeof e === "number")) return "number";
    return "any";
  }
  if (types.length > 1) return "any";
  switch (types[0]) {
    case "string":
      return "string";
    case "integer":
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return "list";
    case "object":
      return "object";
    default:
      return "any";
  }
}

/** The part of a property's schema its variable keeps: none when the type says it all; a warning for what is lost. */
function schemaOf(name: string, prop: Record<string, unknown>, kind: ValueKind, warnings: string[]) {
  const { description: _description, ...rest } = prop;
  const { schema, dropped, problem: unread } = keptSchema(rest);
  if (dropped.length)
    warnings.push(
      `input ${name}: ${dropped.join(", ")} ${dropped.length > 1 ? "are" : "is"} not kept (Lectern checks the rest of its schema)`,
    );
  const type = variableTypeOf(kind);
  const plain = type === "json" ? {} : { type: picoType[type] };
  const sameAs = (a: unknown) => JSON.stringify(a) === JSON.stringify(schema);
  if (sameAs(plain) || (type !== "json" && sameAs({ type: [picoType[type], "null"] }))) return undefined;
  const problem = schema ? variableSchemaProblem(schema) : (unread ?? "not a JSON Schema object");
  if (problem) {
    warnings.push(`input ${name}: its schema is not kept, only its type ${type} (${problem})`);
    return undefined;
  }
  return schema ?? undefined;
}

/** input.schema (Picoschema or JSON Schema) as declared inputs, in the order written. */
export async function declaredInputs(schema: unknown, warnings: string[]): Promise<DeclaredInput[]> {
  let json: unknown;
  try {
    json = await picoschema(schema);
  } catch (e) {
    return refuse("input.schema", `input.schema: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isPlainObject(json) || !isPlainObject(json.properties))
    return refuse("input.schema", "input.schema must describe an object whose properties are the variables");
  if (isPlainObject(json.additionalProperties))
    refuse("input.schema", "input.schema: a wildcard (*) input cannot be declared as Lectern variables");
  const required = Array.isArray(json.required) ? (json.required as unknown[]) : [];
  return Object.entries(json.properties).map(([name, prop]) => {
    const p = isPlainObject(prop) ? prop : {};
    const schema = schemaOf(name, p, kindOfSchema(p), warnings);
    return {
      name,
      kind: kindOfSchema(p),
      required: required.includes(name),
      ...(typeof p.description === "string" && p.description ? { description: p.description } : {}),
      ...(schema ? { schema } : {}),
    };
  });
}
