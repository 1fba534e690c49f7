// One dataset item, checked: its shape (zod), its size, and its values against the prompt's declared
// variables. `collect` checks a whole upload all-or-nothing, every bad row reported with its number.
import { findUnsafeValue } from "../../input-safety";
import { z } from "zod";
import { valueMatchesType, type VariableType } from "../../registry/content-model";
import { schemaValueProblem } from "../../registry/templates/variable-schema";

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
  /** The variable's JSON Schema, when it declares one: a value must fit it as it must at resolve. */
  schema?: Record<string, unknown>;
}

export type ParseResult = { ok: true; items: DatasetItemInput[] } | { ok: false; errors: RowError[]; rows: number };

export const maxItemsPerUpload = 50_000;
export const reservedColumns = ["expected", "tags", "metadata"] as const;

export const variableName = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

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
    const off = v.schema && valueMatchesType(v.type, value) ? schemaValueProblem(v.name, v.schema, value) : null;
    if (!valueMatchesType(v.type, value))
      errors.push({
        row,
        field: `input.${v.name}`,
        message: `input.${v.name} must be a ${v.type} (the prompt declares it so)`,
      });
    else if (off)
      errors.push({
        row,
        field: `input.${off.path}`,
        message: `input.${off.path} ${off.message} (the prompt's schema)`,
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

export function collect(raws: Iterable<[row: number, raw: unknown]>, vars?: readonly DeclaredVariable[]): ParseResult {
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

export function finish(items: DatasetItemInput[], errors: RowError[], rows: number): ParseResult {
  if (rows === 0 && errors.length === 0) errors.push({ row: 0, message: "no items: the upload is empty" });
  if (rows > maxItemsPerUpload)
    errors.push({ row: 0, message: `at most ${maxItemsPerUpload} items per upload (got ${rows}); split the file` });
  return errors.length ? { ok: false, errors, rows } : { ok: true, items };
}

export interface ExportItem {
  id: string;
  input: Record<string, unknown>;
  expected?: unknown;
  tags: string[];
  metadata: Record<string, unknown>;
}
