"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  experimentReleasePlans,
  setWeights,
  startExperiment,
  stopExperiment,
  stopExperimentInput,
} from "@/lib/experiments/lifecycle";
import { createExperiment, parseExperimentInput } from "@/lib/experiments/store";
import { projectAction, type ActionContext } from "@/lib/server/http/action";
import { getEvents } from "@/lib/server/wiring/events";
import { promptChoices } from "@/lib/views/prompt-choices";

// Experiment actions: thin callers of lib/experiments, which checks the role (experiment.manage),
// validates (422 naming the field, which the form shows at that field) and audits.

const domain = async (c: ActionContext) => ({
  db: c.db,
  actor: c.actor,
  projectId: c.project.id,
  events: await getEvents(),
});
const refresh = (c: ActionContext) => revalidatePath(`/${c.project.slug}`, "layout");
const id = z.string().min(1).max(64);

/** Creates a draft; the definition is checked by createExperiment, field by field. */
export const createExperimentAction = projectAction(z.record(z.string(), z.unknown()), async (c, input) => {
  const e = await createExperiment(await domain(c), parseExperimentInput(input));
  refresh(c);
  return { id: e.id, plannedSamplePerArm: e.plannedSamplePerArm };
});

/** The control against what the environment serves, and each variant's release plan there. */
export const experimentPlansAction = projectAction(z.object({ id }), async (c, input) =>
  experimentReleasePlans(c.db, c.project.id, input.id),
);

export const startExperimentAction = projectAction(
  z.object({ id, confirmBreaking: z.array(z.string().max(200)).max(200).default([]) }),
  async (c, input) => {
    const e = await startExperiment(await domain(c), input.id, { confirmBreaking: input.confirmBreaking });
    refresh(c);
    return { status: e.status, phase: e.phase };
  },
);

export const setWeightsAction = projectAction(
  z.object({ id, weights: z.record(z.string(), z.number()), reason: z.string().max(1000).default("") }),
  async (c, input) => {
    const e = await setWeights(await domain(c), input.id, { weights: input.weights, reason: input.reason });
    refresh(c);
    return { phase: e.phase };
  },
);

/** Ships a variant (a promotion through the release log: its rules apply) or keeps the control. */
export const stopExperimentAction = projectAction(stopExperimentInput.extend({ id }), async (c, input) => {
  const e = await stopExperiment(await domain(c), input.id, { decision: input.decision, reason: input.reason });
  refresh(c);
  return { status: e.status, deployedVersion: e.decision?.deployment?.version ?? null };
});

/** The versions of a prompt and what each environment serves, for the experiment form. */
export const promptChoicesAction = projectAction(z.object({ prompt: z.string().min(1).max(255) }), async (c, input) =>
  promptChoices(c.db, c.project.id, input.prompt),
);
