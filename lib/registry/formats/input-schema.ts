// Declared variables as a Dotprompt input schema, and back. Written as Picoschema (`name?: string, what it
// is`); read with the library's own Picoschema parser, so a file means to Lectern what it means to Genkit.
// JSON Schema types map onto the kinds the two engines treat differently (ir.ts ValueKind), and those
// onto Lectern's variable types.
import { picoschema } from "dotprompt";
import { isPlainObject } from "../json";
import type { Variable } from "../content";
import { refuse, type ValueKind } from "./ir";

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

/** Variables as Picoschema (JSON Schema when a description spans lines, which Picoschema cannot hold). */
export function inputOf(variables: Variable[]): { schema?: unknown; default?: Record<string, unknown> } {
  if (variables.length === 0) return {};
  const defaults = Object.fromEntries(variables.filter((v) => v.default !== undefined).map((v) => [v.name, v.default]));
  const multiline = variables.some((v) => v.description?.includes("\n"));
  const schema = multiline
    ? {
        type: "object",
        properties: Object.fromEntries(
          variables.map((v) => [
            v.name,
            {
              ...(v.type === "json" ? {} : { type: picoType[v.type] }),
              ...(v.description ? { description: v.description } : {}),
            },
          ]),
        ),
        ...(variables.some((v) => v.required)
          ? { required: variables.filter((v) => v.required).map((v) => v.name) }
          : {}),
      }
    : Object.fromEntries(
        variables.map((v) => [
          `${v.name}${v.required ? "" : "?"}`,
          v.description ? `${picoType[v.type]}, ${v.description}` : picoType[v.type],
        ]),
      );
  return { schema, ...(Object.keys(defaults).length ? { default: defaults } : {}) };
}

export interface DeclaredInput {
  name: string;
  kind: ValueKind;
  required: boolean;
  description?: string;
}

function kindOfSchema(name: string, schema: Record<string, unknown>, warnings: string[]): ValueKind {
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter(
    (t) => t !== "null" && t !== undefined,
  );
  if (Array.isArray(schema.enum)) {
    const values = schema.enum.filter((e) => e !== null);
    warnings.push(`input ${name}: its allowed values (enum) are not kept; Lectern checks only the type`);
    if (values.every((e) => typeof e === "string")) return "string";
    if (values.every((e) => typeof e === "number")) return "number";
    return "any";
  }
  if (types.length > 1) return "any";
  switch (types[0]) {
    case "string":
      return "string";
    case "integer":
      warnings.push(`input ${name}: integer becomes number (Lectern does not check whole numbers)`);
      return "number";
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
    return {
      name,
      kind: kindOfSchema(name, p, warnings),
      required: required.includes(name),
      ...(typeof p.description === "string" && p.description ? { description: p.description } : {}),
    };
  });
}
