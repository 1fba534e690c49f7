// Public API of lib/experiments: assignment and experiment analysis. The statistics it builds on live in
// lib/stats. The resolve path and the SDK should import ./assign directly: it has no dependencies.
export { assign, compileAssignment, type AssignFn, type Assignment, type AssignmentDefinition } from "./assign";
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
} from "./analysis/analyze";
export { formatCount, formatP, formatPercent } from "./number-format";
