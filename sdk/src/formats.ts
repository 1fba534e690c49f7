// Rendered messages in model SDKs' shapes, with the server's own code (lib/registry/message-formats.ts,
// bundled): POST resolve's `format` gives the same answers. A message a shape cannot carry throws
// LecternValidationError naming it.
import { AppError } from "../../lib/errors";
import * as formats from "../../lib/registry/message-formats";
import { lecternError } from "./errors";
import type { AiSdkMessage, AnthropicRequest, Message, OpenAIMessage } from "./types";

function run<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof AppError) throw lecternError(e.code, e.message, e.status, e.details);
    throw e;
  }
}

/** OpenAI chat completions' `messages`; a text prompt becomes one user message. */
export const toOpenAI = (rendered: string | readonly Message[]): OpenAIMessage[] =>
  run(() => formats.toOpenAI(rendered as string | Message[]));

/** Anthropic Messages' `{ system, messages }`: system and developer messages become `system`. */
export const toAnthropic = (rendered: string | readonly Message[]): AnthropicRequest =>
  run(() => formats.toAnthropic(rendered as string | Message[]));

/** The AI SDK's ModelMessage list, for generateText({ model, messages }). */
export const toAiSdk = (rendered: string | readonly Message[]): AiSdkMessage[] =>
  run(() => formats.toAiSdk(rendered as string | Message[]));
