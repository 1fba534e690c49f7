// What POST /api/v1/optimizations takes, and the checks that need no database. Bad input is a 422
// naming the field (as for evaluation runs).
import { z } from "zod";
import { datasetRef, versionUnderTest } from "../evaluation/runs/version-input";
import { AppError } from "../errors";
import { numberBetween, parseInput as parseStrict } from "../validation";
import { unprocessable } from "../evaluation/unprocessable";
import type { NamedScorerSpec } from "../scorers";

export const createOptimizationInput = z.object({
  ...versionUnderTest,
  dataset: datasetRef,
  /** Default: the scorers of the gate on this dataset (else production's gate). */
  scorers: z.unknown().optional(),
  budget: z.object(
    {
      calls: z
        .number({ error: "budget.calls must be a whole number" })
        .int("budget.calls must be a whole number")
        .min(1, "budget.calls must be at least 1")
        .max(100_000, "budget.calls must be at most 100,000"),
      costUsd: z
        .number({ error: "budget.costUsd must be a number of dollars" })
        .gt(0, "budget.costUsd must be above 0")
        .max(10_000, "budget.costUsd must be at most 10,000"),
    },
    { error: "budget is required: {calls, costUsd}" },
  ),
  connection: z.string().min(1).max(200).optional(),
  environment: z.string().min(1).max(36).optional(),
  /** The share of items held out for the final comparison (default 0.3). */
  heldOutShare: numberBetween("heldOutShare", 0.1, 0.9).default(0.3),
  seed: z
    .number({ error: "seed must be a whole number" })
    .int("seed must be a whole number")
    .min(0, "seed must be between 0 and 2^31 - 1")
    .max(2 ** 31 - 1, "seed must be between 0 and 2^31 - 1")
    .default(44),
});

export type CreateOptimizationInput = z.input<typeof createOptimizationInput>;

export const parseCreateOptimizationInput = (input: unknown) =>
  unprocessable(parseStrict, createOptimizationInput, input);

/**
 * Model calls one item costs: the version's answer and each model-backed scorer's call. Scorers that
 * cannot score an optimization are refused: a pairwise judge needs a baseline run's answers, and
 * `consistency` asks the version again k times per item (name other scorers instead).
 */
export function callsPerItem(specs: NamedScorerSpec[]): number {
  let n = 1;
  specs.forEach((s, i) => {
    if (s.type === "llm_judge" && s.mode === "pairwise")
      throw new AppError(
        "unprocessable",
        `scorers[${i}]: the pairwise judge ${s.name} compares with a baseline run; an optimization needs scorers that score one answer`,
        { field: `scorers.${i}` },
      );
    if (s.type === "consistency")
      throw new AppError(
        "unprocessable",
        `scorers[${i}]: consistency asks the version ${s.k} times per item; an optimization cannot afford it, name other scorers`,
        { field: `scorers.${i}` },
      );
    if (s.type === "llm_judge" || s.type === "embedding_similarity") n++;
  });
  return n;
}

/** How many train items the search scores every candidate on (GEPA's Pareto set). */
export const paretoSize = (train: number) => Math.min(train, 12);

/**
 * The fewest calls an optimization can be made with: the starting instruction on the Pareto set, one
 * reflection, one candidate on a minibatch, and both versions on the held-out split.
 */
export function minimumCalls(train: number, heldOut: number, perItem: number): number {
  return perItem * (paretoSize(train) + Math.min(train, 3) + 2 * heldOut) + 2;
}
