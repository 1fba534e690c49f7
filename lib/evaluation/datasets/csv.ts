// Dataset items as CSV, in and out: one column per variable, plus the reserved columns `expected`,
// `tags` (split on ";") and `metadata` (a JSON object); cells typed by the prompt's declared variables;
// spreadsheet formulas neutralised on the way out and restored on the way in.
import Papa from "papaparse";
import { imageUrlProblem, maxImageBytes } from "../../registry/content-parts";
import type { VariableType } from "../../registry/content-model";
import {
  collect,
  reservedColumns,
  variableName,
  type DeclaredVariable,
  type ExportItem,
  type ParseResult,
  type RowError,
} from "./item-check";

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
    case "image": {
      const problem = imageUrlProblem(cell.trim(), maxImageBytes);
      if (problem) throw new Error(`must be an image (an https: URL or a data:image URL): ${problem}`);
      return cell.trim();
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
