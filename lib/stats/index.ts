// Public API of lib/stats: pure statistics, hashing and seeded randomness. A leaf domain: it imports no other
// lib domain (eslint.config.mjs enforces it), so experiments, evaluation and bench can all build on it.
export { bucketRanges, chooseVariation, equalWeights, fnv1a32, hash, type BucketRange } from "./hash";
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
export {
  cuped,
  type CupedArm,
  type CupedComparison,
  type CupedOptions,
  type CupedResult,
  type CupedSubject,
} from "./cuped";
export {
  meanInterval,
  pairedComparison,
  passAtK,
  passHatK,
  runPassAtK,
  type MeanInterval,
  type PairedResult,
} from "./paired";
export {
  cohenKappa,
  confusionTable,
  kappaLabel,
  spearman,
  type Confusion,
  type KappaResult,
  type KappaWeights,
} from "./agreement";
