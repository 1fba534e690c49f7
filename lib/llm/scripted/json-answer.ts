// The scripted model's JSON answers: a value that satisfies the JSON Schema it was asked for (objects with
// their required properties, enums, number ranges), its choices drawn from the prompt (a label named in
// "one of: a, b, c" that the message's words point to), deterministic. Pure.
import { pick, sections, words } from "./text-tools";

type Schema = Record<string, unknown>;

/** The labels a prompt offers ("… one of: billing, bug, how-to, cancel, other."), if any. */
function offeredLabels(prompt: string): string[] {
  const m = /one of:?\s*([^\n.]+)/i.exec(prompt);
  if (!m) return [];
  return m[1]!
    .split(/,|\bor\b/)
    .map((x) => x.trim().replace(/^["'`]|["'`]$/g, ""))
    .filter((x) => /^[\w-]{1,40}$/.test(x));
}

// Words that point to a few common labels besides the label itself.
const HINTS: Record<string, string[]> = {
  billing: ["charg", "invoic", "refund", "payment", "paid", "price", "subscript"],
  bug: ["error", "broken", "crash", "nothing", "fails", "wrong"],
  "how-to": ["how"],
  cancel: ["cancel", "unsubscrib", "close my"],
};

/** The message a label is chosen for: its "Message:" part, else the prompt without the list of labels. */
const messageOf = (prompt: string) => sections(prompt).get("message") ?? prompt.replace(/one of:?[^\n]*/gi, "");

/** The label whose word (its stem, or a hint) the message uses, else "other" or the last one offered. */
function chooseLabel(labels: string[], prompt: string): string {
  const message = messageOf(prompt).toLowerCase();
  const said = words(message).map((w) => w.replace(/[^a-z-]/g, ""));
  const stem = (w: string) => w.replace(/(ing|ed|es|s)$/, "").slice(0, 5);
  const uses = (label: string) =>
    said.some((w) => w.length >= 3 && stem(w) === stem(label.toLowerCase())) ||
    (HINTS[label.toLowerCase()] ?? []).some((h) => message.includes(h));
  return labels.find(uses) ?? labels.find((l) => l.toLowerCase() === "other") ?? labels.at(-1) ?? "other";
}

function valueFor(schema: Schema, name: string, prompt: string, text: string): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (Array.isArray(schema.enum) && schema.enum.length) {
    const labels = schema.enum.filter((e): e is string => typeof e === "string");
    return labels.length ? chooseLabel(labels, prompt) : schema.enum[0];
  }
  switch (type) {
    case "object": {
      const props = (schema.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueFor(v, k, prompt, text)]));
    }
    case "array":
      return [valueFor((schema.items ?? { type: "string" }) as Schema, name, prompt, text)];
    case "number":
    case "integer": {
      const min = typeof schema.minimum === "number" ? schema.minimum : 0;
      const max = typeof schema.maximum === "number" ? schema.maximum : min + 1;
      const span = max - min;
      const raw = /confidence|probability|score/i.test(name)
        ? min + span * (0.55 + pick(`${prompt}|${name}`, 41) / 100)
        : min + span / 2;
      return type === "integer" ? Math.round(raw) : Math.round(raw * 100) / 100;
    }
    case "boolean":
      return pick(`${prompt}|${name}`, 2) === 0;
    default: {
      const labels = offeredLabels(prompt);
      if (labels.length && /intent|label|category|class|topic/i.test(name)) return chooseLabel(labels, prompt);
      return text;
    }
  }
}

/** A JSON answer for `schema` (an `{answer}` object without one), from the prompt and the text answer. */
export function scriptedJson(schema: Schema | undefined, prompt: string, text: string): unknown {
  if (!schema) return { answer: text };
  return valueFor(schema, "", prompt, text);
}
