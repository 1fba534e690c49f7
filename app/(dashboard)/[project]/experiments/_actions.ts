"use server";

import { z } from "zod";
import {
  experimentReleaseInput,
  experimentReleasePlans,
  setExperimentWeights,
  setWeightsInput,
  startExperiment,
  stopExperiment,
  stopExperimentInput,
} from "@/lib/experiments/lifecycle";
import { experimentDto } from "@/lib/experiments/dto";
import { createExperiment, parseExperimentInput } from "@/lib/experiments/store";
import { actionFrom, projectAction } from "@/lib/server/actions/action";
import { keyed, refreshProject as refresh } from "../_action-bodies";
import * as experiments from "@/lib/server/http/endpoints/experiments";
import { promptChoices } from "@/lib/views/prompt-choices";

// Experiment actions: thin callers of lib/experiments, which checks the role (experiment.manage),
// validates (422 naming the field, which the form shows at that field) and audits. The inputs are the
// API's, plus the experiment's id, which the API takes from the path.

const id = z.string().min(1).max(64);

/** Creates a draft; the definition is checked by createExperiment, field by field. */
export const createExperimentAction = actionFrom(
  experiments.createExperiment,
  z.record(z.string(), z.unknown()),
  async (c, input) => {
    const e = await createExperiment(c.domain, parseExperimentInput(input));
    refresh(c);
    return experimentDto(e);
  },
);

/** The control against what the environment serves, and each variant's release plan there. */
export const experimentPlansAction = projectAction("experiment.read", z.object({ id }), async (c, input) =>
  experimentReleasePlans(c.db, c.project.id, input.id),
);

export const startExperimentAction = actionFrom(
  experiments.startExperiment,
  experimentReleaseInput.extend({ id }),
  keyed("id", startExperiment, experimentDto),
);

export const setWeightsAction = actionFrom(
  experiments.setExperimentWeights,
  setWeightsInput.extend({ id }),
  keyed("id", setExperimentWeights, experimentDto),
);

/** Ships a variant (a promotion through the release log: its rules apply) or keeps the control. */
export const stopExperimentAction = actionFrom(
  experiments.stopExperiment,
  stopExperimentInput.extend({ id }),
  keyed("id", stopExperiment, experimentDto),
);

/** The versions of a prompt and what each environment serves, for the experiment form. */
export const promptChoicesAction = projectAction(
  "prompt.read",
  z.object({ prompt: z.string().min(1).max(255) }),
  async (c, input) => promptChoices(c.db, c.project.id, input.prompt),
);
