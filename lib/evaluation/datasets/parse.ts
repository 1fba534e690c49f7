// Dataset items from JSON ({items: [...]}), CSV and JSONL, and back out as CSV and JSONL. Pure.
//
// Every format yields the same item shape: {input: {<variable>: value}, expected?, tags, metadata}.
// Parsing is all-or-nothing: every bad row is reported (row number and why), and the caller stores
// nothing when there is one. Row numbers count items from 1: the n-th element of `items`, the n-th data
// line of a CSV (the header is not counted), the n-th line of a JSONL file (blank lines count too, so
// the number is the line an editor shows).
//
// CSV: one column per variable, plus the reserved columns `expected`, `tags` (split on ";") and
// `metadata` (a JSON object). An empty cell means "not set". When the dataset is tied to a prompt,
// a cell is parsed against the variable's declared type: number ("3.5"), boolean (true/false, yes/no,
// 1/0), json (JSON text); string cells stay text. Columns of undeclared variables stay text. An
// `expected` cell holding a JSON object or array is parsed as JSON; anything else is text.
//
// The item checks are in item-check.ts, CSV in csv.ts; JSON and JSONL are here.
import {
  collect,
  isObject,
  type DeclaredVariable,
  type ExportItem,
  type ParseResult,
  type RowError,
} from "./item-check";

export {
  checkItem,
  itemPatchSchema,
  itemSchema,
  maxItemsPerUpload,
  reservedColumns,
  type DatasetItemInput,
  type DeclaredVariable,
  type ExportItem,
  type ParseResult,
  type RowError,
} from "./item-check";
export { itemsToCsv, neutraliseFormula, parseCell, parseCsvItems, restoreFormula } from "./csv";

/** `{items: [...]}` (or a bare array). */
export function parseJsonItems(body: unknown, vars?: readonly DeclaredVariable[]): ParseResult {
  const list = Array.isArray(body) ? body : isObject(body) ? body.items : undefined;
  if (!Array.isArray(list))
    return {
      ok: false,
      errors: [{ row: 0, field: "items", message: "items must be a list of {input, expected?, tags?, metadata?}" }],
      rows: 0,
    };
  return collect(
    list.map((raw, i) => [i + 1, raw] as [number, unknown]),
    vars,
  );
}

/** One JSON object per line. */
export function parseJsonlItems(text: string, vars?: readonly DeclaredVariable[]): ParseResult {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const parsed: [number, unknown][] = [];
  const errors: RowError[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      parsed.push([i + 1, JSON.parse(line)]);
    } catch (e) {
      errors.push({ row: i + 1, message: `not valid JSON: ${(e as Error).message}` });
    }
  });
  const r = collect(parsed, vars);
  if (!errors.length) return r;
  const all = [...errors, ...(r.ok ? [] : r.errors)].sort((a, b) => a.row - b.row);
  return { ok: false, errors: all, rows: parsed.length + errors.length };
}

export function itemsToJsonl(items: readonly ExportItem[]): string {
  return (
    items
      .map((it) =>
        JSON.stringify({
          id: it.id,
          input: it.input,
          ...(it.expected !== undefined && it.expected !== null && { expected: it.expected }),
          tags: it.tags,
          metadata: it.metadata,
        }),
      )
      .join("\n") + (items.length ? "\n" : "")
  );
}
