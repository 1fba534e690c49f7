// A regex scorer's pattern, checked when the spec is saved: length, flags, and whether the linear-time
// engine it runs on (lib/user-regex.ts) accepts it. There used to be a heuristic here refusing nested
// quantifiers like (a+)+; it missed (\d|\w)+, and with an engine that never backtracks no pattern can
// take more than linear time, so it is gone.
import { compileUserRegex, type UserRegex } from "../user-regex";

export const maxPatternLength = 500;
export const allowedFlags = "imsu";

/** Compiles a scorer's pattern, or explains why not: length, flags, syntax the engine does not run. */
export function checkPattern(
  pattern: string,
  flags = "",
): { ok: true; regex: UserRegex } | { ok: false; field: "pattern" | "flags"; message: string } {
  if (pattern.length > maxPatternLength) {
    return { ok: false, field: "pattern", message: `pattern must be at most ${maxPatternLength} characters` };
  }
  const badFlag = [...flags].find((f, i) => !allowedFlags.includes(f) || flags.indexOf(f) !== i);
  if (badFlag !== undefined) {
    return {
      ok: false,
      field: "flags",
      message: `flags may only contain each of ${[...allowedFlags].join(", ")} once (got "${flags}")`,
    };
  }
  const compiled = compileUserRegex(pattern, flags);
  if (compiled.ok) return { ok: true, regex: compiled.regex };
  return { ok: false, field: "pattern", message: `pattern is not a valid regular expression: ${compiled.message}` };
}
