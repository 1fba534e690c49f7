// What changed between two versions, in sentences for people who edit prompts rather than code:
// "Template: 1 line changed, 2 added", "New variable order_id (text, required, no default)". The
// stored ContentDiff.summary stays as it is (API clients read it); the UI shows these. Pure.
import { mustBeSent } from "./compat";
import type { Variable } from "../content";
import {
  examplesChanged,
  lineCounts,
  type ConfigChange,
  type ContentDiff,
  type PieceDiff,
  type VariableChange,
} from "./diff";
import { formatValue, plainValue } from "../json";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const settingLabels: Record<string, string> = {
  provider: "Provider",
  model: "Model",
  temperature: "Temperature",
  maxTokens: "Max tokens",
  topP: "Top p",
  stop: "Stop sequences",
  responseFormat: "Response format",
  tools: "Tools",
};

/** "Temperature", or "Response format › schema.type" for a nested setting. */
export function settingLabel(path: string): string {
  const [head = path, ...rest] = path.split(".");
  const label = settingLabels[head] ?? head;
  return rest.length ? `${label} › ${rest.join(".")}` : label;
}

function pieceTitle(p: PieceDiff, index: number): string {
  if (p.file !== undefined) return `File ${p.file}`;
  if (p.key.endsWith("(placeholder)")) return `Message ${index + 1} (placeholder)`;
  if (!p.roles) return "Template";
  const { before, after } = p.roles;
  return `Message ${index + 1} (${after ?? before})`;
}

/** "1 line changed, 2 added": a removed line facing an added one reads as one changed line. */
export function lineChanges(p: PieceDiff): string {
  const { added, removed } = lineCounts(p);
  const changed = Math.min(added, removed);
  // With changed > 0 at most one of the two rests is non-zero; with changed = 0 at most one count is.
  if (changed)
    return [
      `${plural(changed, "line")} changed`,
      ...(added > changed ? [`${added - changed} added`] : []),
      ...(removed > changed ? [`${removed - changed} removed`] : []),
    ].join(", ");
  if (added) return `${plural(added, "line")} added`;
  if (removed) return `${plural(removed, "line")} removed`;
  return "line break at the end changed";
}

function describePiece(p: PieceDiff, index: number): string | undefined {
  if (p.status === "unchanged") return undefined;
  const title = pieceTitle(p, index);
  if (p.status === "added") return `${title} added`;
  if (p.status === "removed") return `${title} removed`;
  const parts: string[] = [];
  // A message that became a placeholder (or the reverse) has a role on one side only.
  if (p.roles && p.roles.before !== p.roles.after)
    parts.push(`role ${p.roles.before ?? "placeholder"} → ${p.roles.after ?? "placeholder"}`);
  if (p.before !== p.after) parts.push(lineChanges(p));
  return `${title}: ${parts.join("; ")}`;
}

/** "text, required, no default" / "number, optional" / "text, default "Acme"". */
export function variableTraits(v: Pick<Variable, "type" | "required" | "default">): string {
  if (v.default !== undefined) return `${v.type}, default ${formatValue(v.default)}`;
  return mustBeSent(v) ? `${v.type}, required, no default` : `${v.type}, optional`;
}

function describeVariable(c: VariableChange): string {
  if (c.change === "added" && c.after) return `New variable ${c.name} (${variableTraits(c.after)})`;
  if (c.change === "removed") return `Variable ${c.name} removed`;
  const b = c.before!;
  const a = c.after!;
  const parts = (c.fields ?? []).map((f) => {
    if (f === "type") return `type ${b.type} → ${a.type}`;
    if (f === "required") return a.required ? "now required" : "now optional";
    if (f === "default")
      return a.default === undefined
        ? "default removed"
        : b.default === undefined
          ? `default ${formatValue(a.default)} added`
          : `default ${formatValue(b.default)} → ${formatValue(a.default)}`;
    if (f === "schema") return a.schema === undefined ? "schema removed" : b.schema ? "schema changed" : "schema added";
    return "description changed";
  });
  return `Variable ${c.name}: ${parts.join(", ")}`;
}

function describeSetting(c: ConfigChange): string {
  const label = settingLabel(c.path);
  if (c.before === undefined) return `${label} set to ${plainValue(c.after)}`;
  if (c.after === undefined) return `${label} removed (was ${plainValue(c.before)})`;
  return `${label} ${plainValue(c.before)} → ${plainValue(c.after)}`;
}

/** Every change of a diff as a sentence, template first, then variables, settings and examples. */
export function describeDiff(diff: ContentDiff): string[] {
  const out: string[] = [];
  if (diff.typeChanged) {
    const toChat = diff.pieces.some((p) => p.status === "added" && p.roles);
    out.push(
      toChat
        ? "Changed from a text prompt to a chat prompt (a list of messages)"
        : "Changed from a chat prompt to a single text",
    );
  }
  // Under a type change the old pieces are all removed and the new ones added: number each side apart.
  const removedCount = diff.typeChanged ? diff.pieces.filter((p) => p.status === "removed").length : 0;
  diff.pieces.forEach((p, i) => {
    const line = describePiece(p, p.status === "added" ? i - removedCount : i);
    if (line) out.push(line);
  });
  for (const v of diff.variables) out.push(describeVariable(v));
  for (const c of diff.config) out.push(describeSetting(c));
  if (examplesChanged(diff)) {
    const counts = diff.summary.map((s) => /^examples (\d+) → (\d+)$/.exec(s)).find(Boolean);
    out.push(counts ? `Few-shot examples: ${counts[1]} → ${counts[2]}` : "Few-shot examples edited");
  }
  return out;
}
