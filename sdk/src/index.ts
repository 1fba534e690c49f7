// @lectern/sdk: fetch prompts from Lectern, cache them in process, keep them current, render them.
export { createClient } from "./client";
export { LecternAuthError, LecternError, LecternNetworkError, LecternNotFoundError, LecternValidationError, type InvalidVariable } from "./errors";
export type {
  ChatPrompt,
  ClientOptions,
  Experiment,
  Fallback,
  GetPromptOptions,
  LecternClient,
  Message,
  MessageRole,
  Prompt,
  PromptConfig,
  PromptOf,
  PromptSource,
  PromptType,
  Rendered,
  ResolveResponse,
  Snapshot,
  SnapshotEntry,
  TextPrompt,
  Variable,
  VariableType,
} from "./types";
