// User-written regular expressions run on model outputs inside the server, and JavaScript regexes have
// no time limit: one catastrophic pattern can stall a worker for minutes. We cannot decide in general
// whether a pattern backtracks exponentially, so this checks the shape behind most real incidents: a
// group whose body ends in a quantifier, itself repeated — (a+)+, (\w+\s?)*, (?:x*){2,}. It is a
// heuristic (it misses (a|aa)+, for one), which is why outputs are also capped in length before matching.

export const maxPatternLength = 500;
export const allowedFlags = "imsu";

const isRepeat = (pattern: string, i: number): boolean => {
  const c = pattern[i];
  if (c === "*" || c === "+") return true;
  if (c !== "{") return false;
  // {n} and {0,1} repeat at most once; {n,}, {n,m} with m > 1 repeat.
  const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
  if (!m) return false;
  if (m[2] === undefined) return Number(m[1]) > 1;
  return m[3] === "" || Number(m[3]) > 1;
};

/** Why a pattern is refused as a backtracking risk, or undefined when it looks safe. */
export function nestedQuantifier(pattern: string): string | undefined {
  // For each open group: whether the last thing inside it was a quantifier.
  const stack: boolean[] = [];
  let last = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      last = false;
    } else if (c === "[") {
      // Skip the character class, honouring escapes and a leading ']'.
      i++;
      if (pattern[i] === "^") i++;
      if (pattern[i] === "]") i++;
      while (i < pattern.length && pattern[i] !== "]") i += pattern[i] === "\\" ? 2 : 1;
      last = false;
    } else if (c === "(") {
      stack.push(last);
      last = false;
      // Skip group prefixes such as ?:, ?=, ?!, ?<=, ?<!, ?<name>.
      if (pattern[i + 1] === "?") {
        const prefix = /^\?(?::|=|!|<=|<!|<[A-Za-z_][A-Za-z0-9_]*>)/.exec(pattern.slice(i + 1));
        if (prefix) i += prefix[0].length;
      }
    } else if (c === ")") {
      const innerEndsQuantified = last;
      stack.pop();
      if (innerEndsQuantified && isRepeat(pattern, i + 1)) {
        return `pattern repeats a group that ends in a quantifier near position ${i + 1} (like (a+)+), which can take exponential time`;
      }
      last = false;
    } else if (c === "*" || c === "+" || c === "?" || (c === "{" && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)))) {
      if (c === "{") i = pattern.indexOf("}", i);
      // A lazy or possessive marker after a quantifier is part of it.
      if (pattern[i + 1] === "?") i++;
      last = true;
    } else {
      last = false;
    }
  }
  return undefined;
}

/** Compiles a scorer's pattern, or explains why not: length, flags, backtracking risk, syntax. */
export function checkPattern(
  pattern: string,
  flags = "",
): { ok: true; regex: RegExp } | { ok: false; field: "pattern" | "flags"; message: string } {
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
  const risk = nestedQuantifier(pattern);
  if (risk) return { ok: false, field: "pattern", message: risk };
  try {
    return { ok: true, regex: new RegExp(pattern, flags) };
  } catch (e) {
    return {
      ok: false,
      field: "pattern",
      message: `pattern is not a valid regular expression: ${(e as Error).message}`,
    };
  }
}
