// How the editor names a field path in messages ("variables.1.default" → "Default of variable 2 (order_id)"),
// and which fields show their own message. Pure.
import { settingLabel } from "@/lib/registry/changes/describe";
import { fileLabel } from "./skill-state";
import type { EditorState } from "./state";

/** A field path as the form labels it: "variables.1.default" → "Default of variable 2 (order_id)". */
export function fieldLabel(path: string, s: EditorState): string {
  const parts = path.split(".");
  if (parts[0] === "variables" && parts[1] !== undefined) {
    const i = Number(parts[1]);
    const name = s.variables[i]?.name.trim();
    const which = `variable ${i + 1}${name ? ` (${name})` : ""}`;
    if (parts[2] === "name") return `Name of ${which}`;
    if (parts[2] === "default") return `Default of ${which}`;
    if (parts[2] === "schema") return `Schema of ${which}`;
    return `Variable ${i + 1}${name ? ` (${name})` : ""}`;
  }
  if (parts[0] === "variables") return "Variables";
  if (parts[0] === "config" && parts[1]) return settingLabel(parts.slice(1).join("."));
  if (parts[0] === "examples" && parts[1] !== undefined) return `Input of example ${Number(parts[1]) + 1}`;
  if (parts[0] === "template" && parts[2] === "name") return `Placeholder name of message ${Number(parts[1]) + 1}`;
  if (parts[0] === "template") return "Template";
  if (parts[0] === "files") return fileLabel(parts, s.files);
  return "The prompt";
}

/** Field errors shown next to their field on the page (so a summary should point to them, not repeat them). */
export const shownAtField = (path: string) =>
  /^(variables|config|examples)(\.|$)/.test(path) || path === "template" || /^template\.\d+\.name$/.test(path);
