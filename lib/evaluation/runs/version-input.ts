// The version under test and the dataset it is scored on, as starting an evaluation run or an
// optimization (lib/optimization/optimization-input.ts) asks for them: one wording of their errors.
import { z } from "zod";

export const versionUnderTest = {
  prompt: z.string({ error: "prompt is required" }).min(1, "prompt is required").max(255),
  version: z
    .number({ error: "version must be a number" })
    .int("version must be a whole number")
    .min(1, "version must be at least 1"),
};

/** The dataset, by its id or name. */
export const datasetRef = z
  .string({ error: "dataset is required (its id or name)" })
  .min(1, "dataset is required (its id or name)")
  .max(200);
