// What the playground asks for and how the typed text becomes values: shared by the prompt page's
// playground and the editor's "Try it". Pure (no React), so the page can use it on the server too.
import type { Content } from "@/lib/registry/content";
import { placeholderNames } from "@/lib/registry/content-model";

export type PlaygroundVariable = {
  name: string;
  type: "string" | "number" | "boolean" | "json" | "image";
  required: boolean;
  default?: unknown;
  description?: string;
};

/** What the playground asks for: the version's variables, and each placeholder as a JSON list of messages. */
export function playgroundVariables(content: Content) {
  return [
    ...content.variables.map((v) => ({
      name: v.name,
      type: v.type,
      required: v.required,
      default: v.default,
      description: v.description,
    })),
    ...placeholderNames(content).map((name) => ({
      name,
      type: "json" as const,
      required: true,
      default: undefined,
      description: 'A placeholder: a JSON list of messages, e.g. [{"role": "user", "content": "Hi"}]; [] for none.',
    })),
  ];
}

/** Typed values from the text fields; an empty field is left out so the variable's default applies. */
export function values(
  vars: PlaygroundVariable[],
  text: Record<string, string>,
): { ok: true; values: Record<string, unknown> } | { ok: false; message: string } {
  const out: Record<string, unknown> = {};
  for (const v of vars) {
    const raw = text[v.name] ?? "";
    if (raw === "") continue;
    if (v.type === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n)) return { ok: false, message: `${v.name} must be a number.` };
      out[v.name] = n;
    } else if (v.type === "boolean") out[v.name] = raw === "true";
    else if (v.type === "json") {
      try {
        out[v.name] = JSON.parse(raw);
      } catch {
        return { ok: false, message: `${v.name} is not valid JSON.` };
      }
    } else out[v.name] = raw;
  }
  return { ok: true, values: out };
}
