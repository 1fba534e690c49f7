// Shared by the experiment specs: two versions of a support prompt, and a running 50/50 split on it.
import { startExperiment } from "../lib/experiments/lifecycle";
import { createExperiment } from "../lib/experiments/store";
import { systemCtx, type Seeded } from "./fixtures";

export const v1 = {
  type: "text",
  template: "Answer the customer: {{question}}",
  variables: [{ name: "question", type: "string", required: true }],
};
export const v2 = { ...v1, template: "Answer the customer in two sentences: {{question}}" };

/** A running 50/50 sequential experiment on "support" (control v1, b v2) in an environment. */
export async function runningSplit(seeded: Seeded, environment: string, name: string) {
  const e = await createExperiment(systemCtx(seeded), {
    prompt: "support",
    environment,
    name,
    variants: [
      { key: "control", version: 1, weight: 0.5 },
      { key: "b", version: 2, weight: 0.5 },
    ],
    mode: "sequential",
    primaryMetric: { name: "thumbs", kind: "binary" },
  });
  await startExperiment(systemCtx(seeded), e.id);
  return e;
}
