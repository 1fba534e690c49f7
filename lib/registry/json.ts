// Small structural helpers over JSON-shaped values, shared by content validation, diff and merge.

export type JsonObject = { [key: string]: unknown };

/** A plain object (not an array, not null, not a class instance such as Date). */
export function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether a value survives JSON.stringify → JSON.parse unchanged. Non-finite numbers, undefined,
 * functions, bigints, class instances and cycles don't, and would be silently altered or dropped.
 */
export function isJsonValue(value: unknown, seen: Set<object> = new Set()): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (seen.has(value)) return false;
      seen.add(value);
      const ok = Array.isArray(value)
        ? value.every((v) => isJsonValue(v, seen))
        : isPlainObject(value) && Object.values(value).every((v) => isJsonValue(v, seen));
      seen.delete(value);
      return ok;
    }
    default:
      return false;
  }
}

/** Deep equality for JSON-shaped values; object key order does not matter, array order does. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    // A key holding undefined is the same as an absent key, as it is once stored as JSONB.
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** A short, single-line rendering of a value for human-readable summaries. */
export function formatValue(value: unknown, max = 60): string {
  if (value === undefined) return "unset";
  const s = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/**
 * A value as people read it in a settings list: strings without JSON quotes (an empty one as
 * "(empty)"), everything else as compact JSON, cut to `max` characters.
 */
export function plainValue(value: unknown, max = 60): string {
  if (value === undefined) return "unset";
  const s = typeof value === "string" ? (value === "" ? "(empty)" : value) : (JSON.stringify(value) ?? String(value));
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
