// Prompt names as API input: the rule itself (Langfuse's, so a Langfuse project's names move over
// unchanged) and the URL/file encoding live in name-rules.ts, which the SDK and CLI share.
import { z } from "zod";
import { newPromptNameProblem, promptNameProblem } from "./name-rules";

export {
  decodePromptPath,
  encodePromptName,
  isPromptName,
  maxPromptNameLength,
  newPromptNameProblem,
  promptNameParam,
  promptNameProblem,
  reservedPromptNames,
} from "./name-rules";

export const promptNameMessage =
  "name must be 1–255 characters without '|', HTML tags, control characters, whitespace at either end, or leading, trailing or double '/'";

export const promptNameSchema = z.string({ error: "name must be a string" }).superRefine((name, ctx) => {
  const problem = promptNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** The name of a prompt being created: a valid name, and none a reader could take for another. */
export const newPromptNameSchema = z.string({ error: "name must be a string" }).superRefine((name, ctx) => {
  const problem = newPromptNameProblem(name);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

/** The message for an invalid name, or the generic one. */
export const promptNameError = (name: unknown): string => promptNameProblem(name) ?? promptNameMessage;

export type PromptName = z.infer<typeof promptNameSchema>;
