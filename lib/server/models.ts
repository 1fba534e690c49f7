import "server-only";
import { createModelCaller, type ModelCaller } from "@/lib/llm";
import { createScorerModels, type ScorerModels } from "@/lib/evaluation/scorers";
import { AppError } from "@/lib/errors";
import { env } from "./env";

// Model access for scorers that call a model (the online LLM judge). The default connection comes
// from LLM_BASE_URL / LLM_API_KEY (an OpenAI-compatible endpoint); one caller per process, so its
// concurrency limit is shared. Per-project connections plug in here.
let defaultCaller: ModelCaller | undefined;

function caller(connectionId: string | undefined): ModelCaller {
  const config = env();
  if (connectionId !== undefined && connectionId !== "default")
    throw new AppError("invalid_input", `No model connection ${connectionId}; only the default connection (LLM_BASE_URL) is configured.`);
  if (!config.LLM_BASE_URL) throw new AppError("unavailable", "No model connection: set LLM_BASE_URL (and LLM_API_KEY) to use scorers that call a model.");
  defaultCaller ??= createModelCaller({ id: "default", name: "Default (LLM_BASE_URL)", provider: "openai-compatible", baseUrl: config.LLM_BASE_URL, apiKey: config.LLM_API_KEY });
  return defaultCaller;
}

export const scorerModels = (): ScorerModels => createScorerModels(caller);

/** The model connections of a project, for evaluation runs (today: the default connection for every project). */
export const modelsFor = (_projectId: string): ((connectionId: string | undefined) => ModelCaller) => caller;
