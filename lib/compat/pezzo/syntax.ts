// Pezzo's variable syntax, as its client fills it before it calls the model (@pezzo/client,
// interpolateVariablesRecursively): one pass of the pattern below over each message's text, a variable it was
// not given left as written, and no escape for a literal brace. Pure: the CLI and the server both read it.

/** The variable Pezzo's client interpolates, as its source writes it: `{name}`, spaces allowed inside the braces. */
export const pezzoVariablePattern = /{\s*(\w+)\s*}/g;

/** What Pezzo's client sends the model for `text` and `variables` (its interpolateVariables, to the letter). */
export function interpolatePezzo(text: string, variables: Record<string, boolean | number | string>): string {
  return text.replace(pezzoVariablePattern, (match, key: string) =>
    Object.prototype.hasOwnProperty.call(variables, key) ? String(variables[key]) : match,
  );
}

/**
 * Pezzo's `{name}` text as an f-string (each variable Pezzo's client would fill as `{name}`, every other brace
 * doubled), for fromForeignTemplate's exact f-string reading.
 */
export function pezzoTextAsFString(text: string): string {
  let out = "";
  let at = 0;
  const literal = (s: string) => s.replace(/[{}]/g, (b) => b + b);
  for (const m of text.matchAll(pezzoVariablePattern)) {
    out += `${literal(text.slice(at, m.index))}{${m[1]!}}`;
    at = m.index + m[0].length;
  }
  return out + literal(text.slice(at));
}
