// Regular expressions written by users (regex scorers, JSON Schema `pattern` / `patternProperties`)
// run on model outputs inside the server. JavaScript's engine backtracks: ^(\d+)+$ or ^(\d|\w)+$ take
// exponential time on a few dozen characters and stall the process (the job queue, and in the
// one-process embedded mode the event loop that answers resolve). These run on RE2JS instead, a port
// of RE2 whose matching time is linear in the input. RE2 has no lookaround and no backreferences
// (they are what makes linear time impossible): a pattern using them is refused with a message.
import { RE2JS } from "re2js";

export interface UserRegex {
  /** The first match, like RegExp#exec without the g flag. */
  exec(text: string): { match: string; index: number } | null;
  test(text: string): boolean;
}

export type CompiledUserRegex = { ok: true; regex: UserRegex } | { ok: false; message: string };

const flagBits: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  u: 0, // RE2 always matches by code point
};

/**
 * Compiles a JavaScript-syntax pattern for the linear-time engine. `flags` may hold i, m, s, u (the
 * caller checks which it allows). Never throws.
 */
export function compileUserRegex(pattern: string, flags = ""): CompiledUserRegex {
  let bits = 0;
  for (const f of flags) {
    const bit = flagBits[f];
    if (bit === undefined) return { ok: false, message: `flag "${f}" is not supported` };
    bits |= bit;
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(RE2JS.translateRegExp(pattern), bits);
  } catch (e) {
    const why = e instanceof Error ? e.message.replace(/^error parsing regexp: /, "") : String(e);
    const unsupported = /\(\?[=!<]|\\[1-9]|\\k</.test(pattern);
    return {
      ok: false,
      message: unsupported
        ? `uses lookaround or a backreference, which Lectern does not run (patterns run in linear time, without backtracking): ${why}`
        : why,
    };
  }
  return {
    ok: true,
    regex: {
      exec(text) {
        const m = re.matcher(text);
        return m.find() ? { match: m.group() ?? "", index: m.start() } : null;
      },
      test: (text) => re.matcher(text).find(),
    },
  };
}

/** For Ajv's `code.regExp` option: JSON Schema patterns compiled for the linear-time engine (throws on a bad one). */
export function schemaRegExp(pattern: string, u: string): { test(s: string): boolean } {
  const compiled = compileUserRegex(pattern, u);
  if (!compiled.ok) throw new Error(`pattern "${pattern}" ${compiled.message}`);
  return compiled.regex;
}
schemaRegExp.code = "re2js";
