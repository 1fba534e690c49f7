// Shared by tests of inputs refused field by field: each case's input is refused as invalid_input naming its field.
import { expect } from "vitest";
import { failure } from "./domain-fixtures";

/** Runs `act` on each case's input and expects invalid_input naming the case's field (a mismatch names the input). */
export async function expectRefusedFields(act: (input: unknown) => Promise<unknown>, cases: [unknown, string][]) {
  for (const [input, field] of cases) {
    const e = await failure(act(input));
    expect([e.code, (e.details as { field?: string }).field], JSON.stringify(input)).toEqual(["invalid_input", field]);
  }
}
