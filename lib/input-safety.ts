// Checks on untrusted input that no schema expresses: PostgreSQL refuses NUL characters in text and
// JSONB, and deeply nested JSON exhausts its stack (and ours). Refusing them up front turns what
// would be a 500 from the database into a 400 that names the field.
import { AppError } from "./errors";

/** Deeper than any prompt config, variable default or example needs. */
export const maxJsonDepth = 64;

const hasNul = (s: string) => s.includes("\u0000");

/** The first problem in a parsed JSON value (or a server action's input), or undefined. */
export function findUnsafeValue(value: unknown, field = "body", depth = 0): AppError | undefined {
  if (depth > maxJsonDepth)
    return new AppError("invalid_input", `${field} is nested more than ${maxJsonDepth} levels deep.`, {
      field,
      maxDepth: maxJsonDepth,
    });
  if (typeof value === "string")
    return hasNul(value)
      ? new AppError("invalid_input", `${field} contains a NUL character (\\u0000), which cannot be stored.`, { field })
      : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = findUnsafeValue(value[i], `${field}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (hasNul(k))
        return new AppError("invalid_input", `${field} has a key containing a NUL character (\\u0000).`, { field });
      const problem = findUnsafeValue(v, field === "body" ? k : `${field}.${k}`, depth + 1);
      if (problem) return problem;
    }
  }
  return undefined;
}

export function assertSafeValue(value: unknown, field?: string): void {
  const problem = findUnsafeValue(value, field);
  if (problem) throw problem;
}

/** Query parameters: NUL characters are refused whatever the route does with the parameter. */
export function assertSafeQuery(params: Iterable<[string, string]>): void {
  for (const [k, v] of params) {
    if (hasNul(k) || hasNul(v))
      throw new AppError("invalid_input", `Query parameter ${hasNul(k) ? "name" : k} contains a NUL character (%00).`, {
        field: hasNul(k) ? "query" : k,
      });
  }
}

/**
 * Decodes a raw URL path (as sent, percent-encoded), throwing invalid_input on malformed escapes
 * (%ZZ, a truncated UTF-8 sequence) or a NUL character. Returns the decoded segments.
 */
export function decodePath(rawPath: string): string[] {
  return rawPath.split("/").map((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw new AppError(
        "invalid_input",
        `The URL path is not valid percent-encoding: ${JSON.stringify(segment.slice(0, 60))}.`,
        { field: "path" },
      );
    }
    if (hasNul(decoded))
      throw new AppError("invalid_input", "The URL path contains a NUL character (%00).", { field: "path" });
    return decoded;
  });
}
