// Scorers: a spec (validated by scorerSpecSchema) applied to an output gives {score ∈ [0, 1], reason};
// aggregateScores turns per-item outcomes into run scores with per-scorer and per-tag breakdowns.
export {
  defaultScorers,
  defaultThresholds,
  deterministicTypes,
  parseScorerSpecs,
  scorerListSchema,
  scorerSpecSchema,
  scorerTypes,
  type NamedScorerSpec,
  type ScorerSpec,
  type ScorerSpecInput,
  type ScorerType,
  type SpecOf,
} from "./spec";
export type {
  PairwiseOrder,
  PairwiseSide,
  ScoreResult,
  ScorerDeps,
  ScorerModels,
  ScorerOutcome,
  ScoringContext,
} from "./types";
export {
  erroredOutcomes,
  isDeterministic,
  runScorer,
  runScorerSync,
  scoreDeterministic,
  scoreItem,
  scoreItemSync,
} from "./run";
export {
  aggregateScores,
  combineOutcomes,
  unscoredScorers,
  type ItemScore,
  type ItemVerdict,
  type RunSummary,
  type ScoredItem,
  type ScorerSummary,
  type TagSummary,
} from "./run-scores";
export { pairedVerdict, pairRuns, type PairedRuns, type PairedScore, type RunUnit } from "./paired-runs";
export { signTest, tallyPairwise, type PairwiseTally } from "./pairwise-tally";
export {
  itemSpreads,
  runStatistics,
  type ItemSpread,
  type RunStatistics,
  type StoredRunSummary,
} from "./run-statistics";
export { createScorerModels } from "./scorer-models";
export { levenshteinDistance, levenshteinSimilarity, normalize, countWords, countChars } from "./text-scorers";
export { parseJsonOutput, valueAtPath } from "./json-scorers";
export { detectRefusal, refusalPatterns } from "./safety";
export { cosineSimilarity } from "./similarity";
export { checkPattern } from "./regex-safety";
