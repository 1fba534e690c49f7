// Schema pieces shared by the calls a person makes by hand (the playground, "Test connection").
import { z } from "zod";

/** A model name that overrides the version's or the connection's default. */
export const modelOverride = z
  .string({ error: "model must be a string" })
  .trim()
  .min(1, { error: "model must not be empty" })
  .max(200, { error: "model must be at most 200 characters" })
  .optional();

/** A call's classified error (CallError) as the API answers it; null when the call worked. */
export const callErrorSchema = z
  .object({ kind: z.string(), message: z.string(), status: z.number().int().optional(), retryable: z.boolean() })
  .nullable();
