// The schemas of the OpenAPI document (openapi.ts): zod's JSON Schema, with every schema's `$defs` moved into
// components/schemas. zod writes a schema it meets again inside itself (a recursive JSON value, a tree) as
// `$defs` on that schema's root and `$ref: "#/$defs/…"` or `"#"` to them. Inside an OpenAPI document "#" is the
// document, so those references pointed at nothing and every generator stopped. Here each definition gets a
// component of its own, with a name no other has (the same schema met again keeps its first name), and each
// reference points there.
import "server-only";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const componentRef = "#/components/schemas/";

const nameMaps = new Set(["properties", "patternProperties", "dependentSchemas"]);

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON Schema as zod writes it for a request (`input`: defaults optional) or an answer (`output`). */
export function jsonSchemaOf(s: z.ZodType | object, io: "input" | "output"): JsonObject {
  return (s instanceof z.ZodType ? z.toJSONSchema(s, { io, unrepresentable: "any" }) : s) as JsonObject;
}

const pascal = (s: string) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");

const anyJson = (self: string) => ({
  anyOf: [
    ...["string", "number", "boolean", "null"].map((type) => ({ type })),
    { type: "array", items: { $ref: self } },
    { type: "object", propertyNames: { type: "string" }, additionalProperties: { $ref: self } },
  ],
});

/**
 * Whether `ref` names zod's z.json(): a recursive union of the six JSON types, which is any JSON value — JSON
 * Schema's `{}`, as the document writes it. Generators choke on the union (openapi-typescript writes a type
 * TypeScript refuses: TS2502, a type referring to itself through an array), and it says nothing `{}` does not.
 */
function anyJsonRef(ref: string, scopes: Scope[]): boolean {
  const key = /^#\/\$defs\/([^/]+)$/.exec(ref)?.[1];
  const owner = key === undefined ? undefined : scopes.findLast((s) => key in s.defs);
  return !!owner && isDeepStrictEqual(owner.defs[key!], anyJson(ref));
}

/** One schema resource being rewritten: a node zod wrote `$schema` or `$defs` on, and its definitions' names. */
type Scope = { defs: Record<string, Json>; names: Map<string, string>; self?: string; hint: string };

/** The component schemas of one document, and the rewriting of each schema that goes into it. */
export class SchemaComponents {
  private readonly schemas = new Map<string, Json>();
  private readonly aliases = new Map<string, string>();

  /**
   * `schema` as the document writes it, its definitions hoisted into the components. `hint` names what has no
   * name of its own (the operation and part: "RecordMetricEventsRequest"), with the property that first refers
   * to it.
   */
  add(schema: z.ZodType | object, io: "input" | "output", hint: string): JsonObject {
    const out = this.rewrite(jsonSchemaOf(schema, io), [], [], hint);
    return out as JsonObject;
  }

  /** The components, by name; a schema registered twice under two names is kept once (see `resolve`). */
  components(): Record<string, Json> {
    const names = [...this.schemas.keys()].filter((n) => !this.aliases.has(n)).sort();
    return Object.fromEntries(names.map((n) => [n, this.resolve(this.schemas.get(n)!)]));
  }

  /** `value` with every reference to a duplicate component pointing at the one kept. */
  resolve<T extends Json>(value: T): T {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v)) as T;
    if (!isObject(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => {
        if (k !== "$ref" || typeof v !== "string" || !v.startsWith(componentRef)) return [k, this.resolve(v)];
        const name = v.slice(componentRef.length);
        return [k, componentRef + (this.aliases.get(name) ?? name)];
      }),
    ) as T;
  }

  private rewrite(node: Json, path: string[], scopes: Scope[], hint: string): Json {
    if (Array.isArray(node)) return node.map((v, i) => this.rewrite(v, [...path, String(i)], scopes, hint));
    if (!isObject(node)) return node;
    // A map of names to schemas ("properties": {"$schema": …}) holds no keywords: each value is a schema.
    if (nameMaps.has(path.at(-1) ?? ""))
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, this.rewrite(v, [...path, k], scopes, hint)]));
    const root = "$schema" in node || "$defs" in node;
    const inner: Scope[] = root
      ? [...scopes, { defs: isObject(node.$defs) ? node.$defs : {}, names: new Map(), hint }]
      : scopes;
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === "$schema" || k === "$defs") continue;
      if (k !== "$ref" || typeof v !== "string") out[k] = this.rewrite(v, [...path, k], inner, hint);
      else if (!anyJsonRef(v, inner)) out[k] = this.reference(v, path, inner);
    }
    if (!root) return out;
    const scope = inner.at(-1)!;
    // A definition is written once a reference names it; one may name another, which is then written too.
    for (let done = 0; done < scope.names.size; done++) {
      const [key, name] = [...scope.names][done]!;
      this.register(name, this.rewrite(scope.defs[key]!, ["$defs", key], inner, hint));
    }
    if (!scope.self) return out;
    this.register(scope.self, out);
    return { $ref: componentRef + scope.self };
  }

  /** A reference inside the schema resource `scopes` ends with, pointed at the component that holds its target. */
  private reference(ref: string, path: string[], scopes: Scope[]): string {
    if (!ref.startsWith("#")) return ref;
    const scope = scopes.at(-1);
    if (ref === "#" && scope) {
      scope.self ??= this.reserve(scope.hint);
      return componentRef + scope.self;
    }
    const key = /^#\/\$defs\/([^/]+)$/.exec(ref)?.[1]?.replace(/~1/g, "/").replace(/~0/g, "~");
    const owner = key === undefined ? undefined : scopes.findLast((s) => key in s.defs);
    if (!owner || key === undefined)
      throw new Error(`openapi: the reference ${ref} at ${path.join("/") || "(root)"} resolves to nothing`);
    let name = owner.names.get(key);
    if (!name) {
      // zod names a definition `__schema<n>` unless the schema has an id (.meta({id})): then that id.
      const own = /^__schema\d+$/.test(key) ? undefined : pascal(key);
      const property = path.findLast((_, i) => path[i - 1] === "properties");
      name = this.reserve(own ?? owner.hint + pascal(property ?? "value"));
      owner.names.set(key, name);
    }
    return componentRef + name;
  }

  /** A component name not yet taken: `preferred`, else `preferred2`, `preferred3`… */
  private reserve(preferred: string): string {
    let name = preferred;
    for (let n = 2; this.schemas.has(name); n++) name = `${preferred}${n}`;
    this.schemas.set(name, null);
    return name;
  }

  /** Keeps `schema` as `name`, unless an equal schema is kept already: then `name` becomes an alias of it. */
  private register(name: string, schema: Json) {
    const same = (n: string, s: Json) => this.selfless(s, n);
    for (const [other, kept] of this.schemas)
      if (
        other !== name &&
        kept !== null &&
        !this.aliases.has(other) &&
        isDeepStrictEqual(same(other, kept), same(name, schema))
      ) {
        this.aliases.set(name, other);
        break;
      }
    this.schemas.set(name, schema);
  }

  /** `schema` with its references to itself (`name`) made anonymous, so two copies of a recursive schema compare equal. */
  private selfless(schema: Json, name: string): Json {
    return JSON.parse(JSON.stringify(schema).replaceAll(JSON.stringify(componentRef + name), '"#self"')) as Json;
  }
}
