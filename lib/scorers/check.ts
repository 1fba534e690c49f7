// Every problem with a list of scorer specs at once, by row and option, for the scorer form. The same
// schema as parseScorerSpecs, which stops at the first repeated name; the form shows them all.
import type { ScorerIssue } from "./form";
import { scorerListSchema } from "./spec";

export function scorerIssues(list: unknown): ScorerIssue[] {
  const result = scorerListSchema.safeParse(list);
  if (!result.success)
    return result.error.issues.map((i) => {
      const [row, field] = i.path;
      return {
        row: typeof row === "number" ? row : null,
        field: typeof row === "number" && typeof field === "string" ? field : null,
        message: i.message,
      };
    });
  const issues: ScorerIssue[] = [];
  const seen = new Set<string>();
  result.data.forEach((spec, row) => {
    if (spec.name === undefined) return;
    if (seen.has(spec.name))
      issues.push({ row, field: "name", message: `name repeats "${spec.name}"; scorer names must be unique` });
    seen.add(spec.name);
  });
  return issues;
}
