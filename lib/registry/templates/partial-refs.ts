// Partial references. `{{> name}}` includes a prompt as served in the environment being served (or its
// latest version when saving). A reference may also pin what it includes: `{{> name|label=staging}}`
// (what that environment serves; `latest` is the newest version) or `{{> name|version=3}}`. Langfuse's
// composition tags (`@@@langfusePrompt:name=X|label=Y@@@`, `…|version=N@@@`) are the same references
// in another syntax: the Langfuse-compatible API and the importer turn them into pinned partials, and
// back, so both compose through one graph (one cycle, depth and size check) and one renderer.
// Zod-free: the SDK bundles it.
import { isPromptName } from "../name-rules";

export type PartialRef =
  | { name: string; label?: undefined; version?: undefined }
  | { name: string; label: string; version?: undefined }
  | { name: string; version: number; label?: undefined };

/** The label a pin may name: a Langfuse label (lowercase letters, digits, '_', '-', '.'; at most 36). */
export const pinLabelPattern = /^[a-z0-9_.-]{1,36}$/;
export const latestLabel = "latest";

/** Parses a partial tag's value ("name", "name|label=x", "name|version=3"); undefined when malformed. */
export function parsePartialRef(ref: string): PartialRef | undefined {
  const bar = ref.indexOf("|");
  if (bar < 0) return isPromptName(ref) ? { name: ref } : undefined;
  const name = ref.slice(0, bar);
  const pin = ref.slice(bar + 1);
  if (!isPromptName(name)) return undefined;
  const eq = pin.indexOf("=");
  const key = pin.slice(0, eq);
  const value = pin.slice(eq + 1);
  if (eq > 0 && key === "label" && pinLabelPattern.test(value)) return { name, label: value };
  if (eq > 0 && key === "version" && /^[1-9][0-9]{0,8}$/.test(value)) return { name, version: Number(value) };
  return undefined;
}

/** Why a partial tag's value is not a reference (for the editor and save-time errors). */
export function partialRefProblem(ref: string): string {
  const name = refPromptName(ref);
  if (!isPromptName(name)) return `Partial name "${name}" is not a valid prompt name`;
  return `Partial "${ref}" must be {{> name}}, {{> name|label=<label>}} or {{> name|version=<number>}}`;
}

export function formatPartialRef(r: PartialRef): string {
  if (r.label !== undefined) return `${r.name}|label=${r.label}`;
  if (r.version !== undefined) return `${r.name}|version=${r.version}`;
  return r.name;
}

/** The prompt a reference names (the part before '|'). */
export const refPromptName = (ref: string): string => {
  const bar = ref.indexOf("|");
  return bar < 0 ? ref : ref.slice(0, bar);
};

// Langfuse's own parsing: the tag's inside split on '|', exactly two parts, `name=` first, then
// `version=<number>` or `label=<label>`; anything else is left alone as text (Langfuse ignores it too).
const langfuseTag = /@@@langfusePrompt:(.*?)@@@/g;

function parseLangfuseTag(inner: string): PartialRef | undefined {
  const parts = inner.split("|");
  if (parts.length !== 2 || !parts[0]!.startsWith("name=")) return undefined;
  const name = parts[0]!.slice(5);
  const [key, ...rest] = parts[1]!.split("=");
  const value = rest.join("=");
  if (!isPromptName(name)) return undefined;
  if (key === "version" && /^[1-9][0-9]{0,8}$/.test(value)) return { name, version: Number(value) };
  if (key === "label" && pinLabelPattern.test(value)) return { name, label: value };
  return undefined;
}

/** Langfuse composition tags → pinned partial references; other text (and malformed tags) unchanged. */
export function fromLangfuseTags(text: string): string {
  if (!text.includes("@@@langfusePrompt:")) return text;
  return text.replace(langfuseTag, (whole, inner: string) => {
    const ref = parseLangfuseTag(inner);
    // A name holding "}}" cannot be written inside a Mustache tag; leave such a tag as text.
    return ref && !ref.name.includes("}}") ? `{{> ${formatPartialRef(ref)}}}` : whole;
  });
}

// The same tag shape Mustache reads: `{{>`, optional spaces, the value (no "}}"), optional spaces, `}}`.
const partialTag = /\{\{>\s*((?:(?!\}\}).)+?)\s*\}\}/g;

/** Pinned partial references → Langfuse composition tags; unpinned ones ({{> name}}) stay as they are. */
export function toLangfuseTags(text: string): string {
  if (!text.includes("{{>")) return text;
  return text.replace(partialTag, (whole, value: string) => {
    const ref = parsePartialRef(value);
    if (!ref || (ref.label === undefined && ref.version === undefined)) return whole;
    return ref.label !== undefined
      ? `@@@langfusePrompt:name=${ref.name}|label=${ref.label}@@@`
      : `@@@langfusePrompt:name=${ref.name}|version=${ref.version}@@@`;
  });
}

/**
 * Inlines partials into one text, for clients that cannot render them (the Langfuse-compatible API):
 * each `{{> ref}}` found in `partials` is replaced by its text, itself inlined. Call only on a graph
 * already checked (resolvePartialGraph / checkPartialMap): it does not check for cycles again.
 */
export function inlinePartials(text: string, partials: Record<string, string>): string {
  if (!text.includes("{{>")) return text;
  return text.replace(partialTag, (whole, value: string) =>
    Object.hasOwn(partials, value) ? inlinePartials(partials[value]!, partials) : whole,
  );
}
