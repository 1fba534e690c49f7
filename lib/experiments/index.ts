// Public API of lib/experiments: pure functions for assignment, statistics and bandits. The resolve path
// and the SDK should import ./assign directly: it has no dependencies, while this index pulls in @stdlib.
export { bucketRanges, chooseVariation, equalWeights, fnv1a32, hash, type BucketRange } from "./hash";
export { assign, compileAssignment, type AssignFn, type Assignment, type AssignmentDefinition } from "./assign";
export {
  combine,
  describeArm,
  fromValues,
  mean,
  metricVariance,
  sampleVariance,
  type MetricKind,
  type SufficientStats,
} from "./summary";
export { twoProportionTest, welchDf, welchTTest, type FixedTestResult } from "./fixed-horizon";
export { chanceToWin, relativeLift, type ArmMoments, type Estimate, type NormalPrior } from "./lift";
export {
  alwaysValidPValue,
  csHalfwidth,
  DEFAULT_PLANNED_TOTAL,
  sequentialRho,
  sequentialTest,
  type SequentialResult,
} from "./sequential";
export { sampleSizePerArm, type SampleSizeInput } from "./sample-size";
export { srmCheck, SRM_MIN_PER_ARM, SRM_THRESHOLD, type SrmResult } from "./srm";
export { holm } from "./multiple-testing";
export { compareArms, type CompareOptions, type Goal, type MetricComparison } from "./compare";
export {
  analyze,
  type AnalysisDefinition,
  type AnalyzeOptions,
  type ArmInput,
  type ArmSummary,
  type ExperimentMode,
  type ExperimentResults,
  type GuardrailCheck,
  type GuardrailDirection,
} from "./analyze";
export { formatCount, formatP, formatPercent } from "./verdict";
export {
  applyFloor,
  banditReweight,
  DEFAULT_BURN_IN,
  DEFAULT_DRAWS,
  DEFAULT_FLOOR,
  probabilityBest,
  ucb1Indices,
  WINNER_THRESHOLD,
  type BanditOptions,
  type BanditResult,
  type PosteriorOptions,
} from "./bandits";
export { generators, toSeed, type Generators, type Seed } from "./random";
export {
  simulateAA,
  simulateBandit,
  type AASimulationOptions,
  type AASimulationResult,
  type BanditSimulationOptions,
  type BanditSimulationResult,
  type PolicyOutcome,
} from "./simulate";
