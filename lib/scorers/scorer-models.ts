// The bridge from the model-backed scorers to lib/llm: resolve a spec's connection id to a
// ModelCaller (one per connection, so its concurrency limit covers judge and embedding calls too).
import { callModel, embedTexts } from "../llm/call-model";
import type { ModelCaller } from "../llm/model-caller";
import type { ScorerModels } from "./types";

/**
 * `resolve(undefined)` must return the default connection's caller. An unknown id should throw an
 * error naming it; the scorer then reports that error instead of a score.
 */
export function createScorerModels(resolve: (connectionId: string | undefined) => ModelCaller): ScorerModels {
  return {
    generate: async (connection, request) => callModel(resolve(connection), request),
    embed: async (connection, request) => embedTexts(resolve(connection), request),
  };
}
