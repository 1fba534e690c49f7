// Small wording helpers shared by the UI's messages. Pure.

/**
 * An API-style message as a sentence for people: "slug login is reserved; choose another" →
 * "Slug login is reserved; choose another." (Domain and schema messages start with the field name,
 * in lower case, because API callers read them too.)
 */
export function sentence(message: string): string {
  const m = message.trim();
  if (!m) return m;
  const capital = m[0]!.toUpperCase() + m.slice(1);
  return /[.!?…:]$/.test(capital) ? capital : `${capital}.`;
}
