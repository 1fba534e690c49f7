// Dispatch: one spec + one context → one outcome. Deterministic scorers are available synchronously
// (online evaluation scores thousands of samples per second with them); model-backed ones are async
// and get their models injected. No scorer failure escapes: it becomes an outcome with `error`.
import { AppError } from "../errors";
import { combineOutcomes, type ItemScore } from "./run-scores";
import { scoreJsonSchema, scoreJsonValid, scoreRequiredFields } from "./json-scorers";
import { scoreLlmJudge } from "./judge";
import { scoreSafety } from "./safety";
import { scoreConsistency, scoreEmbeddingSimilarity } from "./similarity";
import { deterministicTypes, type NamedScorerSpec, type ScorerSpec, type ScorerType, type SpecOf } from "./spec";
import { scoreContains, scoreExactMatch, scoreLength, scoreLevenshtein, scoreRegex } from "./text-scorers";
import {
  clamp01,
  errorResult,
  type ScoreResult,
  type ScorerDeps,
  type ScorerOutcome,
  type ScoringContext,
} from "./types";

export const isDeterministic = (type: ScorerType) => (deterministicTypes as readonly string[]).includes(type);

type DeterministicType = (typeof deterministicTypes)[number];

/** Each deterministic type's scorer. */
const deterministicScorers: { [T in DeterministicType]: (spec: SpecOf<T>, ctx: ScoringContext) => ScoreResult } = {
  exact_match: scoreExactMatch,
  contains: scoreContains,
  not_contains: scoreContains,
  regex: scoreRegex,
  json_valid: scoreJsonValid,
  json_schema: scoreJsonSchema,
  required_fields: scoreRequiredFields,
  length: scoreLength,
  safety: scoreSafety,
  levenshtein: scoreLevenshtein,
};

/** Scores with a deterministic scorer; throws AppError invalid_input for a model-backed type. */
export function scoreDeterministic(spec: ScorerSpec, ctx: ScoringContext): ScoreResult {
  if (!isDeterministic(spec.type))
    throw new AppError(
      "invalid_input",
      `${spec.type} calls a model and cannot be scored synchronously; use runScorer`,
      { field: "type" },
    );
  const score = deterministicScorers[spec.type as DeterministicType] as (
    s: ScorerSpec,
    c: ScoringContext,
  ) => ScoreResult;
  return score(spec, ctx);
}

function outcome(spec: NamedScorerSpec, result: ScoreResult): ScorerOutcome {
  const score = clamp01(result.score);
  return {
    ...result,
    name: spec.name,
    type: spec.type,
    weight: spec.weight,
    threshold: spec.threshold,
    score,
    passed: result.error === undefined && score >= spec.threshold,
  };
}

const failure = (spec: NamedScorerSpec, e: unknown) =>
  errorResult(`${spec.type} failed: ${e instanceof Error ? e.message : String(e)}`);

/** Every spec's outcome where there was nothing to score (the model call failed): 0, failed, `message` as the reason. */
export const erroredOutcomes = (specs: readonly NamedScorerSpec[], message: string): ScorerOutcome[] =>
  specs.map((s) => ({
    name: s.name,
    type: s.type,
    weight: s.weight,
    threshold: s.threshold,
    score: 0,
    passed: false,
    reason: message,
    error: message,
  }));

/** Runs one scorer (of any type) and applies its threshold. Never throws. */
export async function runScorer(
  spec: NamedScorerSpec,
  ctx: ScoringContext,
  deps: ScorerDeps = {},
): Promise<ScorerOutcome> {
  let result: ScoreResult;
  try {
    switch (spec.type) {
      case "embedding_similarity":
        result = await scoreEmbeddingSimilarity(spec, ctx, deps.models);
        break;
      case "llm_judge":
        result = await scoreLlmJudge(spec, ctx, deps.models);
        break;
      case "consistency":
        result = await scoreConsistency(spec, ctx, deps.models);
        break;
      default:
        result = scoreDeterministic(spec, ctx);
    }
  } catch (e) {
    result = failure(spec, e);
  }
  return outcome(spec, result);
}

/** Synchronous runScorer for deterministic specs only (throws invalid_input for the others). */
export function runScorerSync(spec: NamedScorerSpec, ctx: ScoringContext): ScorerOutcome {
  if (!isDeterministic(spec.type)) return outcome(spec, scoreDeterministic(spec, ctx));
  let result: ScoreResult;
  try {
    result = scoreDeterministic(spec, ctx);
  } catch (e) {
    result = failure(spec, e);
  }
  return outcome(spec, result);
}

/** Runs every scorer on one item (concurrently; model calls queue on their connection's limit). */
export async function scoreItem(
  specs: readonly NamedScorerSpec[],
  ctx: ScoringContext,
  deps: ScorerDeps = {},
): Promise<ItemScore> {
  const results = await Promise.all(specs.map((s) => runScorer(s, ctx, deps)));
  return { ...combineOutcomes(results), results };
}

/** scoreItem for deterministic specs only, without a promise per sample. */
export function scoreItemSync(specs: readonly NamedScorerSpec[], ctx: ScoringContext): ItemScore {
  const results = specs.map((s) => runScorerSync(s, ctx));
  return { ...combineOutcomes(results), results };
}
