// A variable's JSON Schema back as the Picoschema the dotprompt library reads to exactly that schema
// (its parser: node_modules/dotprompt, PicoschemaParser.parsePico), or null when Picoschema cannot say it
// (a keyword it has no words for, an optional field without the `null` Picoschema adds, a description a
// key cannot hold): the file is then written as JSON Schema. Each case below mirrors one of the parser's.
import { isPlainObject } from "../json";

type Schema = Record<string, unknown>;
export type PicoEntry = { key: string; value: unknown };

const scalars = ["string", "number", "integer", "boolean", "null"];

/** Only these keys, and each of `must`. */
const exactly = (s: Schema, may: string[], must: string[] = []) =>
  Object.keys(s).every((k) => may.includes(k)) && must.every((k) => Object.hasOwn(s, k));

// `type, description` after the last "(" of a key, or after the first comma of a value: one line, no
// leading blank (the parser's `, *` eats it), no "(" in a key (it splits the key on it).
const valueDescription = (d: unknown): d is string =>
  typeof d === "string" && d !== "" && !/[\r\n]/.test(d) && d.trimStart() === d;
const keyDescription = (d: unknown): d is string => valueDescription(d) && !d.includes("(");

/** The `type` a field has: T, or [T, "null"] when it is optional (the parser adds the null). */
function typeIs(t: unknown, name: string, optional: boolean): boolean {
  return optional ? Array.isArray(t) && t.length === 2 && t[0] === name && t[1] === "null" : t === name;
}

/** A schema the parser gives for a value on its own: a scalar, `any`, or an object of fields. */
function fragment(s: unknown): unknown {
  if (!isPlainObject(s)) return null;
  if (s.type === "object") return objectFragment(s);
  const d = s.description;
  if (d !== undefined && !valueDescription(d)) return null;
  const tail = d === undefined ? "" : `, ${d}`;
  if (exactly(s, ["description"])) return `any${tail}`;
  if (exactly(s, ["type", "description"], ["type"]) && scalars.includes(s.type as string)) return `${s.type}${tail}`;
  return null;
}

function objectFragment(s: Schema): Record<string, unknown> | null {
  if (!exactly(s, ["type", "properties", "required", "additionalProperties"], ["properties", "additionalProperties"]))
    return null;
  if (!isPlainObject(s.properties)) return null;
  const names = Object.keys(s.properties);
  const required = s.required ?? [];
  if (!Array.isArray(required) || (s.required !== undefined && required.length === 0)) return null;
  // The parser lists required fields in the order they are written.
  const inOrder = names.filter((n) => required.includes(n));
  if (inOrder.length !== required.length || inOrder.some((n, i) => required[i] !== n)) return null;
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const entry = picoEntry(name, !required.includes(name), s.properties[name]);
    if (!entry) return null;
    out[entry.key] = entry.value;
  }
  if (s.additionalProperties !== false) {
    const wildcard = fragment(s.additionalProperties);
    if (wildcard === null) return null;
    out["(*)"] = wildcard;
  }
  return out;
}

/**
 * One field (a property of an object, or a variable of the input): its Picoschema key and value, or null.
 * `schema` holds its description, if any.
 */
export function picoEntry(name: string, optional: boolean, schema: unknown): PicoEntry | null {
  if (!isPlainObject(schema) || /[(?,:]|^\s|\s$/.test(name) || name === "") return null;
  const { description: d, ...rest } = schema;
  const base = `${name}${optional ? "?" : ""}`;
  const paren = (kind: string) => {
    if (d !== undefined && !keyDescription(d)) return null;
    return d === undefined ? `${base}(${kind})` : `${base}(${kind}, ${d})`;
  };
  if (exactly(rest, ["enum"], ["enum"]) && Array.isArray(rest.enum)) {
    const key = paren("enum");
    let values = rest.enum as unknown[];
    if (optional) {
      if (!values.includes(null)) return null;
      if (values.at(-1) === null && values.indexOf(null) === values.length - 1) values = values.slice(0, -1);
    }
    return key ? { key, value: values } : null;
  }
  if (exactly(rest, ["type", "items"], ["type", "items"]) && typeIs(rest.type, "array", optional)) {
    const key = paren("array");
    const items = fragment(rest.items);
    return key && items !== null ? { key, value: items } : null;
  }
  if (typeIs(rest.type, "object", optional)) {
    const key = paren("object");
    const fields = objectFragment({ ...rest, type: "object" });
    return key && fields ? { key, value: fields } : null;
  }
  // Scalars and `any`: the description rides on the value ("string, what it is").
  if (d !== undefined && !valueDescription(d)) return null;
  const tail = d === undefined ? "" : `, ${d}`;
  if (Object.keys(rest).length === 0) return { key: base, value: `any${tail}` };
  if (!exactly(rest, ["type"])) return null;
  const t = rest.type;
  const scalar = optional ? (Array.isArray(t) && t[1] === "null" && t.length === 2 ? t[0] : undefined) : t;
  if (typeof scalar !== "string" || !scalars.includes(scalar)) return null;
  return { key: base, value: `${scalar}${tail}` };
}
