// Shared by the experiment specs: two versions of a support prompt, and a running 50/50 split on it.
import { startExperiment } from "../lib/experiments/lifecycle";
import type { CreateExperimentInput } from "../lib/experiments/definition";
import { createExperiment } from "../lib/experiments/store";
import { systemCtx, type Seeded } from "./fixtures";

export const v1 = {
  type: "text",
  template: "Answer the customer: {{question}}",
  variables: [{ name: "question", type: "string", required: true }],
};
export const v2 = { ...v1, template: "Answer the customer in two sentences: {{question}}" };

/** Two arms, half the subjects each: the control on version 1, `key` on `version`. */
export const halves = (key: string, version = 2) => [
  { key: "control", version: 1, weight: 0.5 },
  { key, version, weight: 0.5 },
];

/** Creates an experiment (sequential, on the binary metric "thumbs", unless `spec` says otherwise) and starts it. */
export async function startedExperiment(
  seeded: Seeded,
  spec: Omit<CreateExperimentInput, "mode" | "primaryMetric"> & Partial<CreateExperimentInput>,
) {
  const e = await createExperiment(systemCtx(seeded), {
    mode: "sequential",
    primaryMetric: { name: "thumbs", kind: "binary" },
    ...spec,
  });
  await startExperiment(systemCtx(seeded), e.id);
  return e;
}

/** A running 50/50 sequential experiment on "support" (control v1, b v2) in an environment. */
export const runningSplit = (seeded: Seeded, environment: string, name: string) =>
  startedExperiment(seeded, { prompt: "support", environment, name, variants: halves("b") });
