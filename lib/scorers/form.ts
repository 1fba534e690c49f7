// What the scorer form needs besides each type's description (type-info.ts): the list operations and
// the JSON view's parser. Pure and free of spec.ts's runtime imports (Ajv, RE2), so the browser can load
// it: the specs themselves are checked on the server (check.ts), where a JSON Schema can be compiled.
import type { ScorerType } from "./spec";
import { isScorerType, typeInfo } from "./type-info";

export {
  defaultPassMarks,
  fromExpected,
  isScorerType,
  scorerTypeList,
  typeInfo,
  type OptionField,
  type TypeInfo,
} from "./type-info";

/** A scorer spec as the form holds it: plain JSON, possibly not valid yet. */
export type UncheckedSpec = Record<string, unknown> & { type: string };

/** A new scorer of a type, with what it cannot do without (empty text fields are left for the person). */
export function starterSpec(type: ScorerType, judgeModel: string): UncheckedSpec {
  switch (type) {
    case "regex":
      return { type, pattern: "" };
    case "json_schema":
      return { type, schema: { type: "object", required: ["answer"] } };
    case "required_fields":
      return { type, fields: [] };
    case "length":
      return { type, min: 1 };
    case "llm_judge":
      return { type, rubric: "", model: judgeModel };
    case "embedding_similarity":
      return { type, model: "text-embedding-3-small" };
    default:
      return { type };
  }
}

/**
 * The spec with another type: its weight stays. The old type's options go, and so do its name (presets
 * name scorers after what they check: a "non_empty" that checks words would mislead) and its pass mark
 * (each type has its own scale: 1 for a check, 0.5 for a judge).
 */
export function changeType(spec: UncheckedSpec, type: ScorerType, judgeModel: string): UncheckedSpec {
  return { ...starterSpec(type, judgeModel), ...(spec.weight === undefined ? {} : { weight: spec.weight }) };
}

/** The spec with one option set, or removed when `value` is undefined. */
export function setOption(spec: UncheckedSpec, key: string, value: unknown): UncheckedSpec {
  const next: UncheckedSpec = { ...spec };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

/** The list with item `i` moved by `delta` places (clamped to the ends). */
export function move<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = Math.max(0, Math.min(list.length - 1, i + delta));
  const out = [...list];
  const [item] = out.splice(i, 1);
  out.splice(j, 0, item!);
  return out;
}

export const scorersToJson = (list: readonly UncheckedSpec[]) => JSON.stringify(list, null, 2);

export type ParsedScorersJson = { ok: true; list: UncheckedSpec[] } | { ok: false; message: string };

/** Line and column (from 1) of a character position in text. */
function locate(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split("\n");
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

/**
 * The JSON view's text as a list of specs, or a message that says where it goes wrong ("Line 3, column
 * 5: …"). Whether each spec is valid is the server's check; here only the shape the form can show.
 */
export function parseScorersJson(text: string): ParsedScorersJson {
  if (!text.trim()) return { ok: true, list: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const at = /at position (\d+)/.exec(raw);
    const message = raw.replace(/\s*in JSON at position \d+.*$/s, "").replace(/^JSON\.parse: /, "");
    if (!at) return { ok: false, message: `The JSON is not valid: ${message}` };
    const { line, column } = locate(text, Number(at[1]));
    return { ok: false, message: `Line ${line}, column ${column}: ${message}` };
  }
  if (!Array.isArray(value))
    return { ok: false, message: 'The JSON must be a list of scorers, like [{"type": "safety"}].' };
  for (const [i, s] of value.entries())
    if (typeof s !== "object" || s === null || Array.isArray(s) || typeof (s as UncheckedSpec).type !== "string")
      return { ok: false, message: `Scorer ${i + 1} must be an object with a "type".` };
  return { ok: true, list: value as UncheckedSpec[] };
}

/** Whether two lists are the same JSON (the JSON view resyncs its text only when they differ). */
export const sameList = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A problem with the list found by the server's check: its row (from 0) and option, when it has them. */
export type ScorerIssue = { row: number | null; field: string | null; message: string };

/** The options a row of this type shows (its type's, plus the ones every scorer has). */
export const shownFields = (type: string): string[] => [
  "type",
  "name",
  "weight",
  "threshold",
  ...(isScorerType(type) ? typeInfo[type].options.map((o) => o.key) : []),
];

/**
 * Issues arranged for the form: at the option they are about when the row shows that option, else at
 * the row, else (no row) about the whole list.
 */
export function arrangeIssues(issues: readonly ScorerIssue[], list: readonly UncheckedSpec[]) {
  const fields = new Map<string, string>();
  const rows = new Map<number, string[]>();
  const general: string[] = [];
  for (const i of issues) {
    const shown = i.row !== null && i.field !== null && shownFields(list[i.row]?.type ?? "").includes(i.field);
    if (i.row === null) general.push(i.message);
    else if (shown && !fields.has(`${i.row}.${i.field}`)) fields.set(`${i.row}.${i.field}`, i.message);
    else if (!shown) rows.set(i.row, [...(rows.get(i.row) ?? []), i.message]);
  }
  return {
    field: (row: number, key: string) => fields.get(`${row}.${key}`),
    row: (row: number) => rows.get(row) ?? [],
    general,
  };
}
