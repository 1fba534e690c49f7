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
import { findUnsafeValue } from "../../input-safety";
import Papa from "papaparse";
import { z } from "zod";
import { valueMatchesType, type VariableType } from "../../registry/content-model";

export interface DatasetItemInput {
  input: Record<string, unknown>;
  expected?: unknown;
  tags: string[];
  metadata: Record<string, unknown>;
}

export interface RowError {
  row: number;
  field?: string;
  message: string;
}

export interface DeclaredVariable {
  name: string;
  type: VariableType;
  required: boolean;
  hasDefault: boolean;
}

export type ParseResult = { ok: true; items: DatasetItemInput[] } | { ok: false; errors: RowError[]; rows: number };

export const maxItemsPerUpload = 50_000;
export const reservedColumns = ["expected", "tags", "metadata"] as const;

const variableName = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const tagSchema = z
  .string({ error: "tags must be strings" })
  .trim()
  .min(1, "tags must not be empty")
  .max(100, "tags must be at most 100 characters");

export const itemSchema = z.strictObject(
  {
    input: z.record(
      z.string().regex(variableName, "input keys must be variable names (letters, digits, _)"),
      z.unknown(),
      {
        error: "input must be an object of variable values",
      },
    ),
    expected: z.unknown().optional(),
    tags: z
      .array(tagSchema, { error: "tags must be a list of strings" })
      .max(50, "tags must have at most 50 entries")
      .default([]),
    metadata: z.record(z.string(), z.unknown(), { error: "metadata must be an object" }).default({}),
    // Exports carry the item id; it is ignored on import (an imported item is a new item).
    id: z.string().optional(),
  },
  {
    error: (iss) =>
      iss.code === "unrecognized_keys"
        ? `${iss.keys.join(", ")} ${iss.keys.length === 1 ? "is not an item field" : "are not item fields"} (input, expected, tags, metadata)`
        : undefined,
  },
);

export const itemPatchSchema = itemSchema
  .omit({ id: true })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change: give input, expected, tags or metadata");

const maxItemBytes = 1_000_000;

/** Checks an item's values against the prompt's declared variables. */
function checkVariables(
  item: DatasetItemInput,
  vars: readonly DeclaredVariable[] | undefined,
  row: number,
  errors: RowError[],
) {
  if (!vars) return;
  for (const v of vars) {
    const value = item.input[v.name];
    if (value === undefined || value === null) {
      if (v.required && !v.hasDefault)
        errors.push({
          row,
          field: `input.${v.name}`,
          message: `input.${v.name} is required by the prompt and missing`,
        });
      continue;
    }
    if (!valueMatchesType(v.type, value))
      errors.push({
        row,
        field: `input.${v.name}`,
        message: `input.${v.name} must be a ${v.type} (the prompt declares it so)`,
      });
  }
}

/** Validates one raw item (from JSON or a JSONL line). */
export function checkItem(
  raw: unknown,
  row: number,
  vars?: readonly DeclaredVariable[],
): { item?: DatasetItemInput; errors: RowError[] } {
  const r = itemSchema.safeParse(raw);
  if (!r.success) {
    return {
      errors: r.error.issues.map((i) => {
        const field = i.path.map(String).join(".") || undefined;
        const named = field && i.message.startsWith(field.split(".")[0]!);
        return { row, ...(field && { field }), message: named || !field ? i.message : `${field}: ${i.message}` };
      }),
    };
  }
  const item: DatasetItemInput = { input: r.data.input, tags: [...new Set(r.data.tags)], metadata: r.data.metadata };
  if (r.data.expected !== undefined && r.data.expected !== null) item.expected = r.data.expected;
  const errors: RowError[] = [];
  if (JSON.stringify(item).length > maxItemBytes)
    errors.push({ row, message: `the item is larger than ${maxItemBytes} bytes` });
  checkVariables(item, vars, row, errors);
  return errors.length ? { errors } : { item, errors };
}

function collect(raws: Iterable<[row: number, raw: unknown]>, vars?: readonly DeclaredVariable[]): ParseResult {
  const items: DatasetItemInput[] = [];
  const errors: RowError[] = [];
  let rows = 0;
  for (const [row, raw] of raws) {
    rows++;
    // Nesting and NUL characters, as every API body is checked (lib/input-safety.ts): text uploads
    // (JSONL, CSV cells) are parsed here, after the body check, so they are checked here too.
    const unsafe = findUnsafeValue(raw, "item");
    if (unsafe) {
      errors.push({ row, field: String(unsafe.details?.field ?? "item"), message: unsafe.message });
      continue;
    }
    const r = checkItem(raw, row, vars);
    if (r.item) items.push(r.item);
    errors.push(...r.errors);
  }
  return finish(items, errors, rows);
}

function finish(items: DatasetItemInput[], errors: RowError[], rows: number): ParseResult {
  if (rows === 0 && errors.length === 0) errors.push({ row: 0, message: "no items: the upload is empty" });
  if (rows > maxItemsPerUpload)
    errors.push({ row: 0, message: `at most ${maxItemsPerUpload} items per upload (got ${rows}); split the file` });
  return errors.length ? { ok: false, errors, rows } : { ok: true, items };
}

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

const truthy = new Set(["true", "yes", "1", "y"]);
const falsy = new Set(["false", "no", "0", "n"]);

/** A CSV cell as a value of the declared type; throws a message naming what was expected. */
export function parseCell(cell: string, type: VariableType | undefined): unknown {
  switch (type) {
    case undefined:
    case "string":
      return cell;
    case "number": {
      const n = Number(cell.trim());
      if (cell.trim() === "" || !Number.isFinite(n)) throw new Error(`must be a number, got ${JSON.stringify(cell)}`);
      return n;
    }
    case "boolean": {
      const v = cell.trim().toLowerCase();
      if (truthy.has(v)) return true;
      if (falsy.has(v)) return false;
      throw new Error(`must be true or false, got ${JSON.stringify(cell)}`);
    }
    case "json":
      try {
        return JSON.parse(cell);
      } catch {
        throw new Error(`must be JSON, got ${JSON.stringify(cell.length > 40 ? `${cell.slice(0, 39)}…` : cell)}`);
      }
  }
}

function parseExpected(cell: string): unknown {
  const t = cell.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return cell;
    }
  }
  return cell;
}

export function parseCsvItems(text: string, vars?: readonly DeclaredVariable[]): ParseResult {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""), { skipEmptyLines: "greedy" });
  const [header, ...rows] = parsed.data;
  if (!header || header.length === 0)
    return { ok: false, errors: [{ row: 0, message: "the CSV has no header row" }], rows: 0 };
  const columns = header.map((h) => h.trim());
  const errors: RowError[] = [];
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (c === "")
      errors.push({ row: 0, field: `column ${i + 1}`, message: `column ${i + 1} has no name in the header` });
    else if (!(reservedColumns as readonly string[]).includes(c) && !variableName.test(c))
      errors.push({
        row: 0,
        field: c,
        message: `column "${c}" is not a variable name (letters, digits, _) nor one of ${reservedColumns.join(", ")}`,
      });
    if (seen.has(c)) errors.push({ row: 0, field: c, message: `column "${c}" appears twice` });
    seen.add(c);
  });
  if (errors.length) return { ok: false, errors, rows: rows.length };
  // Papaparse reports quoting problems per data row (row index counts the header).
  const badRows = new Map<number, string>();
  for (const e of parsed.errors) if (e.row !== undefined && e.row > 0) badRows.set(e.row, `${e.message}`);
  const types = new Map(vars?.map((v) => [v.name, v.type]));
  const raws: [number, unknown][] = [];
  rows.forEach((cells, i) => {
    const row = i + 1;
    const bad = badRows.get(row);
    if (bad) return void errors.push({ row, message: `CSV: ${bad}` });
    if (cells.length !== columns.length)
      return void errors.push({ row, message: `has ${cells.length} cells; the header has ${columns.length} columns` });
    const input: Record<string, unknown> = {};
    const item: Record<string, unknown> = { input };
    columns.forEach((c, j) => {
      const cell = restoreFormula(cells[j]!);
      if (cell === "") return;
      if (c === "expected") item.expected = parseExpected(cell);
      else if (c === "tags")
        item.tags = cell
          .split(";")
          .map((t) => t.trim())
          .filter(Boolean);
      else if (c === "metadata") {
        try {
          item.metadata = JSON.parse(cell);
        } catch {
          errors.push({ row, field: "metadata", message: "metadata must be a JSON object" });
        }
      } else {
        try {
          input[c] = parseCell(cell, types.get(c));
        } catch (e) {
          errors.push({ row, field: `input.${c}`, message: `input.${c} ${(e as Error).message}` });
        }
      }
    });
    raws.push([row, item]);
  });
  const r = collect(raws, vars);
  const all = [...errors, ...(r.ok ? [] : r.errors)].sort((a, b) => a.row - b.row);
  if (!all.length && r.ok) return r;
  return { ok: false, errors: all, rows: rows.length };
}

export interface ExportItem {
  id: string;
  input: Record<string, unknown>;
  expected?: unknown;
  tags: string[];
  metadata: Record<string, unknown>;
}

// Spreadsheets run a cell that starts with = + - @, a tab or a CR as a formula (CSV injection: an
// exported output that a runtime key sent could open a link or run a command). Such a cell is written
// with a leading ' (shown as text), and so is one that already starts with quotes before one of them,
// so reading strips exactly one quote and every value comes back as it was.
const formulaStart = /^'*[=+\-@\t\r]/;
export const neutraliseFormula = (cell: string) => (formulaStart.test(cell) ? `'${cell}` : cell);
export const restoreFormula = (cell: string) =>
  cell.startsWith("'") && formulaStart.test(cell) ? cell.slice(1) : cell;

const cellOf = (v: unknown) =>
  neutraliseFormula(v === undefined || v === null ? "" : typeof v === "string" ? v : JSON.stringify(v));

/** CSV with one column per variable seen (in first-seen order), then expected, tags, metadata. Reimports as the same items. */
export function itemsToCsv(items: readonly ExportItem[]): string {
  const vars: string[] = [];
  const known = new Set<string>();
  for (const it of items) for (const k of Object.keys(it.input)) if (!known.has(k)) (known.add(k), vars.push(k));
  const fields = [...vars, "expected", "tags", "metadata"];
  const data = items.map((it) => [
    ...vars.map((v) => cellOf(it.input[v])),
    cellOf(it.expected),
    neutraliseFormula(it.tags.join(";")),
    Object.keys(it.metadata).length ? neutraliseFormula(JSON.stringify(it.metadata)) : "",
  ]);
  return Papa.unparse({ fields, data }, { newline: "\n" }) + "\n";
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
