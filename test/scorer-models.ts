// Scorer models that call a local model server (test/llm-server.ts) through a connection of their own, with no
// retries, as a scoring job would. Imports lib only, so the e2e specs use it too.
import { createModelCaller } from "../lib/llm/model-caller";
import { createScorerModels } from "../lib/scorers";

export function scorerModelsOn(server: { baseUrl: string }) {
  const caller = createModelCaller({
    id: "default",
    name: "Local",
    provider: "openai-compatible",
    baseUrl: server.baseUrl,
    maxRetries: 0,
  });
  return createScorerModels(() => caller);
}
