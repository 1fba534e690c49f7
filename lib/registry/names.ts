// Prompt names double as partial references ({{> support/greeting}}) and URL path segments, so the
// alphabet is deliberately narrow: no case folding questions, no escaping, '/' only as a folder separator.
import { z } from "zod";
import { isPromptName, promptNamePattern } from "./content-model";

export { isPromptName };

export const promptNameMessage =
  "name must be 1–100 characters of lowercase letters, digits, '-', '_' and '/' (for folders), without leading, trailing or double '/'";

export const promptNameSchema = z
  .string({ error: promptNameMessage })
  .min(1, promptNameMessage)
  .max(100, promptNameMessage)
  .regex(promptNamePattern, promptNameMessage);

export type PromptName = z.infer<typeof promptNameSchema>;
