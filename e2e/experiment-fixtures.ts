// Shared by the experiment specs: two versions of a support prompt, a partial and a prompt including it, and a
// running 50/50 split.
import { compileAssignment } from "../lib/experiments/assign";
import { startExperiment } from "../lib/experiments/lifecycle";
import type { CreateExperimentInput } from "../lib/experiments/definition";
import { createExperiment, getExperiment, listExperiments } from "../lib/experiments/store";
import { seedDemoPrompts } from "../lib/setup/seed-demo";
import type { Locator, Page } from "@playwright/test";
import { expect, seedPrompt, systemCtx, type Seeded } from "./fixtures";

export const v1 = {
  type: "text",
  template: "Answer the customer: {{question}}",
  variables: [{ name: "question", type: "string", required: true }],
};
export const v2 = { ...v1, template: "Answer the customer in two sentences: {{question}}" };

const text = (template: string) => ({ type: "text", template });

/** `<folder>/tone`, a partial, and `<folder>/reply`, which includes it: two versions each, version 1 live in production. */
export async function seedToneAndReply(seeded: Seeded, folder: string) {
  await seedPrompt(seeded, `${folder}/tone`, [text("Be kind."), text("Be warm.")], { live: ["production"] });
  const reply = [text(`Reply. {{> ${folder}/tone}}`), text(`Answer. {{> ${folder}/tone}}`)];
  await seedPrompt(seeded, `${folder}/reply`, reply, { live: ["production"] });
}

/** The demo's prompts (lib/setup/seed-demo.ts), and its running experiment, "Concise replies". */
export async function demoExperiment(seeded: Seeded) {
  await seedDemoPrompts(systemCtx(seeded));
  const [e] = await listExperiments(seeded.database.db, seeded.projectId, { status: "running" });
  expect(e!.name).toBe("Concise replies");
  return e!;
}

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

/**
 * `perArm` subjects for each arm of a running experiment, as the server assigns them in its current phase (an
 * event counts in an arm only for a subject served that arm): `[subject, arm key]`, alternating arms.
 */
export async function servedSubjects(seeded: Seeded, id: string, perArm: number, prefix = "u") {
  const e = await getExperiment(seeded.database.db, seeded.projectId, id);
  const phase = e.phases.find((p) => p.phase === e.phase)!;
  const assign = compileAssignment({
    seed: phase.seed,
    coverage: e.coverage,
    namespace: e.namespace === null ? null : { name: e.namespace, range: [e.namespaceStart ?? 0, e.namespaceEnd ?? 1] },
    variants: e.variants.map((v) => ({ key: v.key, weight: Number((phase.weights as Record<string, number>)[v.key]) })),
  });
  const byArm = new Map<string, string[]>(e.variants.map((v) => [v.key, []]));
  for (let i = 0; [...byArm.values()].some((s) => s.length < perArm); i++) {
    const subject = `${prefix}-${i}`;
    const arm = byArm.get(assign(subject)?.key ?? "");
    if (arm && arm.length < perArm) arm.push(subject);
  }
  const out: [string, string][] = [];
  for (let i = 0; i < perArm; i++) for (const [key, subjects] of byArm) out.push([subjects[i]!, key]);
  return out;
}

/**
 * Saves the experiment `form` as a draft: its page, headed `name`, shows `definition` in its Definition; started
 * from there, it waits for its first subjects.
 */
export async function saveAndStart(page: Page, form: Locator, name: string, definition: string) {
  await form.getByRole("button", { name: "Save as draft" }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("region", { name: "Definition" })).toContainText(definition);
  await startFromPage(page, name);
  await expect(page.getByTestId("headline")).toHaveText("Waiting for the first subjects.");
}

/** On a draft experiment's page: Start experiment…, then Start now in the dialog for `name`. */
export async function startFromPage(page: Page, name: string) {
  await page.getByRole("button", { name: "Start experiment…" }).click();
  await page
    .getByRole("dialog", { name: `Start “${name}”` })
    .getByRole("button", { name: "Start now" })
    .click();
}
