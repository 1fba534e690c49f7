// A gate's own scorers. A run counts for a gate (and for auto-promote) only when it was made with
// exactly the gate's scorer specs: otherwise anyone who may start a run could pass the gate with a
// scorer of their choosing (`{"type": "length", "max": 1000000}` scores every answer 1).
import { AppError } from "../errors";
import { defaultScorers, parseScorerSpecs } from "./spec";

/**
 * Validates and normalises scorer specs as runs store them (names, weights and thresholds filled in).
 * A pairwise judge compares a run with a baseline run, which a gate's runs do not name: a gate says
 * "not worse than the live version" with `mode: "paired"` instead.
 */
export function normalizeGateScorers(specs: unknown): unknown[] {
  const parsed = parseScorerSpecs(specs ?? defaultScorers, "evaluationGate.scorers");
  const i = parsed.findIndex((s) => s.type === "llm_judge" && s.mode === "pairwise");
  if (i >= 0)
    throw new AppError(
      "invalid_input",
      `evaluationGate.scorers[${i}]: a gate cannot use a pairwise judge (it needs a baseline run); use evaluationGate.mode "paired" to refuse a version worse than the live one`,
      { field: `evaluationGate.scorers[${i}]` },
    );
  return parsed as unknown[];
}

/** JSON with object keys sorted, so that two specs equal as values compare equal as text. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/** Whether a run's stored scorer specs are exactly the gate's (order matters: it is the run's own order). */
export function sameScorers(run: unknown, gate: unknown): boolean {
  return gate !== null && gate !== undefined && canonical(run) === canonical(gate);
}
