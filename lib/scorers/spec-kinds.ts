// The scorer types, which of them need no model, and the pass mark of each when a spec sets none.
export const scorerTypes = [
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
  "embedding_similarity",
  "llm_judge",
  "consistency",
] as const;
export type ScorerType = (typeof scorerTypes)[number];

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

/**
 * The pass mark when a spec sets no threshold: binary checks must score 1; levenshtein 0.8; embedding
 * similarity 0.75 (promptfoo's default); llm_judge 0.5 (3 of 5, or a tie in pairwise mode); consistency 0.8.
 */
export const defaultThresholds: Record<ScorerType, number> = {
  exact_match: 1,
  contains: 1,
  not_contains: 1,
  regex: 1,
  json_valid: 1,
  json_schema: 1,
  required_fields: 1,
  length: 1,
  safety: 1,
  levenshtein: 0.8,
  embedding_similarity: 0.75,
  llm_judge: 0.5,
  consistency: 0.8,
};
