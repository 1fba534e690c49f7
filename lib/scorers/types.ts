// What a scorer sees and what it returns. Deterministic scorers only read the context; the model-backed
// ones (embedding_similarity, llm_judge, consistency) also get a ScorerModels, injected by the caller.
import type { EmbedRequest, EmbedResult, ModelRequest, ModelResult } from "../llm/types";

export interface ScoreResult {
  /** In [0, 1]. */
  score: number;
  /** One or two sentences a person can act on: what was compared and what was found. */
  reason: string;
  /** Set by runScorer from the threshold; scorers leave it out. */
  passed?: boolean;
  /**
   * The scorer could not judge (no expected value, a judge that did not answer, …). The score is then
   * 0 and must not be read as a quality signal: aggregation leaves it out of means and fails the item.
   */
  error?: string;
  /**
   * pairwise llm_judge: the verdict of each order (forward: the output shown first; reverse: the
   * baseline shown first) and the one kept: the same in both orders, else a tie.
   */
  order?: PairwiseOrder;
  /** Model usage spent on scoring (judge and embedding calls), so runs can count its cost. */
  usage?: { inputTokens: number; outputTokens: number; costUsd: number | null };
}

/** Which answer a pairwise judge preferred: the output scored, the baseline, or neither. */
export type PairwiseSide = "output" | "baseline" | "tie";
export type PairwiseOrder = { forward: PairwiseSide; reverse: PairwiseSide; verdict: PairwiseSide };

export interface ScoringContext {
  /** The output being scored. */
  output: string;
  /** The dataset item's expected output: text, or any JSON value. */
  expected?: unknown;
  /** The item's input, shown to the LLM judge: its variables, or (online) the user's message or messages. */
  input?: unknown;
  /**
   * The images the prompt sent to the model (https: or data: URLs, in order). An llm_judge that shows the
   * input attaches them, so it sees what the model saw.
   */
  images?: string[];
  /** pairwise llm_judge: the output to compare against (e.g. the live version's answer to the same item). */
  baseline?: string;
  /** pairwise llm_judge: what the reason calls the two sides (default "output" and "baseline"). */
  sides?: { output: string; baseline: string };
  /** consistency: further outputs of the same item from repeated runs, not including `output`. */
  samples?: string[];
  /** consistency: produces one more output of the same item when `samples` has too few. */
  rerun?: () => Promise<string>;
  abortSignal?: AbortSignal;
}

/**
 * Model access for the model-backed scorers. `connection` is the spec's connection id (undefined: the
 * default connection); the implementation resolves it. See createScorerModels in ./models.ts.
 */
export interface ScorerModels {
  generate(connection: string | undefined, request: ModelRequest): Promise<ModelResult>;
  embed(connection: string | undefined, request: EmbedRequest): Promise<EmbedResult>;
}

export interface ScorerDeps {
  models?: ScorerModels;
}

/** One scorer's verdict on one item, as stored per item and fed to aggregateScores. */
export interface ScorerOutcome extends ScoreResult {
  name: string;
  type: string;
  weight: number;
  threshold: number;
  passed: boolean;
}

export const clamp01 = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);

/** A short quoted excerpt for reasons: JSON-quoted, at most `max` characters. */
export function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 1)}…` : text);
}

export const errorResult = (error: string): ScoreResult => ({ score: 0, reason: error, error });
