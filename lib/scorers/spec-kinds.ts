// The scorer types, which of them need no model, and the pass mark of each when a spec sets none.
/** Types that need no model: pure, synchronous functions of the output and the item. */
export const deterministicTypes = [
  "exact_match",
  "contains",
  "not_contains",
  "regex",
  "json_valid",
  "json_schema",
  "required_fields",
  "length",
  "safety",
  "levenshtein",
] as const;

export const scorerTypes = [...deterministicTypes, "embedding_similarity", "llm_judge", "consistency"] as const;
export type ScorerType = (typeof scorerTypes)[number];

/**
 * The pass mark when a spec sets no threshold: binary checks must score 1; levenshtein 0.8; embedding
 * similarity 0.75 (promptfoo's default); llm_judge 0.5 (3 of 5, or a tie in pairwise mode); consistency 0.8.
 * One table, in type-info.ts, which the scorer form reads too.
 */
export { defaultPassMarks as defaultThresholds } from "./type-info";
